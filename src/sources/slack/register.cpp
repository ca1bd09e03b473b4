#include "sources/platform_sources.hpp"
#include "sources/slack/approved_apps_source.hpp"
#include "sources/slack/audit_log_source.hpp"
#include "sources/slack/integration_logs_source.hpp"
#include "sources/slack/users_source.hpp"

namespace keyward::sources {

void add_slack_sources(SourceList& list) {
  list.push_back(std::make_unique<slack::ApprovedAppsSource>());
  list.push_back(std::make_unique<slack::IntegrationLogsSource>());
  list.push_back(std::make_unique<slack::UsersSource>());
  list.push_back(std::make_unique<slack::AuditLogSource>());
}

}  // namespace keyward::sources
