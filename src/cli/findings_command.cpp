#include <fmt/format.h>

#include "cli/context.hpp"
#include "config/config.hpp"
#include "posture/engine.hpp"
#include "posture/mutes.hpp"
#include "report/findings_output.hpp"

namespace keyward::cli {
namespace {

struct FindingsArguments {
  ReportOptions output;
  std::optional<core::UnixTime> as_of;
  posture::ThresholdOverride thresholds;  // the threshold flags given; they override the config
  std::string min_severity = "info";
  bool include_resolved = false;
  bool include_muted = false;
};

// Applies the mute file named by the configuration to `findings`, printing a warning for each
// expired mute. Returns false after printing an error when the file cannot be used.
bool apply_mute_file(const config::Config& config, store::Store& store, std::vector<core::Finding>& findings) {
  if (config.mute_file.empty()) return true;
  auto mutes = posture::load_mutes(config.mute_file);
  if (!mutes) {
    print_error(mutes.error().describe());
    return false;
  }
  auto identities = store.list_identities(store::IdentityFilter{"", true});
  if (!identities) {
    print_error(identities.error().describe());
    return false;
  }
  const posture::MuteOutcome outcome =
      posture::apply_mutes(findings, *mutes, core::now(), posture::collect_identity_tags(*identities));
  for (const auto& mute : outcome.expired) fmt::print(stderr, "keyward: warning: {}\n", posture::describe_expired_mute(mute));
  return true;
}

// Rules of every registered check, for SARIF rule metadata and the HTML report.
std::map<std::string, report::RuleInfo> check_rules() {
  std::map<std::string, report::RuleInfo> rules;
  for (const auto& check : posture::make_checks()) {
    report::RuleInfo rule{std::string(check->id()), std::string(check->title()), std::string(check->description()),
                          std::string(check->owasp()), check->severity()};
    rules.emplace(rule.id, std::move(rule));
  }
  return rules;
}

// Identity kinds by report::identity_key, for the report's "by kind" chart and OCSF resources.
std::map<std::string, std::string> identity_kinds(store::Store& store) {
  std::map<std::string, std::string> kinds;
  auto identities = store.list_identities(store::IdentityFilter{"", true});
  if (!identities) return kinds;  // the report then shows kind "unknown"
  for (const auto& identity : *identities) kinds[report::identity_key(identity.platform, identity.id)] = identity.kind;
  return kinds;
}

void run_findings(FindingsArguments& arguments, CliContext& context) {
  auto config = config::load_cli_config(context.config_option);
  if (!config) {
    print_error(config.error().describe());
    context.exit_code = 1;
    return;
  }
  for (const auto& warning : config->warnings) fmt::print(stderr, "keyward: warning: {}\n", warning);
  posture::PostureOptions options = config::make_posture_options(*config, arguments.thresholds);
  options.as_of = arguments.as_of;

  auto store = open_store(context);
  if (!store) {
    print_error(store.error().describe());
    context.exit_code = 1;
    return;
  }
  auto run = posture::run_posture(**store, options);
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
  if (!apply_mute_file(*config, **store, *stored)) {
    context.exit_code = 1;
    return;
  }
  const core::Severity minimum = core::parse_severity(arguments.min_severity).value_or(core::Severity::info);
  report::ReportInput input;
  size_t hidden_muted = 0;
  for (auto& finding : *stored) {
    if (finding.severity < minimum) continue;
    if (finding.status == core::FindingStatus::muted && !arguments.include_muted) {
      ++hidden_muted;
      continue;
    }
    input.findings.push_back(std::move(finding));
  }
  input.rules = check_rules();
  input.identity_kinds = identity_kinds(**store);
  input.generated = run->as_of;

  const auto render = [&input](report::ReportFormat format) { return report::render_findings(input, format, table_width()); };
  if (!write_report(arguments.output, render, context)) return;
  if (arguments.output.format == report::ReportFormat::table) {
    fmt::print("{} findings as of {} ({}){}.\nEvidence and remediation: keyward findings --format json\n",
               input.findings.size(), core::format_time(run->as_of), run->as_of_source,
               hidden_muted == 0 ? "" : fmt::format("; {} muted not shown (--muted)", hidden_muted));
  }
  if (arguments.output.fail_on) {
    const size_t gating = report::count_gating_findings(input.findings, *arguments.output.fail_on);
    if (gating > 0) {
      print_error(fmt::format("{} open findings at or above {} (--fail-on)", gating, core::to_string(*arguments.output.fail_on)));
      context.exit_code = kGateFailedExitCode;
    }
  }
}

}  // namespace

void add_findings_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<FindingsArguments>();
  CLI::App* command = app.add_subcommand("findings", "Evaluate posture checks and list findings, highest risk first");
  command->footer(fmt::format("Exit status: 0 success, 1 error (store, posture run or output file), 2 invalid usage, {} when "
                              "--fail-on finds an open finding. See docs/outputs.md.",
                              kGateFailedExitCode));
  add_report_options(command, arguments->output, "findings");
  add_as_of_option(command, arguments->as_of);
  command->add_option("--unused-days", arguments->thresholds.unused_days,
                      "A credential or app unused for more days than this is stale (default 90; overrides keyward.yaml)")
      ->check(CLI::Range(1, 3650));
  command->add_option("--rotation-days", arguments->thresholds.rotation_days,
                      "A secret older than this many days is due for rotation (default 90; overrides keyward.yaml)")
      ->check(CLI::Range(1, 3650));
  command->add_option("--grace-days", arguments->thresholds.grace_days,
                      "A never-used credential younger than this many days is not stale (default 7)")
      ->check(CLI::Range(0, 365));
  command->add_option("--expiry-warning-days", arguments->thresholds.expiry_warning_days,
                      "Report secrets expiring within this many days (default 30)")
      ->check(CLI::Range(1, 3650));
  command->add_option("--min-severity", arguments->min_severity, "Hide findings below this severity")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}))
      ->default_str("info");
  command->add_flag("--resolved", arguments->include_resolved, "Also list findings that no longer hold");
  command->add_flag("--muted", arguments->include_muted, "Also list muted findings");
  command->callback([arguments, &context] { run_findings(*arguments, context); });
}

}  // namespace keyward::cli
