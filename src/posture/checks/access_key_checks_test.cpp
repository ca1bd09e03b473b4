// Runs the positive and negative examples of the access-key, root, console-password and
// departed-owner checks through the real sources, a SQLite store and run_posture (see posture/check_examples.hpp).

#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>

#include "posture/check_examples.hpp"

namespace keyward::posture {
namespace {

struct CheckFolder {
  const char* rule;
  const char* folder;
};

constexpr CheckFolder kChecks[] = {
    {"aws.access_key.unused", "access_key_unused"},
    {"aws.access_key.not_rotated", "access_key_not_rotated"},
    {"aws.access_key.never_used", "access_key_never_used"},
    {"aws.access_key.multiple_active", "access_key_multiple_active"},
    {"aws.access_key.created_with_user", "access_key_created_with_user"},
    {"aws.access_key.shared", "access_key_shared"},
    {"aws.root.access_key", "root_access_key"},
    {"aws.identity.machine_with_console_password", "machine_console_password"},
    {"nhi.owner.departed", "owner_departed"},
};

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
  const std::string directory = std::string(KEYWARD_SOURCE_DIR) + "/src/posture/checks/testdata/" + check.folder;
  const ExampleFiles files = list_check_examples(directory);
  ASSERT_FALSE(files.positive.empty()) << "no positive examples in " << directory;
  ASSERT_FALSE(files.negative.empty()) << "no negative examples in " << directory;
  run_examples(check, files.positive, true);
  run_examples(check, files.negative, false);
}

INSTANTIATE_TEST_SUITE_P(AccessKeyChecks, CheckExamples, ::testing::ValuesIn(kChecks),
                         [](const ::testing::TestParamInfo<CheckFolder>& info) { return std::string(info.param.folder); });

// The example runner itself must fail on a wrong expectation, or every example test is hollow.
TEST(CheckExampleRunner, DetectsWrongExpectation) {
  const std::string example = std::string(KEYWARD_SOURCE_DIR) +
                              "/src/posture/checks/testdata/access_key_never_used/positive/never_used_key.json";
  auto outcome = run_check_example(example, "aws.access_key.unused", std::filesystem::temp_directory_path().string());
  ASSERT_TRUE(outcome.ok()) << outcome.error().describe();
  EXPECT_FALSE(outcome->passed());
  EXPECT_TRUE(outcome->actual.empty());
}

}  // namespace
}  // namespace keyward::posture
