#include "posture/policy/escalation_paths.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace keyward::posture::policy {
namespace {

core::Grant allow(std::vector<std::string> actions, std::vector<std::string> resources = {"*"}) {
  core::Grant grant;
  grant.platform = "aws";
  grant.actions = std::move(actions);
  grant.resources = std::move(resources);
  grant.source_policy = "inline:test";
  grant.via = "user";
  return grant;
}

std::set<int> matched_numbers(const std::vector<core::Grant>& grants) {
  std::set<int> numbers;
  for (const auto& match : find_escalation_paths(grants)) numbers.insert(match.path->number);
  return numbers;
}

TEST(EscalationPaths, TableIsNumberedOneToTwentyOne) {
  const auto& paths = escalation_paths();
  ASSERT_EQ(paths.size(), 21u);
  for (std::size_t i = 0; i < paths.size(); ++i) {
    EXPECT_EQ(paths[i].number, static_cast<int>(i) + 1);
    EXPECT_FALSE(paths[i].actions.empty());
  }
}

TEST(EscalationPaths, EachSetMatchesItsOwnActions) {
  for (const auto& path : escalation_paths()) {
    std::vector<std::string> actions(path.actions.begin(), path.actions.end());
    std::set<int> numbers = matched_numbers({allow(actions)});
    EXPECT_TRUE(numbers.count(path.number)) << "privesc" << path.number;
  }
}

TEST(EscalationPaths, PartialSetDoesNotMatch) {
  EXPECT_TRUE(matched_numbers({allow({"iam:PassRole"})}).empty());
  EXPECT_TRUE(matched_numbers({allow({"ec2:RunInstances", "ec2:DescribeInstances"})}).empty());
  EXPECT_TRUE(matched_numbers({allow({"iam:PassRole", "lambda:CreateFunction"})}).empty());
}

TEST(EscalationPaths, SetMayComeFromSeveralStatements) {
  std::vector<core::Grant> grants = {allow({"iam:PassRole"}), allow({"ec2:RunInstances"})};
  std::vector<PathMatch> matches = find_escalation_paths(grants);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].path->number, 3);
  EXPECT_EQ(matches[0].evaluations[0].allowed_by, &grants[0]);
  EXPECT_EQ(matches[0].evaluations[1].allowed_by, &grants[1]);
}

TEST(EscalationPaths, ResourceScopedGrantDoesNotMatch) {
  EXPECT_TRUE(matched_numbers({allow({"iam:CreatePolicyVersion"}, {"arn:aws:iam::*:policy/app-*"})}).empty());
}

TEST(EscalationPaths, DenyRemovesSet) {
  core::Grant guard = allow({"iam:*"});
  guard.effect = "Deny";
  EXPECT_TRUE(matched_numbers({allow({"iam:*"}), guard}).empty());
}

TEST(EscalationPaths, ServiceWildcardMatchesManySets) {
  std::set<int> numbers = matched_numbers({allow({"iam:*"})});
  EXPECT_EQ(numbers, (std::set<int>{1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}));
}

TEST(EscalationPaths, ConditionalActionMarksMatch) {
  core::Grant grant = allow({"iam:CreateAccessKey"});
  grant.condition = {{"DateGreaterThan", {{"aws:TokenIssueTime", "2020-01-01T00:00:01Z"}}}};
  std::vector<PathMatch> matches = find_escalation_paths(std::vector<core::Grant>{grant});
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_TRUE(matches[0].conditional);
}

}  // namespace
}  // namespace keyward::posture::policy
