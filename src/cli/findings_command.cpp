#include <fmt/format.h>

#include "cli/context.hpp"
#include "core/model_json.hpp"
#include "posture/engine.hpp"
#include "report/csv.hpp"
#include "report/table.hpp"

namespace keyward::cli {
namespace {

struct FindingsArguments {
  OutputFormat format = OutputFormat::table;
  posture::PostureOptions posture;
  std::string min_severity = "info";
  bool include_resolved = false;
};

void print_findings(const std::vector<core::Finding>& findings, OutputFormat format) {
  if (format == OutputFormat::json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& finding : findings) out.push_back(core::to_json(finding));
    fmt::print("{}\n", out.dump(2));
    return;
  }
  if (format == OutputFormat::csv) {
    fmt::print("{}", report::csv_row({"score", "severity", "rule", "owasp", "identity_platform", "identity_id", "identity_name",
                                      "credential", "title", "status", "as_of", "remediation"}));
    for (const auto& finding : findings) {
      fmt::print("{}", report::csv_row({std::to_string(finding.score), std::string(core::to_string(finding.severity)),
                                        finding.rule, finding.owasp, finding.identity.platform, finding.identity.id,
                                        finding.identity.name, finding.credential_id, finding.title,
                                        std::string(core::to_string(finding.status)),
                                        finding.as_of ? core::format_time(*finding.as_of) : "", finding.remediation}));
    }
    return;
  }
  // The rule id is left to JSON and CSV so the identity and title have room in 80 columns.
  report::Table table({{"SCORE", 5}, {"SEVERITY", 8}, {"IDENTITY", 16, true}, {"TITLE", 24, true}});
  for (const auto& finding : findings) {
    table.add_row({std::to_string(finding.score), std::string(core::to_string(finding.severity)), finding.identity.name,
                   finding.title});
  }
  fmt::print("{}", table.render(table_width()));
}

void run_findings(FindingsArguments& arguments, CliContext& context) {
  auto store = open_store(context);
  if (!store) {
    print_error(store.error().describe());
    context.exit_code = 1;
    return;
  }
  auto run = posture::run_posture(**store, arguments.posture);
  if (!run) {
    print_error(run.error().describe());
    context.exit_code = 1;
    return;
  }
  auto stored = (*store)->list_findings(arguments.include_resolved);
  if (!stored) {
    print_error(stored.error().describe());
    context.exit_code = 1;
    return;
  }
  const core::Severity minimum = core::parse_severity(arguments.min_severity).value_or(core::Severity::info);
  std::vector<core::Finding> findings;
  for (auto& finding : *stored) {
    if (finding.severity >= minimum) findings.push_back(std::move(finding));
  }
  print_findings(findings, arguments.format);
  if (arguments.format == OutputFormat::table) {
    fmt::print("{} findings as of {} ({}).\nEvidence and remediation: keyward findings --format json\n", findings.size(),
               core::format_time(run->as_of), run->as_of_source);
  }
}

}  // namespace

void add_findings_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<FindingsArguments>();
  CLI::App* command = app.add_subcommand("findings", "Evaluate posture checks and list findings, highest risk first");
  add_format_option(command, arguments->format);
  add_as_of_option(command, arguments->posture.as_of);
  command->add_option("--unused-days", arguments->posture.defaults.unused_days, "An access key unused for more days than this is stale")
      ->default_val(90)
      ->check(CLI::Range(1, 3650));
  command->add_option("--rotation-days", arguments->posture.defaults.rotation_days, "An access key older than this many days is due for rotation")
      ->default_val(90)
      ->check(CLI::Range(1, 3650));
  command->add_option("--grace-days", arguments->posture.defaults.grace_days, "A never-used access key younger than this many days is not stale")
      ->default_val(7)
      ->check(CLI::Range(0, 365));
  command->add_option("--min-severity", arguments->min_severity, "Hide findings below this severity")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}))
      ->default_str("info");
  command->add_flag("--resolved", arguments->include_resolved, "Also list findings that no longer hold");
  command->callback([arguments, &context] { run_findings(*arguments, context); });
}

}  // namespace keyward::cli
