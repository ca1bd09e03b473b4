#include <fmt/format.h>

#include "cli/context.hpp"
#include "detect/detector.hpp"
#include "report/findings_output.hpp"

namespace keyward::cli {
namespace {

struct AlertsArguments {
  ReportOptions output;
  std::string min_severity = "info";
  std::optional<core::UnixTime> as_of;
};

// Rules of every detector, for SARIF rule metadata. Detectors declare an id and a title only.
std::map<std::string, report::RuleInfo> detector_rules() {
  std::map<std::string, report::RuleInfo> rules;
  for (const auto& detector : detect::make_detectors()) {
    report::RuleInfo rule;
    rule.id = std::string(detector->id());
    rule.title = std::string(detector->title());
    rules.emplace(rule.id, std::move(rule));
  }
  return rules;
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
  report::ReportInput input;
  for (auto& alert : *stored) {
    if (alert.severity < minimum) continue;
    if (arguments.as_of && alert.time > *arguments.as_of) continue;
    input.alerts.push_back(std::move(alert));
  }
  input.rules = detector_rules();
  if (auto identities = (*store)->list_identities(store::IdentityFilter{"", true})) {
    for (const auto& identity : *identities) input.identity_kinds[report::identity_key(identity.platform, identity.id)] = identity.kind;
  }
  input.generated = arguments.as_of.value_or(core::now());

  const auto render = [&input](report::ReportFormat format) { return report::render_alerts(input, format, table_width()); };
  if (!write_report(arguments.output, render, context)) return;
  if (arguments.output.format == report::ReportFormat::table) {
    fmt::print("{} alerts. Evidence and containment: keyward alerts --format json\n", input.alerts.size());
  }
  if (arguments.output.fail_on) {
    const size_t gating = report::count_gating_alerts(input.alerts, *arguments.output.fail_on);
    if (gating > 0) {
      print_error(fmt::format("{} open alerts at or above {} (--fail-on)", gating, core::to_string(*arguments.output.fail_on)));
      context.exit_code = kGateFailedExitCode;
    }
  }
}

}  // namespace

void add_alerts_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<AlertsArguments>();
  CLI::App* command = app.add_subcommand("alerts", "List threat alerts raised from activity, oldest first");
  command->footer(fmt::format("Exit status: 0 success, 1 error (store or output file), 2 invalid usage, {} when --fail-on "
                              "finds an open alert. See docs/outputs.md.",
                              kGateFailedExitCode));
  add_report_options(command, arguments->output, "alerts");
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
