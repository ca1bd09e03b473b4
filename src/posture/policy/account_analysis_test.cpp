#include "posture/policy/account_analysis.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace keyward::posture::policy {
namespace {

using nlohmann::json;

constexpr std::string_view kAccount = "111122223333";

core::Identity principal(std::string kind, std::string name, json trust = nullptr) {
  core::Identity identity;
  identity.platform = "aws";
  identity.kind = kind;
  identity.name = name;
  identity.account = std::string(kAccount);
  identity.id = fmt::format("arn:aws:iam::{}:{}/{}", kAccount, kind == "iam_user" ? "user" : "role", name);
  identity.classification = core::Classification::machine;
  if (!trust.is_null()) identity.attributes["trust_policy"] = trust;
  return identity;
}

core::Grant statement(const core::Identity& identity, std::vector<std::string> actions,
                      std::vector<std::string> resources = {"*"}, std::string source = "inline:test") {
  core::Grant grant;
  grant.platform = "aws";
  grant.identity_id = identity.id;
  grant.actions = std::move(actions);
  grant.resources = std::move(resources);
  grant.source_policy = std::move(source);
  grant.via = identity.kind == "iam_user" ? "user" : "role";
  return grant;
}

json trust_aws(const std::string& arn) {
  return {{"Version", "2012-10-17"},
          {"Statement", json::array({{{"Effect", "Allow"}, {"Principal", {{"AWS", arn}}}, {"Action", "sts:AssumeRole"}}})}};
}

json trust_service(const std::string& service) {
  return {{"Version", "2012-10-17"},
          {"Statement",
           json::array({{{"Effect", "Allow"}, {"Principal", {{"Service", service}}}, {"Action", "sts:AssumeRole"}}})}};
}

constexpr core::UnixTime kAsOf = 1739836800;  // 2025-02-18

TEST(TrustGrant, NamedAccountAndNone) {
  core::Identity user = principal("iam_user", "ci");
  RequestContext context{&user, kAsOf, "", nullptr};
  EXPECT_EQ(trust_grant(trust_aws(user.id), user, context), TrustGrant::named);
  EXPECT_EQ(trust_grant(trust_aws("arn:aws:iam::111122223333:root"), user, context), TrustGrant::account);
  EXPECT_EQ(trust_grant(trust_aws("111122223333"), user, context), TrustGrant::account);
  EXPECT_EQ(trust_grant(trust_aws("arn:aws:iam::444455556666:root"), user, context), TrustGrant::none);
  EXPECT_EQ(trust_grant(trust_service("ec2.amazonaws.com"), user, context), TrustGrant::none);

  core::Identity role = principal("iam_role", "runner");
  context.principal = &role;
  EXPECT_EQ(trust_grant(trust_aws("arn:aws:sts::111122223333:assumed-role/runner/session"), role, context),
            TrustGrant::named);
  EXPECT_TRUE(trusts_service(trust_service("ec2.amazonaws.com"), "ec2.amazonaws.com"));
  EXPECT_FALSE(trusts_service(trust_service("ec2.amazonaws.com"), "lambda.amazonaws.com"));
}

TEST(TrustGrant, DenyAndUnmetConditionExclude) {
  core::Identity user = principal("iam_user", "ci");
  RequestContext context{&user, kAsOf, "", nullptr};
  json trust = trust_aws("arn:aws:iam::111122223333:root");
  trust["Statement"].push_back({{"Effect", "Deny"}, {"Principal", {{"AWS", user.id}}}, {"Action", "sts:AssumeRole"}});
  EXPECT_EQ(trust_grant(trust, user, context), TrustGrant::none);

  json mfa = trust_aws(user.id);
  mfa["Statement"][0]["Condition"] = {{"Bool", {{"aws:MultiFactorAuthPresent", "true"}}}};
  EXPECT_EQ(trust_grant(mfa, user, context), TrustGrant::none);
}

struct Account {
  std::vector<core::Identity> identities;
  std::map<std::string, std::vector<core::Grant>> grants;

