#pragma once

// Generates a Slack Enterprise Grid org's API responses: admin.apps.approved.list, users.list,
// team.integrationLogs and three days of the Audit Logs API.

#include <string>

#include "core/result.hpp"
#include "tools/generator/company.hpp"

namespace keyward::generator {

// Writes output_dir/slack/{approved_apps.json, users_list.json, integration_logs.json,
// audit_logs.json}. Approved apps come from company.vendors plus a few internal apps, and some
// hold dangerous scopes. Members include deleted people and the apps' bot users; the integration log
// has incoming webhooks set up by engineers, some by people who left.
// Errors: io_error when a file cannot be written.
core::Result<PlatformOutput> generate_slack(const Company& company, const std::string& output_dir);

}  // namespace keyward::generator
