// `keyward alert ack|resolve|mute|reopen|history ID`: change one alert's state by hand, with a
// reason that the store records together with the time and the user.

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

#include "cli/context.hpp"
#include "core/model_json.hpp"
#include "posture/mutes.hpp"
#include "report/csv.hpp"
#include "report/table.hpp"

namespace keyward::cli {
namespace {

struct AlertArguments {
  std::string id;
  std::string reason;
  std::string until;
  OutputFormat format = OutputFormat::table;
};


void change_status(const AlertArguments& arguments, core::FindingStatus status, CliContext& context) {
  store::AlertStatusChange change;
  change.alert_id = arguments.id;
  change.status = status;
  change.reason = arguments.reason;
  change.time = core::now();
  change.actor = current_user();
  if (!arguments.until.empty()) {
    change.until = posture::parse_mute_expiry(arguments.until);
    if (!change.until) {
      print_error(fmt::format("invalid --until '{}': use a date (2025-12-31, muted through that day) or an RFC 3339 time "
                              "such as 2025-12-31T18:00:00Z",
                              arguments.until));
      context.exit_code = 2;
      return;
    }
  }

  auto store = open_store(context);
  if (!store) {
    print_error(store.error().describe());
    context.exit_code = 1;
    return;
  }
  auto changed = (*store)->set_alert_status(change);
  if (!changed) {
    print_error(changed.error().describe());
    context.exit_code = 1;
    return;
  }
  const store::StoredAlert& stored = *changed;
  const std::string subject = stored.alert.identity.name.empty() ? stored.alert.identity.id : stored.alert.identity.name;
  std::string line = fmt::format("Alert {} ({} on {}) is now {}", stored.id, stored.alert.detector, subject,
                                 core::to_string(stored.alert.status));
  if (stored.status_until) line += fmt::format(" until {}", core::format_time(*stored.status_until));
  if (!stored.status_reason.empty()) line += fmt::format(": {}", stored.status_reason);
  fmt::print("{}\n", line);
}

void print_history(const AlertArguments& arguments, CliContext& context) {
  auto store = open_store(context);
  if (!store) {
    print_error(store.error().describe());
    context.exit_code = 1;
    return;
  }
  auto events = (*store)->list_alert_events(arguments.id);
  if (!events) {
    print_error(events.error().describe());
    context.exit_code = 1;
    return;
  }

  if (arguments.format == OutputFormat::json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& event : *events) {
      out.push_back({{"id", event.alert_id},
                     {"detector", event.detector},
                     {"time", core::format_time(event.time)},
                     {"from", event.from_status ? nlohmann::json(core::to_string(*event.from_status)) : nlohmann::json(nullptr)},
                     {"to", core::to_string(event.to_status)},
                     {"reason", event.reason},
                     {"until", core::optional_time_json(event.until)},
                     {"by", event.actor}});
    }
    fmt::print("{}\n", out.dump(2));
    return;
  }
  if (arguments.format == OutputFormat::csv) {
    fmt::print("{}", report::csv_row({"id", "time", "from", "to", "reason", "until", "by"}));
    for (const auto& event : *events) {
      fmt::print("{}", report::csv_row({event.alert_id, core::format_time(event.time),
                                        event.from_status ? std::string(core::to_string(*event.from_status)) : "",
                                        std::string(core::to_string(event.to_status)), event.reason,
                                        event.until ? core::format_time(*event.until) : "", event.actor}));
    }
    return;
  }
  // Changes keyward made itself (the first insertion, an expired mute) have no user; they show as "keyward".
  report::Table table({{"TIME", 16}, {"STATUS", 12}, {"BY", 8}, {"REASON", 20, true}});
  for (const auto& event : *events) {
    std::string status = std::string(core::to_string(event.to_status));
    if (event.until) status += " until " + core::format_date(*event.until);
    table.add_row({short_time(event.time), status, event.actor.empty() ? "keyward" : event.actor, event.reason});
  }
  fmt::print("{}", table.render(table_width()));
}

}  // namespace

void add_alert_command(CLI::App& app, CliContext& context) {
  CLI::App* command = app.add_subcommand(
      "alert", "Acknowledge, resolve, mute or reopen one alert by the id that `keyward alerts` prints");
  command->require_subcommand(1);
  command->footer("Re-ingesting data never reopens or duplicates a stored alert. See docs/alerts.md.\n"
                  "Exit status: 0 success, 1 error (alert not found, ambiguous id, change not allowed, store), "
                  "2 invalid usage.");

  struct Action {
    const char* name;
    const char* help;
    core::FindingStatus status;
    bool reason_required;
  };
  static const Action kActions[] = {
      {"ack", "Acknowledge an alert: someone is investigating it", core::FindingStatus::acknowledged, true},
      {"resolve", "Resolve an alert with a reason such as false_positive, benign or fixed", core::FindingStatus::resolved, true},
      {"reopen", "Return an acknowledged, muted or resolved alert to open", core::FindingStatus::open, false},
      {"mute", "Mute an alert, optionally until a date, after which it reopens", core::FindingStatus::muted, true},
  };
  for (const Action& action : kActions) {
    auto arguments = std::make_shared<AlertArguments>();
    CLI::App* sub = command->add_subcommand(action.name, action.help);
    sub->add_option("id", arguments->id, "Alert id: 16 hex digits, or a unique prefix of at least 6")->required();
    auto* reason = sub->add_option("--reason", arguments->reason, "Why the state changes; recorded with the time and $USER");
    if (action.reason_required) reason->required();
    if (action.status == core::FindingStatus::muted) {
      sub->add_option("--until", arguments->until,
                      "Mute until this date (YYYY-MM-DD, through the end of that UTC day) or RFC 3339 time; default: no expiry")
          ->type_name("DATE");
    }
    const core::FindingStatus status = action.status;
    sub->callback([arguments, status, &context] { change_status(*arguments, status, context); });
  }

  auto arguments = std::make_shared<AlertArguments>();
  CLI::App* history = command->add_subcommand("history", "List every state change of an alert in the order they were made");
  history->add_option("id", arguments->id, "Alert id: 16 hex digits, or a unique prefix of at least 6")->required();
  add_format_option(history, arguments->format);
  history->callback([arguments, &context] { print_history(*arguments, context); });
}

}  // namespace keyward::cli
