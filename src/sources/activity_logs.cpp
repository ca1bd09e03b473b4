#include "sources/activity_logs.hpp"

#include <algorithm>
#include <array>

namespace keyward::sources {

bool is_activity_log_source(std::string_view name) {
  static constexpr std::array<std::string_view, 14> kActivityLogSources = {
      "aws-cloudtrail",          "gcp-audit-log",          "entra-sign-ins",
      "entra-directory-audits",  "azure-activity-log",     "okta-system-log",
      "github-audit-log",        "workspace-token-activity", "salesforce-event-monitoring",
      "slack-integration-logs",  "slack-audit-log",        "snowflake-login-history",
      "snowflake-sessions",      "snowflake-access-history",
  };
  return std::find(kActivityLogSources.begin(), kActivityLogSources.end(), name) != kActivityLogSources.end();
}

}  // namespace keyward::sources
