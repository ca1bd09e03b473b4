#include "sources/okta/app_catalog.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace keyward::sources::okta {
namespace {

// Catalog keys whose vendor is not simply the label. Keys as they appear in Application.name.
constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kCatalogVendors = {{
    {"amazon_aws", "Amazon Web Services"},
    {"aws_account_federation", "Amazon Web Services"},
    {"atlassian", "Atlassian"},
    {"jira_onprem", "Atlassian"},
    {"box", "Box"},
    {"datadog", "Datadog"},
    {"dropbox_for_business", "Dropbox"},
    {"github", "GitHub"},
    {"githubcloud", "GitHub"},
    {"github_enterprise", "GitHub"},
    {"google", "Google"},
    {"gcp", "Google"},
    {"office365", "Microsoft"},
    {"msft_azure", "Microsoft"},
    {"pagerduty", "PagerDuty"},
    {"salesforce", "Salesforce"},
    {"servicenow_ud", "ServiceNow"},
    {"slack", "Slack"},
    {"snowflake", "Snowflake"},
    {"workday", "Workday"},
    {"zapier", "Zapier"},
    {"zendesk", "Zendesk"},
    {"zoomus", "Zoom"},
    {"tableau_online", "Tableau"},
}};

constexpr std::array<std::string_view, 4> kOktaAppNames = {"okta_org2org", "okta_enduser", "okta_browser_plugin",
                                                           "saasure"};

}  // namespace

bool is_custom_app_name(std::string_view name) {
  if (name.empty() || name == "oidc_client" || name == "bookmark") return true;
  if (name.substr(0, 9) == "template_") return true;
  // The App Integration Wizard names custom apps "<org subdomain>_<label>_<n>".
  const size_t underscore = name.rfind('_');
  if (underscore == std::string_view::npos || underscore + 1 >= name.size()) return false;
  bool digits = true;
  for (char c : name.substr(underscore + 1)) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  return digits && name.find('_') < underscore;
}

bool is_okta_app_name(std::string_view name) {
  for (std::string_view okta_name : kOktaAppNames) {
    if (name == okta_name) return true;
  }
  return false;
}

std::string vendor_of_catalog_app(std::string_view name, std::string_view label) {
  for (const auto& [key, vendor] : kCatalogVendors) {
    if (name == key) return std::string(vendor);
  }
  return std::string(label.empty() ? name : label);
}

}  // namespace keyward::sources::okta
