// `keyward rules list` prints the posture checks with their OWASP NHI Top 10 risk and platforms,
// then the threat detectors. With --coverage it counts the checks per risk and platform.
// `keyward rules check` runs every check's and detector's positive and negative examples and
// exits 1 when one disagrees.

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <set>

#include "cli/context.hpp"
#include "detect/detector.hpp"
#include "detect/detector_examples.hpp"
#include "enrich/testdata/enrich_fixture.hpp"
#include "posture/check.hpp"
#include "posture/check_examples.hpp"
#include "report/csv.hpp"
#include "report/table.hpp"
#include "secrets/database_cache.hpp"
#include "secrets/rule_examples.hpp"

namespace keyward::cli {
namespace {

// The ten risks of the OWASP Non-Human Identities Top 10 (2025).
constexpr std::pair<std::string_view, std::string_view> kOwaspRisks[] = {
    {"NHI1", "Improper Offboarding"},
    {"NHI2", "Secret Leakage"},
    {"NHI3", "Vulnerable Third-Party NHI"},
    {"NHI4", "Insecure Authentication"},
    {"NHI5", "Overprivileged NHI"},
    {"NHI6", "Insecure Cloud Deployment Configurations"},
    {"NHI7", "Long-Lived Secrets"},
    {"NHI8", "Environment Isolation"},
    {"NHI9", "NHI Reuse"},
    {"NHI10", "Human Use of NHI"},
};

constexpr std::string_view kPlatforms[] = {"aws", "gcp", "entra", "okta", "github", "workspace", "salesforce", "slack", "snowflake"};

struct RulesListArguments {
  OutputFormat format = OutputFormat::table;
  bool coverage = false;
};

struct RulesCheckArguments {
  std::string examples = posture::default_examples_root();
  std::string detector_examples = detect::default_detector_examples_root();
  std::vector<std::string> rules;
  bool verbose = false;
};

std::string platforms_label(const posture::Check& check) {
  std::string label;
  for (auto platform : check.platforms()) {
    if (!label.empty()) label += ",";
    label += platform == "*" ? "all" : std::string(platform);
  }
  return label;
}

std::string platforms_label(const detect::Detector& detector) {
  std::string label;
  for (auto platform : detector.platforms()) {
    if (!label.empty()) label += ",";
    label += std::string(platform);
  }
  return label.empty() ? "all" : label;
}

bool covers(const posture::Check& check, std::string_view platform) {
  for (auto covered : check.platforms()) {
    if (covered == "*" || covered == platform) return true;
  }
  return false;
}

void print_coverage(const std::vector<posture::RegisteredCheck>& checks) {
  std::vector<report::Column> columns = {{"RISK", 5}};
  for (auto platform : kPlatforms) columns.push_back({std::string(platform), 3});
  report::Table table(std::move(columns));
  for (const auto& [risk, name] : kOwaspRisks) {
    std::vector<std::string> row = {std::string(risk)};
    for (auto platform : kPlatforms) {
      int count = 0;
      for (const auto& registered : checks) {
        if (registered.check->owasp() == risk && covers(*registered.check, platform)) ++count;
      }
      row.push_back(count == 0 ? "-" : std::to_string(count));
    }
    table.add_row(std::move(row));
  }
  fmt::print("Checks per OWASP NHI Top 10 (2025) risk and platform:\n{}", table.render(table_width()));
  for (const auto& [risk, name] : kOwaspRisks) fmt::print("  {:<6}{}\n", risk, name);
}

void run_rules_list(const RulesListArguments& arguments) {
  const auto checks = posture::registered_checks();
  if (arguments.coverage) {
    print_coverage(checks);
    return;
  }
  if (arguments.format == OutputFormat::json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& registered : checks) {
      const posture::Check& check = *registered.check;
      nlohmann::json platforms = nlohmann::json::array();
      for (auto platform : check.platforms()) platforms.push_back(std::string(platform));
      out.push_back({{"kind", "check"},
                     {"id", std::string(check.id())},
                     {"title", std::string(check.title())},
                     {"severity", std::string(core::to_string(check.severity()))},
                     {"owasp", std::string(check.owasp())},
                     {"platforms", platforms},
                     {"description", std::string(check.description())}});
    }
    for (const auto& detector : detect::make_detectors()) {
      nlohmann::json platforms = nlohmann::json::array();
      for (auto platform : detector->platforms()) platforms.push_back(std::string(platform));
      out.push_back({{"kind", "detector"},
                     {"id", std::string(detector->id())},
                     {"title", std::string(detector->title())},
                     {"platforms", platforms},
                     {"description", std::string(detector->description())}});
    }
    fmt::print("{}\n", out.dump(2));
    return;
  }
  if (arguments.format == OutputFormat::csv) {
    // The same rows as the JSON output: checks, then detectors, which have no OWASP risk or
    // default severity.
    fmt::print("{}", report::csv_row({"kind", "id", "owasp", "severity", "platforms", "title", "description"}));
    for (const auto& registered : checks) {
      const posture::Check& check = *registered.check;
      fmt::print("{}", report::csv_row({"check", std::string(check.id()), std::string(check.owasp()),
                                        std::string(core::to_string(check.severity())), platforms_label(check),
                                        std::string(check.title()), std::string(check.description())}));
    }
    for (const auto& detector : detect::make_detectors()) {
      fmt::print("{}", report::csv_row({"detector", std::string(detector->id()), "", "", platforms_label(*detector),
                                        std::string(detector->title()), std::string(detector->description())}));
    }
    return;
  }
  report::Table table({{"RULE", 34}, {"OWASP", 5}, {"DEFAULT", 8}, {"PLATFORMS", 9, true}, {"TITLE", 12, true}});
  for (const auto& registered : checks) {
    const posture::Check& check = *registered.check;
    table.add_row({std::string(check.id()), std::string(check.owasp()), std::string(core::to_string(check.severity())),
                   platforms_label(check), std::string(check.title())});
  }
  fmt::print("{}{} checks. DEFAULT is the check's usual severity; a finding can be rated higher or lower.\n"
             "Coverage by OWASP risk and platform: keyward rules list --coverage\n\n",
             table.render(table_width()), checks.size());

