#include "secrets/inventory_join.hpp"

#include <gtest/gtest.h>

#include "secrets/secret_text.hpp"

namespace keyward::secrets {
namespace {

constexpr std::string_view kKey = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
constexpr std::string_view kUserArn = "arn:aws:iam::111122223333:user/ci-deployer";
constexpr std::string_view kServiceAccount = "ci-deployer@example-prod.iam.gserviceaccount.com";
constexpr std::string_view kGcpKeyId = "3f1c2d9a8b7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a";
// Made-up classic tokens of the documented shape; they authenticate nothing.
constexpr std::string_view kToken = "ghp_Q8wErTy1Ui2Op3As4Df5Gh6Jk7Lz871c3fc11";
constexpr std::string_view kOtherTokenSameEnd = "ghp_Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq071c3fc11";

core::Identity identity(std::string platform, std::string id, std::string name) {
  core::Identity result;
  result.platform = std::move(platform);
  result.id = std::move(id);
  result.name = std::move(name);
  return result;
}

core::Credential credential(std::string platform, std::string id, std::string identity_id, std::string kind) {
  core::Credential result;
  result.platform = std::move(platform);
  result.id = std::move(id);
  result.identity_id = std::move(identity_id);
  result.kind = std::move(kind);
  return result;
}

core::Credential github_token(std::string id, std::string redacted) {
  core::Credential token = credential("github", id, id, "github_pat_classic");
  token.attributes["token_redacted"] = std::move(redacted);
  return token;
}

void add(posture::Inventory& inventory, core::Identity holder, std::vector<core::Credential> credentials) {
  inventory.credentials[holder.id] = std::move(credentials);
  inventory.identities.push_back(std::move(holder));
}

// An AWS user with one key, a GCP service account with one key and a GitHub token.
posture::Inventory small_inventory() {
  posture::Inventory inventory;
  core::Identity user = identity("aws", std::string(kUserArn), "ci-deployer");
  user.owner = "alice@example.com";
  core::Credential key = credential("aws", "AKIAEXAMPLECIDEPLOY1", std::string(kUserArn), "aws_access_key");
  key.last_used = 1'739'786'400;  // 2025-02-17T10:00:00Z
  add(inventory, user, {key});

  add(inventory, identity("gcp", std::string(kServiceAccount), "ci-deployer"),
      {credential("gcp", std::string(kGcpKeyId), std::string(kServiceAccount), "gcp_service_account_key")});
  add(inventory, identity("github", "token:12345678", "ci release token"), {github_token("token:12345678", "ghp_…fc11")});

  core::Grant admin;
  admin.platform = "aws";
  admin.identity_id = std::string(kUserArn);
  admin.actions = {"*"};
  admin.resources = {"*"};
  admin.source_policy = "arn:aws:iam::aws:policy/AdministratorAccess";
  inventory.grants[std::string(kUserArn)].push_back(admin);
  return inventory;
}

core::Exposure exposure(std::string platform, char fingerprint_digit) {
  core::Exposure result;
  result.platform = std::move(platform);
  result.rule_id = "test.rule";
  result.fingerprint = "hmac-sha256:" + std::string(32, fingerprint_digit);
  return result;
}

core::Exposure github_exposure(std::string_view token, char fingerprint_digit) {
  core::Exposure result = exposure("github", fingerprint_digit);
  result.redacted = redact(token, 4);
  return result;
}

TEST(InventoryJoin, AwsKeyIdMatchesCredential) {
  std::vector<core::Exposure> exposures = {exposure("aws", 'a')};
  exposures[0].identifier = "AKIAEXAMPLECIDEPLOY1";
  EXPECT_EQ(join_exposures(small_inventory(), exposures), 1u);
  EXPECT_EQ(exposures[0].matched_credential_id, "AKIAEXAMPLECIDEPLOY1");
  EXPECT_EQ(exposures[0].matched_identity_id, kUserArn);
}

TEST(InventoryJoin, UnknownKeyIdClearsStaleMatch) {
  std::vector<core::Exposure> exposures = {exposure("aws", 'a')};
  exposures[0].identifier = "AKIAEXAMPLEUNKNOWN99";
  exposures[0].matched_credential_id = "AKIAEXAMPLECIDEPLOY1";  // from an earlier inventory
  exposures[0].matched_identity_id = std::string(kUserArn);
  EXPECT_EQ(join_exposures(small_inventory(), exposures), 0u);
  EXPECT_EQ(exposures[0].matched_credential_id, "");
  EXPECT_EQ(exposures[0].matched_identity_id, "");
}

TEST(InventoryJoin, ReportSlotIsNotAKeyId) {
  posture::Inventory inventory;
  add(inventory, identity("aws", std::string(kUserArn), "ci-deployer"),
      {credential("aws", std::string(kUserArn) + "#access_key_1", std::string(kUserArn), "aws_access_key")});
  std::vector<core::Exposure> exposures = {exposure("aws", 'a')};
  exposures[0].identifier = std::string(kUserArn) + "#access_key_1";
  EXPECT_EQ(join_exposures(inventory, exposures), 0u);
}

TEST(InventoryJoin, GcpKeyIdMatchesKeyName) {
  posture::Inventory inventory;
  const std::string name = "projects/example-prod/serviceAccounts/" + std::string(kServiceAccount) + "/keys/" +
                           std::string(kGcpKeyId);
  add(inventory, identity("gcp", std::string(kServiceAccount), "ci-deployer"),
      {credential("gcp", name, std::string(kServiceAccount), "gcp_service_account_key")});
  std::vector<core::Exposure> exposures = {exposure("gcp", 'b')};
  exposures[0].identifier = std::string(kGcpKeyId);
  EXPECT_EQ(join_exposures(inventory, exposures), 1u);
  EXPECT_EQ(exposures[0].matched_credential_id, name);

  std::vector<core::Exposure> plain = {exposure("gcp", 'b')};
  plain.front().identifier = std::string(kGcpKeyId);
  EXPECT_EQ(join_exposures(small_inventory(), plain), 1u);
  EXPECT_EQ(plain[0].matched_credential_id, kGcpKeyId);
}

TEST(GithubJoinKey, DependsOnLastEightAndKeyOnly) {
  EXPECT_EQ(github_join_key(kKey, kToken), github_join_key(kKey, kOtherTokenSameEnd));
  EXPECT_EQ(github_join_key(kKey, kToken), github_last_eight_join_key(kKey, "71c3fc11"));
  EXPECT_NE(github_join_key(kKey, kToken), github_join_key("another-key-another-key-another-key", kToken));
  EXPECT_NE(github_join_key(kKey, kToken), github_last_eight_join_key(kKey, "71c3fc12"));
  EXPECT_NE(github_join_key(kKey, kToken), fingerprint(kKey, "71c3fc11")) << "the label must separate the inputs";
  EXPECT_TRUE(github_join_key(kKey, "ghp_123").empty());
  EXPECT_TRUE(github_last_eight_join_key(kKey, "71c3fc1").empty());
}

TEST(InventoryJoin, GithubLastEightKeyMatches) {
  posture::Inventory inventory;
  core::Credential token = github_token("token:1", "ghp_…fc11");
  token.attributes[std::string(kTokenLastEightKeyAttribute)] = github_last_eight_join_key(kKey, "71c3fc11");
  add(inventory, identity("github", "token:1", "one"), {token});
  // A second token with the same last four: only the last-eight key distinguishes them.
  core::Credential other = github_token("token:2", "ghp_…fc11");
  other.attributes[std::string(kTokenLastEightKeyAttribute)] = github_last_eight_join_key(kKey, "99aafc11");
  add(inventory, identity("github", "token:2", "two"), {other});

  std::vector<core::Exposure> exposures = {github_exposure(kToken, 'c')};
  exposures[0].join_key = github_join_key(kKey, kToken);
  EXPECT_EQ(join_exposures(inventory, exposures), 1u);
  EXPECT_EQ(exposures[0].matched_credential_id, "token:1");
  EXPECT_EQ(join_basis(exposures[0], token), JoinBasis::github_last_eight);
}

TEST(InventoryJoin, GithubLastFourMatchesWhenUnique) {
  std::vector<core::Exposure> exposures = {github_exposure(kToken, 'c')};
  ASSERT_EQ(exposures[0].redacted, "ghp_…fc11");
  EXPECT_EQ(join_exposures(small_inventory(), exposures), 1u);
  EXPECT_EQ(exposures[0].matched_credential_id, "token:12345678");
}

TEST(InventoryJoin, GithubLastFourAmbiguousLeftUnmatched) {
  posture::Inventory inventory = small_inventory();
  add(inventory, identity("github", "token:999", "dashboard token"), {github_token("token:999", "ghp_…fc11")});
  std::vector<core::Exposure> exposures = {github_exposure(kToken, 'c')};
  EXPECT_EQ(join_exposures(inventory, exposures), 0u);
}

TEST(InventoryJoin, GithubLastFourNeedsSamePrefix) {
  std::vector<core::Exposure> exposures = {github_exposure("gho_Q8wErTy1Ui2Op3As4Df5Gh6Jk7Lz871c3fc11", 'c')};
  EXPECT_EQ(join_exposures(small_inventory(), exposures), 0u);
  std::vector<core::Exposure> other_ending = {github_exposure("ghp_Q8wErTy1Ui2Op3As4Df5Gh6Jk7Lz871c3fc12", 'c')};
  EXPECT_EQ(join_exposures(small_inventory(), other_ending), 0u);
}

TEST(InventoryJoin, FingerprintMatchesAnyPlatform) {
  posture::Inventory inventory = small_inventory();
  core::Credential secret = credential("okta", "00tEXAMPLE", "okta-app", "okta_ssws_token");
  secret.fingerprint = "hmac-sha256:" + std::string(32, 'd');
  add(inventory, identity("okta", "okta-app", "okta sync"), {secret});
  std::vector<core::Exposure> exposures = {exposure("", 'd')};
  EXPECT_EQ(join_exposures(inventory, exposures), 1u);
  EXPECT_EQ(exposures[0].matched_credential_id, "00tEXAMPLE");
  EXPECT_EQ(join_basis(exposures[0], secret), JoinBasis::fingerprint);
}

TEST(InventoryJoin, SecretKeyTakesMatchOfItsKeyId) {
  for (bool key_id_names_secret : {true, false}) {
    SCOPED_TRACE(key_id_names_secret ? "key id names the secret" : "secret names the key id");
    core::Exposure key_id = exposure("aws", 'a');
    key_id.identifier = "AKIAEXAMPLECIDEPLOY1";
    core::Exposure secret_key = exposure("aws", 'e');
    if (key_id_names_secret) {
      key_id.paired_fingerprint = secret_key.fingerprint;
    } else {
      secret_key.paired_fingerprint = key_id.fingerprint;
    }
    std::vector<core::Exposure> exposures = {secret_key, key_id};
    EXPECT_EQ(join_exposures(small_inventory(), exposures), 2u);
    EXPECT_EQ(exposures[0].matched_credential_id, "AKIAEXAMPLECIDEPLOY1");
    EXPECT_EQ(exposures[0].matched_identity_id, kUserArn);
  }
}

TEST(InventoryJoin, UnpairedSecretKeyStaysUnmatched) {
  core::Exposure secret_key = exposure("aws", 'e');
  secret_key.paired_fingerprint = "hmac-sha256:" + std::string(32, 'f');
  std::vector<core::Exposure> exposures = {secret_key};
  EXPECT_EQ(join_exposures(small_inventory(), exposures), 0u);
}

TEST(ExposureContext, NamesOwnerPrivilegeLastUseAndStatus) {
  const posture::Inventory inventory = small_inventory();
  std::vector<core::Exposure> exposures = {exposure("aws", 'a')};
  exposures[0].identifier = "AKIAEXAMPLECIDEPLOY1";
  ASSERT_EQ(join_exposures(inventory, exposures), 1u);

  const auto context = exposure_context(inventory, exposures[0]);
  ASSERT_TRUE(context.has_value());
  ASSERT_NE(context->identity, nullptr);
  ASSERT_NE(context->credential, nullptr);
  EXPECT_EQ(context->identity->name, "ci-deployer");
  EXPECT_EQ(context->credential->id, "AKIAEXAMPLECIDEPLOY1");
  EXPECT_EQ(context->basis, JoinBasis::access_key_id);
  EXPECT_EQ(context->owner, "alice@example.com");
  EXPECT_EQ(context->privilege, "admin");
  ASSERT_EQ(context->permissions.size(), 1u);
  EXPECT_EQ(context->permissions[0], "admin: * on * (arn:aws:iam::aws:policy/AdministratorAccess)");
  EXPECT_EQ(context->last_used, 1'739'786'400);
  EXPECT_FALSE(context->last_used_field.empty());
  EXPECT_EQ(context->status, "active");
  EXPECT_TRUE(context->active);
}

TEST(ExposureContext, DeletedIdentityMakesCredentialInactive) {
  posture::Inventory inventory = small_inventory();
  inventory.identities[0].status = "deleted";
  std::vector<core::Exposure> exposures = {exposure("aws", 'a')};
  exposures[0].identifier = "AKIAEXAMPLECIDEPLOY1";
  ASSERT_EQ(join_exposures(inventory, exposures), 1u);
  const auto context = exposure_context(inventory, exposures[0]);
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(context->status, "active");
  EXPECT_FALSE(context->active);
}

TEST(ExposureContext, PairedHalfReportsPairBasis) {
  core::Exposure key_id = exposure("aws", 'a');
  key_id.identifier = "AKIAEXAMPLECIDEPLOY1";
  core::Exposure secret_key = exposure("aws", 'e');
  secret_key.paired_fingerprint = key_id.fingerprint;
  const posture::Inventory inventory = small_inventory();
  std::vector<core::Exposure> exposures = {key_id, secret_key};
  ASSERT_EQ(join_exposures(inventory, exposures), 2u);
  const auto context = exposure_context(inventory, exposures[1]);
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(context->basis, JoinBasis::paired_exposure);
}

TEST(ExposureContext, UnmatchedOrVanishedCredentialHasNone) {
  const posture::Inventory inventory = small_inventory();
  EXPECT_FALSE(exposure_context(inventory, exposure("aws", 'a')).has_value());
  core::Exposure stale = exposure("aws", 'a');
  stale.matched_credential_id = "AKIAEXAMPLEDELETED01";
  stale.matched_identity_id = std::string(kUserArn);
  EXPECT_FALSE(exposure_context(inventory, stale).has_value());
}

}  // namespace
}  // namespace keyward::secrets
