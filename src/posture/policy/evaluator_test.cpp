#include "posture/policy/evaluator.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace keyward::posture::policy {
namespace {

core::Grant statement(std::string effect, std::vector<std::string> actions, std::vector<std::string> resources) {
  core::Grant grant;
  grant.platform = "aws";
  grant.identity_id = "arn:aws:iam::111122223333:user/app";
  grant.effect = std::move(effect);
  grant.actions = std::move(actions);
  grant.resources = std::move(resources);
  grant.source_policy = "inline:test";
  grant.via = "user";
  return grant;
}

core::Grant allow(std::vector<std::string> actions, std::vector<std::string> resources = {"*"}) {
  return statement("Allow", std::move(actions), std::move(resources));
}

core::Grant deny(std::vector<std::string> actions, std::vector<std::string> resources = {"*"}) {
  return statement("Deny", std::move(actions), std::move(resources));
}

TEST(PolicyEvaluate, NothingMatchingIsImplicitDeny) {
  std::vector<core::Grant> grants = {allow({"s3:GetObject"})};
  Evaluation result = evaluate(grants, "iam:CreateAccessKey");
  EXPECT_EQ(result.decision, Decision::implicit_deny);
  EXPECT_EQ(result.allowed_by, nullptr);
}

TEST(PolicyEvaluate, WildcardAllowMatches) {
  std::vector<core::Grant> grants = {allow({"iam:Create*"})};
  Evaluation result = evaluate(grants, "iam:CreateAccessKey");
  EXPECT_TRUE(result.allowed());
  EXPECT_EQ(result.allowed_by, &grants[0]);
}

TEST(PolicyEvaluate, ListsEveryAllowingStatement) {
  std::vector<core::Grant> grants = {allow({"s3:GetObject"}), allow({"iam:*"}), allow({"iam:CreateAccessKey"})};
  Evaluation result = evaluate(grants, "iam:CreateAccessKey");
  ASSERT_EQ(result.allowing.size(), 2u);
  EXPECT_EQ(result.allowing[0], &grants[1]);
  EXPECT_EQ(result.allowing[1], &grants[2]);
}

TEST(PolicyEvaluate, ExplicitDenyWins) {
  std::vector<core::Grant> grants = {allow({"*"}), deny({"iam:*"})};
  Evaluation result = evaluate(grants, "iam:CreateAccessKey");
  EXPECT_EQ(result.decision, Decision::explicit_deny);
  EXPECT_EQ(result.denied_by, &grants[1]);
  EXPECT_EQ(result.allowed_by, &grants[0]);
  EXPECT_TRUE(evaluate(grants, "s3:GetObject").allowed());
}

TEST(PolicyEvaluate, NotActionAllowsEverythingElse) {
  core::Grant grant = allow({"iam:Update*", "iam:Create*"});
  grant.not_action = true;
  std::vector<core::Grant> grants = {grant};
  EXPECT_TRUE(evaluate(grants, "iam:PutUserPolicy").allowed());
  EXPECT_FALSE(evaluate(grants, "iam:CreateAccessKey").allowed());
}

TEST(PolicyEvaluate, NotActionDenyLeavesListedActions) {
  core::Grant guard = deny({"s3:*"});
  guard.not_action = true;
  std::vector<core::Grant> grants = {allow({"*"}), guard};
  EXPECT_TRUE(evaluate(grants, "s3:GetObject").allowed());
  EXPECT_EQ(evaluate(grants, "iam:CreateUser").decision, Decision::explicit_deny);
}

TEST(PolicyEvaluate, ResourceScopedAllowIsNotAnyResource) {
  std::vector<core::Grant> grants = {allow({"iam:CreatePolicyVersion"}, {"arn:aws:iam::*:policy/app-*"})};
  EXPECT_FALSE(evaluate(grants, "iam:CreatePolicyVersion", kAnyResource).allowed());
  EXPECT_TRUE(evaluate(grants, "iam:CreatePolicyVersion", "arn:aws:iam::111122223333:policy/app-x").allowed());
  EXPECT_FALSE(evaluate(grants, "iam:CreatePolicyVersion", "arn:aws:iam::111122223333:policy/other").allowed());
}

TEST(PolicyEvaluate, ResourceArnIsCaseSensitive) {
  std::vector<core::Grant> grants = {allow({"s3:GetObject"}, {"arn:aws:s3:::Reports/*"})};
  EXPECT_TRUE(evaluate(grants, "s3:GetObject", "arn:aws:s3:::Reports/q1.csv").allowed());
  EXPECT_FALSE(evaluate(grants, "s3:GetObject", "arn:aws:s3:::reports/q1.csv").allowed());
}

TEST(PolicyEvaluate, NotResourceAllowCountsAsAnyResource) {
  core::Grant grant = allow({"iam:CreateAccessKey"}, {"arn:aws:iam::111122223333:user/admin"});
  grant.not_resource = true;
  std::vector<core::Grant> grants = {grant};
  EXPECT_TRUE(evaluate(grants, "iam:CreateAccessKey", kAnyResource).allowed());
  EXPECT_FALSE(evaluate(grants, "iam:CreateAccessKey", "arn:aws:iam::111122223333:user/admin").allowed());
  EXPECT_TRUE(evaluate(grants, "iam:CreateAccessKey", "arn:aws:iam::111122223333:user/ci").allowed());
}

TEST(PolicyEvaluate, DenyOnSomeResourcesLeavesOthers) {
  std::vector<core::Grant> grants = {allow({"iam:CreateAccessKey"}),
                                     deny({"iam:CreateAccessKey"}, {"arn:aws:iam::111122223333:user/admin"})};
  EXPECT_TRUE(evaluate(grants, "iam:CreateAccessKey", kAnyResource).allowed());
  EXPECT_EQ(evaluate(grants, "iam:CreateAccessKey", "arn:aws:iam::111122223333:user/admin").decision,
            Decision::explicit_deny);
}

TEST(PolicyEvaluate, ConditionalAllowIsFlagged) {
  core::Grant grant = allow({"iam:CreateAccessKey"});
  grant.condition = {{"Bool", {{"aws:MultiFactorAuthPresent", "true"}}}};
  std::vector<core::Grant> grants = {grant};
  Evaluation result = evaluate(grants, "iam:CreateAccessKey");
  EXPECT_TRUE(result.allowed());
  EXPECT_TRUE(result.conditional);

  grants.push_back(allow({"iam:*"}));
  result = evaluate(grants, "iam:CreateAccessKey");
  EXPECT_FALSE(result.conditional);
  EXPECT_EQ(result.allowed_by, &grants[1]);
}

TEST(PolicyEvaluate, ConditionalDenyIsReportedNotApplied) {
  core::Grant guard = deny({"*"});
  guard.condition = {{"Bool", {{"aws:MultiFactorAuthPresent", "false"}}}};
  std::vector<core::Grant> grants = {allow({"*"}), guard};
  Evaluation result = evaluate(grants, "iam:CreateAccessKey");
  EXPECT_TRUE(result.allowed());
  EXPECT_EQ(result.conditional_deny, &grants[1]);
}

TEST(PolicyEvaluate, PlaceholderRowsAndOtherPlatformsAreIgnored) {
  core::Grant placeholder;
  placeholder.platform = "aws";
  placeholder.source_policy = "arn:aws:iam::aws:policy/ReadOnlyAccess";
  core::Grant foreign = allow({"*"});
  foreign.platform = "gcp";
  std::vector<core::Grant> grants = {placeholder, foreign};
  EXPECT_EQ(evaluate(grants, "iam:CreateAccessKey").decision, Decision::implicit_deny);
}

TEST(PolicyEvaluate, UnmetConditionSkipsAllow) {
  core::Identity user;
  user.platform = "aws";
  user.id = "arn:aws:iam::111122223333:user/ci";
  user.kind = "iam_user";
  user.name = "ci";
  RequestContext context{&user, *core::parse_time("2025-02-18T00:00:00Z"), "", nullptr};
  core::Grant old = allow({"iam:CreatePolicyVersion"});
  old.condition = {{"DateLessThan", {{"aws:TokenIssueTime", "2020-01-01T00:00:01Z"}}}};
  std::vector<core::Grant> grants = {old};
  EXPECT_EQ(evaluate(grants, "iam:CreatePolicyVersion", kAnyResource, context).decision, Decision::implicit_deny);

  grants[0].condition = {{"DateGreaterThan", {{"aws:TokenIssueTime", "2020-01-01T00:00:01Z"}}}};
  Evaluation result = evaluate(grants, "iam:CreatePolicyVersion", kAnyResource, context);
  EXPECT_TRUE(result.allowed());
  EXPECT_FALSE(result.conditional) << "the condition is decided";
  EXPECT_NE(result.condition_reason.find("aws:TokenIssueTime"), std::string::npos) << result.condition_reason;
}

TEST(PolicyEvaluate, MetConditionAppliesDeny) {
  core::Identity user;
  user.platform = "aws";
  user.id = "arn:aws:iam::111122223333:user/ci";
  user.kind = "iam_user";
  user.classification = core::Classification::machine;
  RequestContext context{&user, 0, "", nullptr};
  core::Grant guard = deny({"*"});
  guard.condition = {{"BoolIfExists", {{"aws:MultiFactorAuthPresent", "false"}}}};
  std::vector<core::Grant> grants = {allow({"*"}), guard};
  Evaluation result = evaluate(grants, "iam:CreateAccessKey", kAnyResource, context);
  EXPECT_EQ(result.decision, Decision::explicit_deny);
  EXPECT_EQ(result.denied_by, &grants[1]);
}

TEST(PolicyEvaluate, BoundaryLimitsAllow) {
  std::vector<core::Grant> boundary = {allow({"s3:*"})};
  RequestContext context;
  context.boundary = &boundary;
  std::vector<core::Grant> grants = {allow({"*"})};
  Evaluation outside = evaluate(grants, "iam:CreateAccessKey", kAnyResource, context);
  EXPECT_EQ(outside.decision, Decision::implicit_deny);
  EXPECT_TRUE(outside.outside_boundary);
  EXPECT_TRUE(evaluate(grants, "s3:GetObject", kAnyResource, context).allowed());

  boundary.push_back(deny({"s3:DeleteObject"}));
  EXPECT_EQ(evaluate(grants, "s3:DeleteObject", kAnyResource, context).decision, Decision::explicit_deny);
}

TEST(PolicyEvaluate, BoundaryRowsAreNotIdentityPolicy) {
  core::Grant row = allow({"*"});
  row.via = std::string(kBoundaryVia);
  std::vector<core::Grant> grants = {row};
  EXPECT_EQ(evaluate(grants, "iam:CreateAccessKey").decision, Decision::implicit_deny);
}

TEST(PolicyEvaluate, ResourceVariablesUseCaller) {
  core::Identity user;
  user.platform = "aws";
  user.kind = "iam_user";
  user.name = "ci";
  RequestContext context{&user, 0, "", nullptr};
  std::vector<core::Grant> grants = {allow({"iam:CreateAccessKey"}, {"arn:aws:iam::*:user/${aws:username}"})};
  EXPECT_TRUE(evaluate(grants, "iam:CreateAccessKey", "arn:aws:iam::111122223333:user/ci", context).allowed());
  EXPECT_FALSE(evaluate(grants, "iam:CreateAccessKey", "arn:aws:iam::111122223333:user/admin", context).allowed());
  EXPECT_FALSE(evaluate(grants, "iam:CreateAccessKey", kAnyResource, context).allowed());
}

TEST(PolicyEvaluate, UnrestrictedResourcePatterns) {
  EXPECT_TRUE(is_unrestricted_resource("*"));
  EXPECT_TRUE(is_unrestricted_resource("arn:*"));
  EXPECT_TRUE(is_unrestricted_resource("arn:*:*:*:*:*"));
  EXPECT_TRUE(is_unrestricted_resource("arn:aws:*:*:*:*"));
  EXPECT_FALSE(is_unrestricted_resource("arn:aws:iam::*:user/*"));
  EXPECT_FALSE(is_unrestricted_resource("arn:aws:iam::*:policy/fn2-*"));
  EXPECT_FALSE(is_unrestricted_resource("arn:aws:"));
  EXPECT_FALSE(is_unrestricted_resource(""));
}

}  // namespace
}  // namespace keyward::posture::policy
