#pragma once

// Which sources read activity logs (events judged against baselines and the inventory) rather
// than inventory exports. Ingest reads the exports of one run before its logs.

#include <string_view>

namespace keyward::sources {

// True for the sources whose records are activity events rather than inventory: the logs of
// every platform (CloudTrail, GCP audit logs, Entra sign-ins and directory audits, the Azure
// Activity Log, the Okta System Log, the GitHub audit log, Workspace activities, Salesforce
// Event Monitoring, Slack's audit and integration logs, Snowflake's login, session and access
// history). A new log source adds its name here.
bool is_activity_log_source(std::string_view name);

}  // namespace keyward::sources
