// `keyward rules secrets` lists the secret rules of `keyward scan`; with --patterns it prints one
// pattern per line, the input ripgrep's -f takes, for side-by-side benchmarks.

#include <fmt/format.h>

#include "cli/context.hpp"
#include "report/table.hpp"
#include "secrets/rule.hpp"

namespace keyward::cli {
namespace {

struct SecretRulesArguments {
  OutputFormat format = OutputFormat::table;
  bool patterns = false;
};

std::string validation_label(const secrets::SecretRule& rule) {
  if (rule.checksum) return "checksum";
  if (rule.validate != nullptr) return "structure";
  if (rule.min_entropy > 0) return "entropy";
  return "pattern";
}

void run_secret_rules(const SecretRulesArguments& arguments) {
  const auto& rules = secrets::builtin_rules();
  if (arguments.patterns) {
    for (const auto& rule : rules) fmt::print("{}\n", rule.pattern);
    return;
  }
  if (arguments.format == OutputFormat::json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& rule : rules) {
      out.push_back({{"id", rule.id},
                     {"name", rule.name},
                     {"service", rule.service},
                     {"category", secrets::to_string(rule.category)},
                     {"validation", validation_label(rule)},
                     {"inventory_kind", rule.credential_kind},
                     {"reference", rule.reference}});
    }
    fmt::print("{}\n", out.dump(2));
    return;
  }
  report::Table table({{"RULE", 34}, {"SERVICE", 16}, {"CATEGORY", 16}, {"VALIDATION", 10}, {"NAME", 40}});
  for (const auto& rule : rules) {
    table.add_row({std::string(rule.id), std::string(rule.service), std::string(secrets::to_string(rule.category)),
                   validation_label(rule), std::string(rule.name)});
  }
  fmt::print("{}", table.render(table_width()));
  fmt::print("{} secret rules.\n", rules.size());
}

}  // namespace

void add_secret_rules_command(CLI::App* rules) {
  auto arguments = std::make_shared<SecretRulesArguments>();
  CLI::App* command = rules->add_subcommand("secrets", "List the secret rules of keyward scan");
  add_format_option(command, arguments->format);
  command->add_flag("--patterns", arguments->patterns,
                    "Print only the patterns, one per line (the pattern file ripgrep -f reads)");
  command->callback([arguments] { run_secret_rules(*arguments); });
}

}  // namespace keyward::cli
