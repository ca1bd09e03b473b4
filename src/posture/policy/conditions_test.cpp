#include "posture/policy/conditions.hpp"

#include <gtest/gtest.h>

namespace keyward::posture::policy {
namespace {

using nlohmann::json;

core::Identity machine_user() {
  core::Identity identity;
  identity.platform = "aws";
  identity.id = "arn:aws:iam::111122223333:user/ci";
  identity.kind = "iam_user";
  identity.name = "ci";
  identity.account = "111122223333";
  identity.classification = core::Classification::machine;
  identity.attributes["tags"] = {{"team", "build"}};
  return identity;
}

core::Identity machine_role() {
  core::Identity identity = machine_user();
  identity.id = "arn:aws:iam::111122223333:role/worker";
  identity.kind = "iam_role";
  identity.name = "worker";
  return identity;
}

class Conditions : public ::testing::Test {
 protected:
  ConditionResult allow(const json& condition, std::string_view action = "iam:CreateAccessKey") {
    return evaluate_condition(condition, false, action, context).result;
  }
  ConditionResult deny(const json& condition, std::string_view action = "iam:CreateAccessKey") {
    return evaluate_condition(condition, true, action, context).result;
  }

  core::Identity principal = machine_user();
  RequestContext context{&principal, *core::parse_time("2025-02-18T00:00:00Z"), "", nullptr};
};

TEST_F(Conditions, MissingBlockIsMet) {
  EXPECT_EQ(allow(json()), ConditionResult::met);
  EXPECT_EQ(allow(json::object()), ConditionResult::met);
}

TEST_F(Conditions, TokenIssueTimeBeforePastDateCannotHold) {
  json before = {{"DateLessThan", {{"aws:TokenIssueTime", "2020-01-01T00:00:01Z"}}}};
  json after = {{"DateGreaterThan", {{"aws:TokenIssueTime", "2020-01-01T00:00:01Z"}}}};
  EXPECT_EQ(allow(before), ConditionResult::not_met);
  EXPECT_EQ(allow(after), ConditionResult::met);
  EXPECT_EQ(deny(after), ConditionResult::not_met) << "long-term keys carry no token, so the Deny can be avoided";
}

TEST_F(Conditions, TimeConditionsUnknownWithoutTime) {
  context.as_of = 0;
  EXPECT_EQ(allow({{"DateLessThan", {{"aws:TokenIssueTime", "2020-01-01T00:00:01Z"}}}}), ConditionResult::unknown);
}

TEST_F(Conditions, CurrentTimeIsAnalysisTime) {
  EXPECT_EQ(allow({{"DateLessThan", {{"aws:CurrentTime", "2024-01-01T00:00:00Z"}}}}), ConditionResult::not_met);
  EXPECT_EQ(allow({{"DateLessThan", {{"aws:CurrentTime", "2026-01-01T00:00:00Z"}}}}), ConditionResult::met);
  EXPECT_EQ(allow({{"NumericGreaterThan", {{"aws:EpochTime", 1700000000}}}}), ConditionResult::met);
}

TEST_F(Conditions, MfaAbsentForMachineIdentity) {
  json required = {{"Bool", {{"aws:MultiFactorAuthPresent", "true"}}}};
  json guard = {{"BoolIfExists", {{"aws:MultiFactorAuthPresent", "false"}}}};
  EXPECT_EQ(allow(required), ConditionResult::not_met);
  EXPECT_EQ(deny(guard), ConditionResult::met);
  principal = machine_role();
  EXPECT_EQ(allow(required), ConditionResult::not_met);
  EXPECT_EQ(deny(guard), ConditionResult::met);
  principal.classification = core::Classification::human;
  EXPECT_EQ(allow(required), ConditionResult::unknown);
}

TEST_F(Conditions, RequestedRegionDecidesOnlyIam) {
  json region = {{"StringEquals", {{"aws:RequestedRegion", json::array({"eu-west-1"})}}}};
  EXPECT_EQ(allow(region), ConditionResult::not_met) << "IAM requests are served in us-east-1";
  EXPECT_EQ(allow({{"StringEquals", {{"aws:RequestedRegion", "us-east-1"}}}}), ConditionResult::met);
  EXPECT_EQ(allow(region, "ec2:RunInstances"), ConditionResult::met) << "the caller picks the region";
  EXPECT_EQ(deny(region, "ec2:RunInstances"), ConditionResult::not_met);
}

TEST_F(Conditions, CallerChosenKeysFavourAttacker) {
  json transport = {{"Bool", {{"aws:SecureTransport", "true"}}}};
  EXPECT_EQ(allow(transport), ConditionResult::met);
  EXPECT_EQ(deny(transport), ConditionResult::not_met);
}

TEST_F(Conditions, PrincipalKeysAreKnown) {
  EXPECT_EQ(allow({{"StringEquals", {{"aws:PrincipalTag/Team", "build"}}}}), ConditionResult::met);
  EXPECT_EQ(allow({{"StringEquals", {{"aws:PrincipalTag/team", "deploy"}}}}), ConditionResult::not_met);
  EXPECT_EQ(allow({{"ArnLike", {{"aws:PrincipalArn", "arn:aws:iam::*:user/c*"}}}}), ConditionResult::met);
  EXPECT_EQ(allow({{"StringNotEquals", {{"aws:username", "ci"}}}}), ConditionResult::not_met);
  EXPECT_EQ(allow({{"StringEquals", {{"aws:PrincipalAccount", "${aws:PrincipalAccount}"}}}}), ConditionResult::met);
}

TEST_F(Conditions, MissingKeyRules) {
  principal = machine_role();  // roles have no aws:username
  EXPECT_EQ(allow({{"StringEquals", {{"aws:username", "ci"}}}}), ConditionResult::not_met);
  EXPECT_EQ(allow({{"StringNotEquals", {{"aws:username", "ci"}}}}), ConditionResult::met);
  EXPECT_EQ(allow({{"StringEqualsIfExists", {{"aws:username", "ci"}}}}), ConditionResult::met);
  EXPECT_EQ(allow({{"Null", {{"aws:username", "true"}}}}), ConditionResult::met);
  EXPECT_EQ(allow({{"Null", {{"aws:username", "false"}}}}), ConditionResult::not_met);
}

TEST_F(Conditions, PassedToService) {
  json ec2_only = {{"StringEquals", {{"iam:PassedToService", "ec2.amazonaws.com"}}}};
  context.passed_to_service = "ec2.amazonaws.com";
  EXPECT_EQ(allow(ec2_only, "iam:PassRole"), ConditionResult::met);
  context.passed_to_service = "lambda.amazonaws.com";
  EXPECT_EQ(allow(ec2_only, "iam:PassRole"), ConditionResult::not_met);
}

TEST_F(Conditions, UnknownKeysStayUndecided) {
  json network = {{"IpAddress", {{"aws:SourceIp", "203.0.113.0/24"}}}};
  EXPECT_EQ(allow(network), ConditionResult::unknown);
  EXPECT_EQ(deny(network), ConditionResult::unknown);
  ConditionOutcome outcome = evaluate_condition({{"StringEquals", {{"aws:ResourceTag/env", "dev"}}}}, false,
                                                "iam:CreateAccessKey", context);
  EXPECT_EQ(outcome.result, ConditionResult::unknown);
  EXPECT_NE(outcome.reason.find("aws:ResourceTag/env"), std::string::npos) << outcome.reason;
}

TEST_F(Conditions, OneUnmetClauseDecidesAllow) {
  json both = {{"StringEquals", {{"aws:SourceVpc", "vpc-1"}}}, {"Bool", {{"aws:MultiFactorAuthPresent", "true"}}}};
  EXPECT_EQ(allow(both), ConditionResult::not_met);
}

TEST(PolicyVariables, SubstitutesUserName) {
  core::Identity user = machine_user();
  RequestContext context{&user, 0, "", nullptr};
  std::string out;
  ASSERT_TRUE(substitute_policy_variables("arn:aws:iam::*:user/${aws:username}", context, out));
  EXPECT_EQ(out, "arn:aws:iam::*:user/ci");

  core::Identity role = machine_role();
  context.principal = &role;
  EXPECT_FALSE(substitute_policy_variables("arn:aws:iam::*:user/${aws:username}", context, out));
  ASSERT_TRUE(substitute_policy_variables("arn:aws:s3:::${aws:PrincipalTag/team}/*", context, out));
  EXPECT_EQ(out, "arn:aws:s3:::build/*");
}

}  // namespace
}  // namespace keyward::posture::policy