  const auto detectors = detect::make_detectors();
  report::Table detector_table({{"DETECTOR", 34}, {"PLATFORMS", 9, true}, {"TITLE", 12, true}});
  for (const auto& detector : detectors) {
    detector_table.add_row({std::string(detector->id()), platforms_label(*detector), std::string(detector->title())});
  }
  fmt::print("{}{} threat detectors; they run on activity logs during ingest and watch.\n",
             detector_table.render(table_width()), detectors.size());
}

// Runs one example file, prints its outcome and returns whether it passed.
bool run_one_example(const std::string& rule, const std::string& file, bool positive, const std::string& work,
                     bool verbose) {
  auto outcome = posture::run_check_example(file, rule, work);
  const std::string name = std::filesystem::path(file).filename().string();
  if (!outcome) {
    fmt::print("FAIL  {}  {}: {}\n", rule, name, outcome.error().describe());
    return false;
  }
  bool passed = outcome->passed();
  std::string problem;
  if (positive && outcome->expected.empty()) {
    passed = false;
    problem = "a positive example must expect at least one finding";
  } else if (!positive && !outcome->expected.empty()) {
    passed = false;
    problem = "a negative example must expect no finding";
  }
  if (passed) {
    if (verbose) fmt::print("ok    {}  {}\n", rule, name);
    return true;
  }
  fmt::print("FAIL  {}  {}\n", rule, name);
  if (!problem.empty()) fmt::print("      {}\n", problem);
  fmt::print("      {}\n", outcome->describe());
  return false;
}

struct SecretExamplesRun {
  int rules = 0;
  int examples = 0;
  int failures = 0;
  std::set<std::string> known;  // every secret rule id
};

// Runs the secret rules' examples through the real scanner; `only` limits it to these rule ids
// when any of them is a secret rule.
SecretExamplesRun run_secret_rule_examples(const std::vector<std::string>& only, bool verbose) {
  SecretExamplesRun run;
  for (const auto& rule : secrets::builtin_rules()) run.known.insert(std::string(rule.id));
  std::vector<std::string> selected;
  for (const auto& id : only) {
    if (run.known.count(id)) selected.push_back(id);
  }
  if (!only.empty() && selected.empty()) return run;
  auto scanner = secrets::Scanner::build(secrets::builtin_rules(), secrets::default_cache_directory());
  if (!scanner.ok()) {
    fmt::print("FAIL  secret rules: {}\n", scanner.error().message);
    run.failures = 1;
    return run;
  }
  const secrets::ExampleReport report = secrets::check_rule_examples(**scanner, selected);
  run.rules = report.rules;
  run.examples = report.examples;
  run.failures = static_cast<int>(report.failures.size());
  for (const auto& failure : report.failures) fmt::print("FAIL  {}  {}\n", failure.rule_id, failure.problem);
  if (verbose && report.failures.empty()) fmt::print("ok    {} secret rules\n", report.rules);
  return run;
}

void run_rules_check(const RulesCheckArguments& arguments, CliContext& context) {
  if (!std::filesystem::is_directory(arguments.examples)) {
    print_error(fmt::format("examples directory {} not found; pass --examples with the src/posture/checks/testdata "
                            "folder of a keyward source tree",
                            arguments.examples));
    context.exit_code = 1;
    return;
  }
  const std::set<std::string> wanted(arguments.rules.begin(), arguments.rules.end());
  const std::string work = std::filesystem::temp_directory_path().string();
  int examples = 0;
  int failures = 0;
  int checks_run = 0;
  for (const auto& registered : posture::registered_checks()) {
    const std::string rule(registered.check->id());
    if (!wanted.empty() && !wanted.count(rule)) continue;
    ++checks_run;
    const auto files = posture::list_check_examples(arguments.examples + "/" + registered.examples_folder);
    if (files.positive.empty() || files.negative.empty()) {
      ++failures;
      fmt::print("FAIL  {}  needs at least one positive and one negative example in {}/{}/\n", rule, arguments.examples,
                 registered.examples_folder);
      continue;
    }
    for (const auto& file : files.positive) {
      ++examples;
      if (!run_one_example(rule, file, true, work, arguments.verbose)) ++failures;
    }
    for (const auto& file : files.negative) {
      ++examples;
      if (!run_one_example(rule, file, false, work, arguments.verbose)) ++failures;
    }
  }
  int detector_examples = 0;
  int detectors_run = 0;
  const auto detectors = detect::make_detectors();
  // Detector examples need geo and ASN data with known answers: the test fixture, which
  // make_test_mmdb.pl writes with perl's MaxMind::DB::Writer.
  const auto& fixture = enrich::testing::EnrichFixture::get();
  bool wants_detectors = wanted.empty();
  for (const auto& detector : detectors) wants_detectors = wants_detectors || wanted.count(std::string(detector->id()));
  if (wants_detectors && (!fixture.skip_reason().empty() || !fixture.error().empty())) {
    ++failures;
    fmt::print("FAIL  detector examples not run: {}\n",
               fixture.skip_reason().empty() ? fixture.error() : fixture.skip_reason());
  } else if (wants_detectors) {
    enrich::EnrichOptions enrichment;
    enrichment = fixture.options();
    for (const auto& detector : detectors) {
      const std::string id(detector->id());
      if (!wanted.empty() && !wanted.count(id)) continue;
      ++detectors_run;
      const auto examples_of = detect::list_detector_examples(arguments.detector_examples, id);
      bool positive = false, negative = false;
      for (const auto& example : examples_of) (example.positive ? positive : negative) = true;
      if (!positive || !negative) {
        ++failures;
        fmt::print("FAIL  {}  needs at least one positive_ and one negative_ example in {}/{}/\n", id,
                   arguments.detector_examples, id);
      }
      for (const auto& example : examples_of) {
        ++detector_examples;
        auto outcome = detect::run_detector_example(example, id, enrichment, work);
        const std::string name = std::filesystem::path(example.path).filename().string();
        if (!outcome) {
          ++failures;
          fmt::print("FAIL  {}  {}: {}\n", id, name, outcome.error().describe());
        } else if (!outcome->passed()) {
          ++failures;
          fmt::print("FAIL  {}  {}\n", id, outcome->describe());
        } else if (arguments.verbose) {
          fmt::print("ok    {}  {}\n", id, name);
        }
      }
    }
  }

  const SecretExamplesRun secret_run = run_secret_rule_examples(arguments.rules, arguments.verbose);
  failures += secret_run.failures;

  for (const auto& rule : wanted) {
    bool known = secret_run.known.count(rule) > 0;
    for (const auto& registered : posture::registered_checks()) known = known || registered.check->id() == rule;
    for (const auto& detector : detectors) known = known || detector->id() == rule;
    if (!known) {
      print_error(fmt::format("unknown rule {}; keyward rules list shows the rule ids", rule));
      context.exit_code = 1;
      return;
    }
  }
  fmt::print("{} examples of {} checks, {} examples of {} detectors and {} examples of {} secret rules: {} failed.\n",
             examples, checks_run, detector_examples, detectors_run, secret_run.examples, secret_run.rules, failures);
  if (failures > 0) context.exit_code = 1;
}

}  // namespace

