#include "sources/salesforce/connected_app.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace keyward::sources::salesforce {
namespace {

// Labels of connected apps that Salesforce installs or publishes itself, compared without case.
// NOTE: incomplete; an unlisted Salesforce app is reported as third-party with vendor = its label.
constexpr std::array<std::string_view, 18> kSalesforceApps = {
    "Salesforce CLI",
    "Salesforce for iOS",
    "Salesforce for Android",
    "Salesforce Mobile Apps",
    "Salesforce Authenticator",
    "Salesforce Chatter",
    "Salesforce Files",
    "Salesforce Inbox",
    "Salesforce Field Service for iOS",
    "Salesforce Field Service for Android",
    "Salesforce Lightning for Outlook",
    "Salesforce for Outlook",
    "Data Loader",
    "Dataloader Partner",
    "Dataloader Bulk",
    "Ant Migration Tool",
    "Force.com IDE",
    "Salesforce Extensions for VS Code",
};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string connected_app_id(std::string_view name) { return "app:" + std::string(name); }

bool is_salesforce_published_app(std::string_view name) {
  return std::any_of(kSalesforceApps.begin(), kSalesforceApps.end(),
                     [&](std::string_view known) { return equals_ignoring_case(known, name); });
}

core::Identity make_connected_app(std::string_view name) {
  core::Identity identity;
  identity.platform = std::string(kPlatform);
  identity.id = connected_app_id(name);
  identity.kind = std::string(kConnectedAppKind);
  identity.name = std::string(name);
  identity.classification = core::Classification::machine;
  identity.classification_reason = "Salesforce connected app";
  const bool first_party = is_salesforce_published_app(name);
  identity.vendor = first_party ? "Salesforce" : std::string(name);
  identity.attributes[std::string(core::attribute::kPublisher)] = first_party ? "Salesforce" : std::string(name);
  identity.attributes[std::string(core::attribute::kThirdParty)] = !first_party;
  return identity;
}

}  // namespace keyward::sources::salesforce
