#include "secrets/rule_examples.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace keyward::secrets {

ExampleReport check_rule_examples(const Scanner& scanner, const std::vector<std::string>& only) {
  ExampleReport report;
  auto scratch = scanner.make_scratch();
  for (const SecretRule& rule : scanner.rules()) {
    if (!only.empty() && std::find(only.begin(), only.end(), rule.id) == only.end()) continue;
    ++report.rules;
    if (rule.examples.empty()) report.failures.push_back({std::string(rule.id), "has no examples"});
    if (rule.negative_examples.empty()) report.failures.push_back({std::string(rule.id), "has no negative examples"});

    const auto count_own = [&](std::string_view text) {
      const auto matches = scanner.scan(text, *scratch);
      return std::count_if(matches.begin(), matches.end(), [&](const Match& match) { return match.rule == &rule; });
    };
    for (std::size_t i = 0; i < rule.examples.size(); ++i) {
      ++report.examples;
      if (const auto found = count_own(rule.examples[i]); found != 1) {
        report.failures.push_back({std::string(rule.id), fmt::format("example {}: {} matches, expected 1", i + 1, found)});
      }
    }
    for (std::size_t i = 0; i < rule.negative_examples.size(); ++i) {
      ++report.examples;
      if (const auto found = count_own(rule.negative_examples[i]); found != 0) {
        report.failures.push_back(
            {std::string(rule.id), fmt::format("negative example {}: {} matches, expected none", i + 1, found)});
      }
    }
  }
  return report;
}

}  // namespace keyward::secrets
