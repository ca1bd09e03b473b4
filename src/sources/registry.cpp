#include "sources/aws/access_keys_source.hpp"
#include "sources/aws/authorization_details_source.hpp"
#include "sources/aws/cloudtrail_source.hpp"
#include "sources/aws/credential_report_source.hpp"
#include "sources/platform_sources.hpp"
#include "sources/source.hpp"

namespace keyward::sources {

const std::vector<std::unique_ptr<Source>>& all_sources() {
  static const std::vector<std::unique_ptr<Source>> sources = [] {
    std::vector<std::unique_ptr<Source>> list;
    list.push_back(std::make_unique<aws::CloudTrailSource>());
    list.push_back(std::make_unique<aws::AuthorizationDetailsSource>());
    list.push_back(std::make_unique<aws::CredentialReportSource>());
    list.push_back(std::make_unique<aws::AccessKeysSource>());
    add_gcp_sources(list);
    add_entra_sources(list);
    add_okta_sources(list);
    add_github_sources(list);
    add_workspace_sources(list);
    add_salesforce_sources(list);
    add_slack_sources(list);
    add_snowflake_sources(list);
    return list;
  }();
  return sources;
}

const Source* find_source(std::string_view name) {
  for (const auto& source : all_sources()) {
    if (source->name() == name) return source.get();
  }
  return nullptr;
}

const Source* detect_source(std::string_view head, std::string_view path) {
  const Source* best = nullptr;
  int best_score = 0;
  for (const auto& source : all_sources()) {
    int score = source->detect(head, path);
    if (score > best_score) {
      best_score = score;
      best = source.get();
    }
  }
  return best;
}

}  // namespace keyward::sources
