// Runs the positive and negative examples of every registered check through the real sources,
// a SQLite store and run_posture (see posture/check_examples.hpp), so each check's examples
// prove what the shipped code does. `keyward rules check` runs the same examples.

#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>
#include <set>

#include "posture/check.hpp"
#include "posture/check_examples.hpp"

namespace keyward::posture {
namespace {

struct CheckFolder {
  std::string rule;
  std::string folder;
};

std::vector<CheckFolder> checks_with_examples() {
  std::vector<CheckFolder> folders;
  for (const auto& registered : registered_checks()) {
    folders.push_back(CheckFolder{std::string(registered.check->id()), registered.examples_folder});
  }
  return folders;
}

// Prints the rule id, not the struct's bytes, in gtest's parameter messages.
void PrintTo(const CheckFolder& check, std::ostream* out) { *out << check.rule; }

class CheckExamples : public ::testing::TestWithParam<CheckFolder> {};

void run_examples(const CheckFolder& check, const std::vector<std::string>& files, bool positive) {
  const std::string work = std::filesystem::temp_directory_path().string();
  for (const auto& file : files) {
    SCOPED_TRACE(file);
    auto outcome = run_check_example(file, check.rule, work);
    ASSERT_TRUE(outcome.ok()) << outcome.error().describe();
    if (positive) {
      EXPECT_FALSE(outcome->expected.empty()) << "a positive example must expect a finding";
    } else {
      EXPECT_TRUE(outcome->expected.empty()) << "a negative example must expect no finding";
    }
    EXPECT_TRUE(outcome->passed()) << outcome->describe();
    for (const auto& evidence : outcome->evidence) EXPECT_FALSE(evidence.empty());
  }
}

TEST_P(CheckExamples, PositiveAndNegative) {
  const CheckFolder check = GetParam();
  const std::string directory = default_examples_root() + "/" + check.folder;
  const ExampleFiles files = list_check_examples(directory);
  ASSERT_FALSE(files.positive.empty()) << "no positive examples in " << directory;
  ASSERT_FALSE(files.negative.empty()) << "no negative examples in " << directory;
  run_examples(check, files.positive, true);
  run_examples(check, files.negative, false);
}

INSTANTIATE_TEST_SUITE_P(RegisteredChecks, CheckExamples, ::testing::ValuesIn(checks_with_examples()),
                         [](const ::testing::TestParamInfo<CheckFolder>& info) { return info.param.folder; });

TEST(CheckRegistry, IdsUniqueAndDescribed) {
  std::set<std::string> ids;
  for (const auto& registered : registered_checks()) {
    const Check& check = *registered.check;
    SCOPED_TRACE(std::string(check.id()));
    EXPECT_TRUE(ids.insert(std::string(check.id())).second) << "duplicate check id";
    EXPECT_FALSE(check.title().empty());
    EXPECT_FALSE(check.description().empty());
    EXPECT_FALSE(check.platforms().empty());
    EXPECT_EQ(check.owasp().substr(0, 3), "NHI");
  }
  EXPECT_GE(ids.size(), 11u);
}

// The example runner itself must fail on a wrong expectation, or every example test is hollow.
TEST(CheckExampleRunner, DetectsWrongExpectation) {
  const std::string example = default_examples_root() + "/access_key_never_used/positive/never_used_key.json";
  auto outcome = run_check_example(example, "aws.access_key.unused", std::filesystem::temp_directory_path().string());
  ASSERT_TRUE(outcome.ok()) << outcome.error().describe();
  EXPECT_FALSE(outcome->passed());
  EXPECT_TRUE(outcome->actual.empty());
}

}  // namespace
}  // namespace keyward::posture
