#include "posture/policy/broad_access.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace keyward::posture::policy {
namespace {

core::Grant statement(std::string effect, std::vector<std::string> actions, std::vector<std::string> resources = {"*"}) {
  core::Grant grant;
  grant.platform = "aws";
  grant.effect = std::move(effect);
  grant.actions = std::move(actions);
  grant.resources = std::move(resources);
  grant.source_policy = "inline:test";
  grant.via = "role";
  return grant;
}

core::Grant allow(std::vector<std::string> actions, std::vector<std::string> resources = {"*"}) {
  return statement("Allow", std::move(actions), std::move(resources));
}

core::Grant deny(std::vector<std::string> actions) { return statement("Deny", std::move(actions)); }

TEST(BroadAccess, FindsFullAdministrator) {
  std::vector<core::Grant> grants = {allow({"*"}), allow({"s3:*"})};
  std::vector<BroadAccess> access = find_broad_access(grants);
  ASSERT_EQ(access.size(), 1u) << "service wildcards are folded into \"*\"";
  EXPECT_EQ(access[0].scope, BroadScope::all_actions);
  EXPECT_EQ(access[0].granted_by, &grants[0]);
  EXPECT_TRUE(is_full_administrator(grants));
}

TEST(BroadAccess, ListsEveryGrantingStatement) {
  std::vector<core::Grant> grants = {allow({"iam:*"}), allow({"s3:GetObject", "IAM:*"})};
  std::vector<BroadAccess> access = find_broad_access(grants);
  ASSERT_EQ(access.size(), 1u);
  ASSERT_EQ(access[0].granting.size(), 2u);
  EXPECT_EQ(access[0].granting[1], &grants[1]);
}

TEST(BroadAccess, FindsServiceWildcardsInLowerCase) {
  std::vector<core::Grant> grants = {allow({"IAM:*", "ec2:*", "s3:GetObject", "i*m:*"})};
  std::vector<BroadAccess> access = find_broad_access(grants);
  ASSERT_EQ(access.size(), 2u);
  EXPECT_EQ(access[0].pattern, "iam:*");
  EXPECT_EQ(access[1].pattern, "ec2:*");
  EXPECT_FALSE(is_full_administrator(grants));
}

TEST(BroadAccess, ResourceScopedWildcardIsNotBroad) {
  std::vector<core::Grant> grants = {allow({"s3:*"}, {"arn:aws:s3:::logs", "arn:aws:s3:::logs/*"})};
  EXPECT_TRUE(find_broad_access(grants).empty());
}

TEST(BroadAccess, CoveringDenyRemovesAccess) {
  std::vector<core::Grant> same = {allow({"iam:*"}), deny({"iam:*"})};
  EXPECT_TRUE(find_broad_access(same).empty());
  std::vector<core::Grant> everything = {allow({"*"}), deny({"*"})};
  EXPECT_TRUE(find_broad_access(everything).empty());
  EXPECT_FALSE(is_full_administrator(everything));
}

TEST(BroadAccess, OverlappingDenyIsRecorded) {
  std::vector<core::Grant> grants = {allow({"*"}), deny({"iam:*"})};
  std::vector<BroadAccess> access = find_broad_access(grants);
  ASSERT_EQ(access.size(), 1u);
  EXPECT_EQ(access[0].partly_denied_by, &grants[1]);
  EXPECT_FALSE(is_full_administrator(grants));
}

TEST(BroadAccess, NotActionDenyCoversOtherServices) {
  core::Grant guard = deny({"s3:*"});
  guard.not_action = true;
  std::vector<core::Grant> grants = {allow({"iam:*", "s3:*"}), guard};
  std::vector<BroadAccess> access = find_broad_access(grants);
  ASSERT_EQ(access.size(), 1u);
  EXPECT_EQ(access[0].pattern, "s3:*");
}

TEST(BroadAccess, NotActionAllowIsAllButListed) {
  core::Grant grant = allow({"iam:*", "organizations:*"});
  grant.not_action = true;
  std::vector<core::Grant> grants = {grant};
  std::vector<BroadAccess> access = find_broad_access(grants);
  ASSERT_EQ(access.size(), 1u);
  EXPECT_EQ(access[0].scope, BroadScope::all_but_listed);
  EXPECT_EQ(access[0].pattern, "iam:*, organizations:*");

  std::vector<core::Grant> denied = {grant, deny({"iam:CreateUser"})};
  EXPECT_EQ(find_broad_access(denied)[0].partly_denied_by, nullptr) << "the Deny names only excluded actions";
  denied.push_back(deny({"s3:DeleteBucket"}));
  EXPECT_EQ(find_broad_access(denied)[0].partly_denied_by, &denied[2]);
}

TEST(BroadAccess, ConditionalAdministratorIsNotFull) {
  core::Grant grant = allow({"*"});
  grant.condition = {{"IpAddress", {{"aws:SourceIp", "203.0.113.0/24"}}}};
  std::vector<core::Grant> grants = {grant, allow({"iam:*"})};
  std::vector<BroadAccess> access = find_broad_access(grants);
  ASSERT_EQ(access.size(), 2u) << "a conditional \"*\" does not hide the unconditional iam:*";
  EXPECT_TRUE(access[0].conditional);
  EXPECT_FALSE(is_full_administrator(grants));
}

}  // namespace
}  // namespace keyward::posture::policy