void add_rules_command(CLI::App& app, CliContext& context) {
  CLI::App* rules = app.add_subcommand("rules", "List the posture checks, threat detectors and secret rules and run their examples");
  rules->require_subcommand(1);

  auto list_arguments = std::make_shared<RulesListArguments>();
  CLI::App* list = rules->add_subcommand(
      "list", "List every posture check with its OWASP NHI risk and platforms, then every threat detector");
  add_format_option(list, list_arguments->format);
  list->add_flag("--coverage", list_arguments->coverage, "Print how many checks cover each OWASP risk on each platform");
  list->callback([list_arguments] { run_rules_list(*list_arguments); });

  auto check_arguments = std::make_shared<RulesCheckArguments>();
  CLI::App* check = rules->add_subcommand(
      "check", "Run each check's and detector's positive and negative examples through the real sources, posture "
               "and detection engines");
  check->add_option("--examples", check_arguments->examples, "Folder holding one example folder per check")
      ->default_str(posture::default_examples_root());
  check->add_option("--detector-examples", check_arguments->detector_examples,
                    "Folder holding one example folder per detector (named by detector id)")
      ->default_str(detect::default_detector_examples_root());
  check->add_option("--rule", check_arguments->rules,
                    "Run only this check's, detector's or secret rule's examples (repeatable)");
  check->add_flag("-v,--verbose", check_arguments->verbose, "Also print examples that pass");
  check->callback([check_arguments, &context] { run_rules_check(*check_arguments, context); });

  add_secret_rules_command(rules);
}

}  // namespace keyward::cli
