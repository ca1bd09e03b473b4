// `keyward alerts`: list stored threat alerts with their id and state, filtered by state,
// severity, platform, detector and time.

#include <fmt/format.h>

#include "cli/context.hpp"
#include "config/yaml.hpp"
#include "detect/detector.hpp"
#include "report/findings_output.hpp"

namespace keyward::cli {
namespace {

struct AlertsArguments {
  ReportOptions output;
  std::string min_severity = "info";
  std::vector<std::string> states;
  std::string platform;
  std::vector<std::string> detectors;
  std::optional<core::UnixTime> since;
  std::optional<core::UnixTime> until;
  std::optional<core::UnixTime> as_of;
};

// States listed when --state is not given: the alerts that still need attention.
const std::vector<core::FindingStatus> kDefaultStates = {core::FindingStatus::open, core::FindingStatus::acknowledged};

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

// Parses --state values ("open", "ack" or "acknowledged", "resolved", "muted", "all"); an empty
// result means every state.
std::vector<core::FindingStatus> parse_states(const std::vector<std::string>& values) {
  if (values.empty()) return kDefaultStates;
  std::vector<core::FindingStatus> states;
  for (const auto& value : values) {
    if (value == "all") return {};
    if (value == "open") states.push_back(core::FindingStatus::open);
    if (value == "ack" || value == "acknowledged") states.push_back(core::FindingStatus::acknowledged);
    if (value == "resolved") states.push_back(core::FindingStatus::resolved);
    if (value == "muted") states.push_back(core::FindingStatus::muted);
  }
  return states;
}

// True when `pattern` (an id, or a prefix ending in '*') matches a registered detector, so a
// mistyped id is an error instead of an empty list that looks clean.
bool matches_a_detector(const std::string& pattern) {
  const bool prefix = pattern.ends_with('*');
  const std::string_view wanted = prefix ? std::string_view(pattern).substr(0, pattern.size() - 1) : pattern;
  for (const auto& detector : detect::make_detectors()) {
    if (prefix ? detector->id().starts_with(wanted) : detector->id() == wanted) return true;
  }
  return false;
}

void run_alerts(const AlertsArguments& arguments, CliContext& context) {
  for (const auto& pattern : arguments.detectors) {
    if (!matches_a_detector(pattern)) {
      print_error(fmt::format("--detector {}: no detector has this id; keyward rules list shows them", pattern));
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

  store::AlertFilter filter;
  filter.states = parse_states(arguments.states);
  filter.min_severity = core::parse_severity(arguments.min_severity).value_or(core::Severity::info);
  filter.platform = arguments.platform;
  filter.detectors = arguments.detectors;
  filter.since = arguments.since;
  filter.until = arguments.until;
  // A date given to --until is midnight at its start, so `--since D --until D` selects nothing.
  if (arguments.since && arguments.until && *arguments.until <= *arguments.since) {
    fmt::print(stderr,
               "keyward: note: --until {} is not after --since {}, so no alert can match; a date means midnight UTC "
               "at its start, so use the next day's date to include a whole day\n",
               core::format_time(*arguments.until), core::format_time(*arguments.since));
  }
  if (arguments.as_of && (!filter.until || *arguments.as_of < *filter.until)) filter.until = arguments.as_of;
  auto stored = (*store)->query_alerts(filter, core::now());
  if (!stored) {
    print_error(stored.error().describe());
    context.exit_code = 1;
    return;
  }

  report::ReportInput input;
  for (auto& entry : *stored) {
    if (!entry.status_reason.empty() || entry.status_until) {
      input.alert_notes[entry.id] = report::AlertStatusNote{entry.status_reason, entry.status_until};
    }
    input.alerts.push_back(std::move(entry.alert));
  }
  input.rules = detector_rules();
  if (auto identities = (*store)->list_identities(store::IdentityFilter{"", true})) {
    for (const auto& identity : *identities) input.identity_kinds[report::identity_key(identity.platform, identity.id)] = identity.kind;
  }
  input.generated = arguments.as_of.value_or(core::now());

  const auto render = [&input](report::ReportFormat format) { return report::render_alerts(input, format, table_width()); };
  if (!write_report(arguments.output, render, context)) return;
  if (arguments.output.format == report::ReportFormat::table) {
    fmt::print("{} alert{}. Evidence and containment: keyward alerts --format json\n", input.alerts.size(),
               input.alerts.size() == 1 ? "" : "s");
    if (arguments.states.empty()) fmt::print("Open and acknowledged only; every state: keyward alerts --state all\n");
  }
  if (arguments.output.fail_on) {
    const size_t gating = report::count_gating_alerts(input.alerts, *arguments.output.fail_on);
    if (gating > 0) {
      print_error(fmt::format("{} open alerts at or above {} (--fail-on)", gating, core::to_string(*arguments.output.fail_on)));
      context.exit_code = kGateFailedExitCode;
    }
  }
}

// Adds a DATE option parsed with core::parse_time into `target`.
void add_date_option(CLI::App* command, const std::string& name, std::optional<core::UnixTime>& target,
                     const std::string& help) {
  command
      ->add_option_function<std::string>(
          name,
          [&target, name](const std::string& text) {
            auto parsed = core::parse_time(text);
            if (!parsed) throw CLI::ValidationError(name, "invalid date '" + text + "': use YYYY-MM-DD or RFC 3339");
            target = parsed;
          },
          help)
      ->type_name("DATE");
}

}  // namespace

void add_alerts_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<AlertsArguments>();
  CLI::App* command = app.add_subcommand("alerts", "List threat alerts raised from activity, oldest first");
  command->footer(fmt::format("Change an alert's state with `keyward alert ack|resolve|mute|reopen ID`; see docs/alerts.md.\n"
                              "Exit status: 0 success, 1 error (store or output file), 2 invalid usage, {} when --fail-on "
                              "finds an open alert. See docs/outputs.md.",
                              kGateFailedExitCode));
  add_report_options(command, arguments->output, "alerts");
  add_date_option(command, "--as-of", arguments->as_of,
                  "Hide alerts raised after this date and report as of it (YYYY-MM-DD or RFC 3339, UTC)");
  add_date_option(command, "--since", arguments->since, "Only alerts raised at or after this date (YYYY-MM-DD or RFC 3339, UTC)");
  add_date_option(command, "--until", arguments->until,
                  "Only alerts raised at or before this time (YYYY-MM-DD is midnight UTC at the start of that day)");
  command->add_option("--min-severity", arguments->min_severity, "Hide alerts below this severity")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}))
      ->default_str("info");
  command
      ->add_option("--state", arguments->states,
                   "Only alerts in these states (repeatable or comma-separated); default: open,ack")
      ->delimiter(',')
      ->check(CLI::IsMember({"open", "ack", "acknowledged", "resolved", "muted", "all"}))
      ->type_name("STATE");
  std::vector<std::string> platforms;
  for (std::string_view platform : config::known_platforms()) platforms.emplace_back(platform);
  command->add_option("--platform", arguments->platform, "Only alerts about identities of this platform")
      ->check(CLI::IsMember(platforms))
      ->type_name("PLATFORM");
  command
      ->add_option("--detector", arguments->detectors,
                   "Only alerts of this detector id (repeatable; a trailing * matches a prefix, e.g. 'okta.*')")
      ->type_name("ID");
  command->callback([arguments, &context] { run_alerts(*arguments, context); });
}

}  // namespace keyward::cli
