#include <fmt/format.h>

#include <algorithm>

#include "cli/context.hpp"
#include "core/model_json.hpp"
#include "report/csv.hpp"
#include "report/table.hpp"

namespace keyward::cli {
namespace {

struct AlertsArguments {
  OutputFormat format = OutputFormat::table;
  std::string min_severity = "info";
  std::optional<core::UnixTime> as_of;
};

void print_alerts(const std::vector<core::Alert>& alerts, OutputFormat format) {
  if (format == OutputFormat::json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& alert : alerts) out.push_back(core::to_json(alert));
    fmt::print("{}\n", out.dump(2));
    return;
  }
  if (format == OutputFormat::csv) {
    fmt::print("{}", report::csv_row({"time", "severity", "score", "detector", "identity_platform", "identity_id", "identity_name",
                                      "credential", "title", "status", "remediation"}));
    for (const auto& alert : alerts) {
      fmt::print("{}", report::csv_row({core::format_time(alert.time), std::string(core::to_string(alert.severity)),
                                        std::to_string(alert.score), alert.detector, alert.identity.platform,
                                        alert.identity.id, alert.identity.name, alert.credential_id, alert.title,
                                        std::string(core::to_string(alert.status)), alert.remediation}));
    }
    return;
  }
  // The detector id is left to JSON and CSV so the identity and title have room in 80 columns.
  report::Table table({{"TIME", 16}, {"SEVERITY", 8}, {"IDENTITY", 14, true}, {"TITLE", 24, true}});
  for (const auto& alert : alerts) {
    table.add_row({short_time(alert.time), std::string(core::to_string(alert.severity)), alert.identity.name, alert.title});
  }
  fmt::print("{}", table.render(table_width()));
}

void run_alerts(const AlertsArguments& arguments, CliContext& context) {
  auto store = open_store(context);
  if (!store) {
    print_error(store.error().describe());
    context.exit_code = 1;
    return;
  }
  auto stored = (*store)->list_alerts();
  if (!stored) {
    print_error(stored.error().describe());
    context.exit_code = 1;
    return;
  }
  const core::Severity minimum = core::parse_severity(arguments.min_severity).value_or(core::Severity::info);
  std::vector<core::Alert> alerts;
  for (auto& alert : *stored) {
    if (alert.severity < minimum) continue;
    if (arguments.as_of && alert.time > *arguments.as_of) continue;
    alerts.push_back(std::move(alert));
  }
  print_alerts(alerts, arguments.format);
  if (arguments.format == OutputFormat::table) {
    fmt::print("{} alerts. Evidence and containment: keyward alerts --format json\n", alerts.size());
  }
}

}  // namespace

void add_alerts_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<AlertsArguments>();
  CLI::App* command = app.add_subcommand("alerts", "List threat alerts raised from activity, oldest first");
  add_format_option(command, arguments->format);
  command
      ->add_option_function<std::string>(
          "--as-of",
          [arguments](const std::string& text) {
            auto parsed = core::parse_time(text);
            if (!parsed) throw CLI::ValidationError("--as-of", "invalid date '" + text + "': use YYYY-MM-DD or RFC 3339");
            arguments->as_of = parsed;
          },
          "Hide alerts raised after this date (YYYY-MM-DD or RFC 3339, UTC)")
      ->type_name("DATE");
  command->add_option("--min-severity", arguments->min_severity, "Hide alerts below this severity")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}))
      ->default_str("info");
  command->callback([arguments, &context] { run_alerts(*arguments, context); });
}

}  // namespace keyward::cli