  core::Identity& add(core::Identity identity) {
    identities.push_back(std::move(identity));
    return identities.back();
  }
  void grant(const core::Identity& identity, core::Grant row) { grants[identity.id].push_back(std::move(row)); }
};

TEST(AccountAnalysis, NamedTrustNeedsNoIdentityPermission) {
  Account account;
  account.identities.reserve(3);
  core::Identity& start = account.add(principal("iam_user", "start"));
  core::Identity& middle = account.add(principal("iam_role", "middle", trust_aws(start.id)));
  core::Identity& admin = account.add(principal("iam_role", "admin", trust_aws("arn:aws:iam::111122223333:root")));
  account.grant(admin, statement(admin, {"*"}));
  account.grant(middle, statement(middle, {"sts:AssumeRole"}, {admin.id}));

  AccountAnalysis analysis(account.identities, account.grants, kAsOf);
  const PrincipalAnalysis* first = analysis.find(start.id);
  ASSERT_NE(first, nullptr);
  ASSERT_EQ(first->chain.size(), 2u);
  EXPECT_EQ(first->chain[0].role, &middle);
  EXPECT_EQ(first->chain[0].allowed_by, nullptr);
  EXPECT_EQ(first->chain[1].role, &admin);
  ASSERT_NE(first->chain[1].allowed_by, nullptr);
  EXPECT_EQ(first->chain[1].trust, TrustGrant::account);
  EXPECT_TRUE(analysis.find(admin.id)->full_administrator);
}

TEST(AccountAnalysis, AccountTrustNeedsIdentityPermission) {
  Account account;
  account.identities.reserve(2);
  core::Identity& user = account.add(principal("iam_user", "reader"));
  core::Identity& admin = account.add(principal("iam_role", "admin", trust_aws("arn:aws:iam::111122223333:root")));
  account.grant(admin, statement(admin, {"*"}));
  account.grant(user, statement(user, {"s3:GetObject"}));

  AccountAnalysis analysis(account.identities, account.grants, kAsOf);
  EXPECT_TRUE(analysis.find(user.id)->chain.empty());
  EXPECT_TRUE(analysis.find(user.id)->assumable.empty());
}

TEST(AccountAnalysis, PassRoleNeedsPrivilegedRoleForScopedGrant) {
  Account account;
  account.identities.reserve(3);
  core::Identity& launcher = account.add(principal("iam_user", "launcher"));
  core::Identity& ordinary = account.add(principal("iam_role", "ordinary", trust_service("ec2.amazonaws.com")));
  core::Identity& powerful = account.add(principal("iam_role", "powerful", trust_service("ec2.amazonaws.com")));
  account.grant(ordinary, statement(ordinary, {"logs:PutLogEvents"}));
  account.grant(powerful, statement(powerful, {"iam:CreateAccessKey"}));
  account.grant(launcher, statement(launcher, {"ec2:RunInstances"}));
  account.grant(launcher, statement(launcher, {"iam:PassRole"}, {ordinary.id}));

  {
    AccountAnalysis analysis(account.identities, account.grants, kAsOf);
    EXPECT_TRUE(analysis.find(launcher.id)->paths.empty()) << "the only passable role is ordinary";
  }

  account.grants[launcher.id].back().resources = {powerful.id};
  AccountAnalysis analysis(account.identities, account.grants, kAsOf);
  EXPECT_FALSE(analysis.find(powerful.id)->paths.empty());
  const PrincipalAnalysis* result = analysis.find(launcher.id);
  ASSERT_EQ(result->paths.size(), 1u);
  EXPECT_EQ(result->paths[0].path->number, 3);
  EXPECT_EQ(result->paths[0].resources[0], powerful.id);
}

TEST(AccountAnalysis, OwnUserOnlyIsNotTakeover) {
  Account account;
  account.identities.reserve(2);
  core::Identity& self = account.add(principal("iam_user", "self-service"));
  account.add(principal("iam_user", "other"));
  account.grant(self, statement(self, {"iam:CreateAccessKey"}, {"arn:aws:iam::111122223333:user/${aws:username}"}));
  AccountAnalysis own(account.identities, account.grants, kAsOf);
  EXPECT_TRUE(own.find(self.id)->paths.empty());

  account.grants[self.id].back().resources = {"arn:aws:iam::*:user/*"};
  AccountAnalysis every(account.identities, account.grants, kAsOf);
  ASSERT_EQ(every.find(self.id)->paths.size(), 1u);
  EXPECT_EQ(every.find(self.id)->paths[0].resources[0], "arn:aws:iam::111122223333:user/other");
}

TEST(AccountAnalysis, BoundaryFromAttachedCopy) {
  Account account;
  account.identities.reserve(2);
  core::Identity& bounded = account.add(principal("iam_role", "bounded", trust_service("lambda.amazonaws.com")));
  core::Identity& holder = account.add(principal("iam_role", "holder", trust_service("lambda.amazonaws.com")));
  const std::string boundary = "arn:aws:iam::111122223333:policy/s3-only";
  bounded.attributes["permissions_boundary"] = boundary;
  account.grant(bounded, statement(bounded, {"*"}));
  account.grant(holder, statement(holder, {"s3:*"}, {"*"}, boundary));

  AccountAnalysis analysis(account.identities, account.grants, kAsOf);
  const PrincipalAnalysis* result = analysis.find(bounded.id);
  ASSERT_TRUE(result->principal->boundary_resolved);
  EXPECT_FALSE(result->full_administrator);
  ASSERT_EQ(result->broad.size(), 1u);
  EXPECT_EQ(result->broad[0].pattern, "s3:*") << "Action * narrowed to the boundary's wildcard";
  EXPECT_TRUE(result->paths.empty());
}

}  // namespace
}  // namespace keyward::posture::policy
