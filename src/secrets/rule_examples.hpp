#pragma once

// Runs every secret rule's examples through the real Scanner: each example must produce exactly
// one match of its rule, and each negative example none. `keyward rules check` and the tests
// both use it.

#include <string>
#include <vector>

#include "secrets/scanner.hpp"

namespace keyward::secrets {

struct ExampleFailure {
  std::string rule_id;
  std::string problem;  // e.g. "example 2: 0 matches, expected 1"; never quotes the example
};

struct ExampleReport {
  int rules = 0;
  int examples = 0;           // positive and negative examples run
  std::vector<ExampleFailure> failures;
};

// Checks the rules `scanner` was built from; `only` limits the run to these rule ids when not empty.
ExampleReport check_rule_examples(const Scanner& scanner, const std::vector<std::string>& only = {});

}  // namespace keyward::secrets
