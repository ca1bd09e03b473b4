#include "posture/policy/escalation_paths.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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

TEST(EscalationPaths, TableIsNumberedThenNamed) {
  const auto& paths = escalation_paths();
  ASSERT_EQ(paths.size(), 30u);
  std::set<std::string> labels;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    EXPECT_EQ(paths[i].number, i < 21 ? static_cast<int>(i) + 1 : 0);
    EXPECT_FALSE(paths[i].actions.empty());
    EXPECT_EQ(paths[i].targets.size(), paths[i].actions.size()) << path_label(paths[i]);
    bool passes_role = std::find(paths[i].actions.begin(), paths[i].actions.end(), "iam:PassRole") != paths[i].actions.end();
    EXPECT_EQ(passes_role, !paths[i].service.empty()) << path_label(paths[i]);
    EXPECT_TRUE(labels.insert(path_label(paths[i])).second) << path_label(paths[i]);
  }
  EXPECT_EQ(path_label(paths[3]), "privesc4 CreateAccessKey");
  EXPECT_EQ(path_label(paths[29]), "SSMStartSession");
}

TEST(EscalationPaths, EachSetMatchesItsOwnActions) {
  for (const auto& path : escalation_paths()) {
    std::vector<std::string> actions(path.actions.begin(), path.actions.end());
    std::vector<core::Grant> grants = {allow(actions)};
    std::vector<PathMatch> matches = find_escalation_paths(grants);
    bool found = std::any_of(matches.begin(), matches.end(), [&](const PathMatch& match) { return match.path == &path; });
    EXPECT_TRUE(found) << path_label(path);
  }
}

TEST(EscalationPaths, ResourceScopedGrantMatchesListedTarget) {
  std::vector<core::Grant> grants = {allow({"iam:CreatePolicyVersion"}, {"arn:aws:iam::*:policy/app-*"})};
  TargetResources own_policies = [](Target target, const EscalationPath&) {
    std::vector<std::string> resources;
    if (target == Target::own_policy) resources.push_back("arn:aws:iam::111122223333:policy/app-runtime");
    return resources;
  };
  std::vector<PathMatch> matches = find_escalation_paths(grants, RequestContext{}, own_policies);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].path->number, 1);
  EXPECT_EQ(matches[0].resources[0], "arn:aws:iam::111122223333:policy/app-runtime");
}

TEST(EscalationPaths, PassedToServiceMustMatchSet) {
  core::Grant pass = allow({"iam:PassRole"});
  pass.condition = {{"StringEquals", {{"iam:PassedToService", "lambda.amazonaws.com"}}}};
  std::vector<core::Grant> grants = {pass, allow({"ec2:RunInstances", "lambda:CreateFunction", "lambda:InvokeFunction"})};
  std::set<int> numbers = matched_numbers(grants);
  EXPECT_FALSE(numbers.count(3)) << "the role may be passed to Lambda only, not to EC2";
  EXPECT_TRUE(numbers.count(15));
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
