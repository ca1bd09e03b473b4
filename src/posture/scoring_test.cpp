#include "posture/scoring.hpp"

#include <gtest/gtest.h>

namespace keyward::posture {
namespace {

core::Grant allow(std::vector<std::string> actions) {
  core::Grant grant;
  grant.platform = "aws";
  grant.identity_id = "arn:aws:iam::111122223333:user/u";
  grant.actions = std::move(actions);
  grant.resources = {"*"};
  grant.source_policy = "inline:test";
  grant.via = "user";
  return grant;
}

core::Identity iam_user() {
  core::Identity identity;
  identity.platform = "aws";
  identity.id = "arn:aws:iam::111122223333:user/u";
  identity.kind = "iam_user";
  identity.name = "u";
  return identity;
}

TEST(ScoringPrivilege, RanksGrants) {
  const core::Identity user = iam_user();
  EXPECT_EQ(assess_privilege(user, {}), Privilege::ordinary);
  const std::vector<core::Grant> reader = {allow({"s3:GetObject"})};
  EXPECT_EQ(assess_privilege(user, reader), Privilege::ordinary);
  const std::vector<core::Grant> wildcard = {allow({"s3:*"})};
  EXPECT_EQ(assess_privilege(user, wildcard), Privilege::service_wildcard);
  const std::vector<core::Grant> escalation = {allow({"iam:CreateAccessKey"})};
  EXPECT_EQ(assess_privilege(user, escalation), Privilege::escalation);
  const std::vector<core::Grant> admin = {allow({"*"})};
  EXPECT_EQ(assess_privilege(user, admin), Privilege::administrator);
}

TEST(ScoringPrivilege, RootIsAdministrator) {
  core::Identity root = iam_user();
  root.kind = "root";
  EXPECT_EQ(assess_privilege(root, {}), Privilege::administrator);
}

TEST(ScoringRisk, AddsParts) {
  RiskFactors factors;
  factors.severity = core::Severity::medium;
  RiskScore plain = score_risk(factors);
  EXPECT_EQ(plain.severity_points, 35);
  EXPECT_EQ(plain.total, 35);

  factors.privilege = Privilege::escalation;
  factors.used_recently = true;
  factors.console_without_mfa = true;
  factors.credential_age_days = 400;
  RiskScore full = score_risk(factors);
  EXPECT_EQ(full.privilege_points, 15);
  EXPECT_EQ(full.activity_points, 5);
  EXPECT_EQ(full.exposure_points, 15);
  EXPECT_EQ(full.total, 35 + 15 + 5 + 15);
}

TEST(ScoringRisk, CapsExposureAndTotal) {
  RiskFactors factors;
  factors.severity = core::Severity::critical;
  factors.privilege = Privilege::administrator;
  factors.used_recently = true;
  factors.root = true;
  factors.console_without_mfa = true;
  factors.credential_age_days = 1000;
  RiskScore score = score_risk(factors);
  EXPECT_EQ(score.exposure_points, 20);
  EXPECT_EQ(score.total, 100);
}

TEST(ScoringRisk, AgeStepsAtOneAndTwoYears) {
  RiskFactors factors;
  factors.credential_age_days = 365;
  EXPECT_EQ(score_risk(factors).exposure_points, 0);
  factors.credential_age_days = 366;
  EXPECT_EQ(score_risk(factors).exposure_points, 5);
  factors.credential_age_days = 731;
  EXPECT_EQ(score_risk(factors).exposure_points, 10);
}

TEST(ScoringFactors, ReadsInventory) {
  Inventory inventory;
  inventory.as_of = *core::parse_time("2025-02-18T00:00:00Z");
  core::Identity user = iam_user();
  user.attributes["password_enabled"] = true;
  user.attributes["mfa_active"] = false;
  core::Credential key;
  key.id = "AKIAIOSFODNN7EXAMPLE";
  key.identity_id = user.id;
  key.kind = "aws_access_key";
  key.created = *core::parse_time("2023-02-18T00:00:00Z");
  key.last_used = *core::parse_time("2024-06-01T00:00:00Z");
  inventory.credentials[user.id].push_back(key);

  core::Finding finding;
  finding.severity = core::Severity::high;
  finding.identity = {"aws", user.id, user.name};
  finding.credential_id = key.id;

  RiskFactors factors = collect_risk_factors(finding, &user, Privilege::ordinary, inventory);
  EXPECT_TRUE(factors.console_without_mfa);
  EXPECT_FALSE(factors.root);
  ASSERT_TRUE(factors.credential_age_days.has_value());
  EXPECT_EQ(*factors.credential_age_days, 731);
  EXPECT_FALSE(factors.used_recently);

  // Activity seen for the key within kRecentUseDays makes it live.
  inventory.activity_by_credential[key.id].last_seen = *core::parse_time("2025-02-10T00:00:00Z");
  EXPECT_TRUE(collect_risk_factors(finding, &user, Privilege::ordinary, inventory).used_recently);
}

}  // namespace
}  // namespace keyward::posture

namespace keyward::posture {
namespace {

TEST(ScoringFactors, VendorAndBlastRadiusAdd) {
  RiskFactors base;
  base.severity = core::Severity::medium;
  const int medium_only = score_risk(base).total;

  RiskFactors third_party = base;
  third_party.third_party = true;
  third_party.unverified_publisher = true;
  third_party.vendor_incident = "support system breach";
  const RiskScore scored = score_risk(third_party);
  EXPECT_EQ(scored.exposure_points, 5);
  EXPECT_EQ(scored.vendor_points, 10);  // 5 + 10, capped at 10
  EXPECT_EQ(scored.total, medium_only + 15);

  RiskFactors wide = base;
  wide.resources_reached = 12;
  EXPECT_EQ(score_risk(wide).blast_radius_points, 5);
  wide.resources_reached = 4;
  EXPECT_EQ(score_risk(wide).blast_radius_points, 2);
  wide.resources_reached = 1;
  EXPECT_EQ(score_risk(wide).blast_radius_points, 0);
}

TEST(ScoringFactors, LeakedSecretFillsExposure) {
  RiskFactors leaked;
  leaked.severity = core::Severity::critical;
  leaked.leaked = true;
  leaked.root = true;
  const RiskScore scored = score_risk(leaked);
  EXPECT_EQ(scored.exposure_points, 20);
  EXPECT_EQ(scored.total, 85);
}

TEST(ScoringFactors, DescribeListsNonZeroParts) {
  RiskFactors factors;
  factors.severity = core::Severity::high;
  factors.privilege = Privilege::administrator;
  factors.unverified_publisher = true;
  const auto parts = describe_risk(factors, score_risk(factors));
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].name, "severity");
  EXPECT_EQ(parts[1].name, "privilege");
  EXPECT_EQ(parts[1].points, 20);
  EXPECT_EQ(parts[2].name, "vendor_trust");
  EXPECT_EQ(parts[2].detail, "unverified publisher");
  int sum = 0;
  for (const auto& part : parts) sum += part.points;
  EXPECT_EQ(sum, score_risk(factors).total);
}

TEST(ScoringFactors, WriteAccessCountsOnlyWithoutStrongerPrivilege) {
  RiskFactors factors;
  factors.write_access = true;
  EXPECT_EQ(score_risk(factors).privilege_points, 10);
  factors.privilege = Privilege::administrator;
  EXPECT_EQ(score_risk(factors).privilege_points, 20);
}

}  // namespace
}  // namespace keyward::posture
