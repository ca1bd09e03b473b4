#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "cli/context.hpp"
#include "core/model_json.hpp"
#include "posture/inventory.hpp"
#include "report/csv.hpp"
#include "report/table.hpp"

namespace keyward::cli {
namespace {

struct TimelineArguments {
  std::string identity;
  OutputFormat format = OutputFormat::table;
  std::optional<core::UnixTime> as_of;
};

// One line of an identity's timeline.
struct TimelineEntry {
  core::UnixTime time = 0;
  std::string type;  // "credential", "activity", "finding", "alert"
  std::string summary;
  nlohmann::json details;
};

// Summarizes one day of activity: calls, distinct actions, networks and client families.
struct DaySummary {
  long long calls = 0;
  long long errors = 0;
  std::set<std::string> actions, networks, families;
};

void add_credential_entries(const std::vector<core::Credential>& credentials, std::vector<TimelineEntry>& entries) {
  for (const auto& credential : credentials) {
    if (credential.created) {
      entries.push_back({*credential.created, "credential",
                         fmt::format("{} {} created ({})", credential.kind, credential.id, credential.status),
                         core::to_json(credential)});
    }
    if (credential.last_used) {
      entries.push_back({*credential.last_used, "credential",
                         fmt::format("{} {} last used{}", credential.kind, credential.id,
                                     credential.last_used_service.empty() ? "" : " by " + credential.last_used_service),
                         core::to_json(credential)});
    }
  }
}

void add_activity_entries(const std::vector<core::ActivitySummary>& activity, std::vector<TimelineEntry>& entries) {
  std::map<core::UnixTime, DaySummary> days;
  for (const auto& summary : activity) {
    DaySummary& day = days[summary.day];
    day.calls += summary.count;
    if (!summary.error_code.empty()) day.errors += summary.count;
    day.actions.insert(summary.action);
    day.networks.insert(summary.network);
    day.families.insert(summary.user_agent_family);
  }
  for (const auto& [day, summary] : days) {
    std::string families;
    for (const auto& family : summary.families) families += (families.empty() ? "" : ", ") + family;
    entries.push_back({day, "activity",
                       fmt::format("{} calls ({} failed), {} actions, {} networks, clients: {}", summary.calls, summary.errors,
                                   summary.actions.size(), summary.networks.size(), families),
                       {{"calls", summary.calls},
                        {"errors", summary.errors},
                        {"actions", summary.actions},
                        {"networks", summary.networks},
                        {"user_agent_families", summary.families}}});
  }
}

void run_timeline(const TimelineArguments& arguments, CliContext& context) {
  auto store = open_store(context);
  if (!store) {
    print_error(store.error().describe());
    context.exit_code = 1;
    return;
  }
  auto matches = (*store)->find_identities(arguments.identity);
  if (!matches) {
    print_error(matches.error().describe());
    context.exit_code = 1;
    return;
  }
  if (matches->empty()) {
    print_error(fmt::format("no identity matches '{}'; give an id, an ARN, a name or an access key id (see `keyward "
                            "inventory --all`){}",
                            arguments.identity, alert_actor_hint(**store, arguments.identity)));
    context.exit_code = 1;
    return;
  }
  if (matches->size() > 1) {
    std::string candidates;
    for (const auto& match : *matches) candidates += "\n  " + match.id;
    print_error(fmt::format("'{}' matches several identities; give one ARN:{}", arguments.identity, candidates));
    context.exit_code = 1;
    return;
  }
  const core::Identity& identity = matches->front();

  std::vector<TimelineEntry> entries;
  if (identity.created) entries.push_back({*identity.created, "identity", fmt::format("{} created", identity.kind), nullptr});
  auto credentials = (*store)->list_credentials(identity.id);
  auto activity = (*store)->list_activity(identity.id);
  auto findings = (*store)->list_findings(true);
  auto alerts = (*store)->list_alerts();
  if (!credentials || !activity || !findings || !alerts) {
    print_error("reading the store failed; run the command again, and if it fails again, check the database file");
    context.exit_code = 1;
    return;
  }
  // Key listings name an IAM user "user/NAME" because `aws iam list-access-keys` prints no ARN;
  // their keys are merged with the credential report's slots as the posture engine merges them.
  if (identity.kind == "iam_user") {
    auto listed = (*store)->list_credentials("user/" + identity.name);
    if (listed) credentials->insert(credentials->end(), listed->begin(), listed->end());
  }
  add_credential_entries(posture::merge_report_slots(std::move(*credentials)), entries);
  add_activity_entries(*activity, entries);
  for (const auto& finding : *findings) {
    if (finding.identity.id != identity.id) continue;
    entries.push_back({finding.first_seen.value_or(0), "finding",
                       fmt::format("[{}] {} ({})", core::to_string(finding.severity), finding.title, core::to_string(finding.status)),
                       core::to_json(finding)});
  }
  for (const auto& alert : *alerts) {
    if (alert.identity.id != identity.id) continue;
    entries.push_back({alert.time, "alert", fmt::format("[{}] {}", core::to_string(alert.severity), alert.title), core::to_json(alert)});
  }
  if (arguments.as_of) {
    std::erase_if(entries, [&](const TimelineEntry& entry) { return entry.time > *arguments.as_of; });
  }
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.time < b.time; });

  if (arguments.format == OutputFormat::json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& entry : entries) {
      out.push_back({{"time", core::format_time(entry.time)},
                     {"type", entry.type},
                     {"identity", {{"platform", identity.platform}, {"id", identity.id}, {"name", identity.name}}},
                     {"summary", entry.summary},
                     {"details", entry.details}});
    }
    fmt::print("{}\n", out.dump(2));
    return;
  }
  if (arguments.format == OutputFormat::csv) {
    fmt::print("{}", report::csv_row({"time", "type", "identity_id", "summary"}));
    for (const auto& entry : entries) fmt::print("{}", report::csv_row({core::format_time(entry.time), entry.type, identity.id, entry.summary}));
    return;
  }
  fmt::print("{} ({}, {}: {})\n\n", identity.id, identity.kind, core::to_string(identity.classification),
             identity.classification_reason.empty() ? "no evidence yet" : identity.classification_reason);
  report::Table table({{"TIME", 16}, {"TYPE", 8}, {"WHAT", 20, true}});
  for (const auto& entry : entries) table.add_row({short_time(entry.time), entry.type, entry.summary});
  fmt::print("{}", table.render(table_width()));
}

}  // namespace

void add_timeline_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<TimelineArguments>();
  CLI::App* command = app.add_subcommand("timeline", "Show one identity's credentials, daily activity, findings and alerts in time order");
  command->add_option("identity", arguments->identity, "ARN, name or access key id")->required()->type_name("IDENTITY");
  add_format_option(command, arguments->format);
  add_as_of_option(command, arguments->as_of);
  command->callback([arguments, &context] { run_timeline(*arguments, context); });
}

}  // namespace keyward::cli
