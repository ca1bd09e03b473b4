#include "posture/checks/credential_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "posture/inventory.hpp"

namespace keyward::posture {
namespace {

core::UnixTime at(const char* text) { return *core::parse_time(text); }

bool any_contains(const std::vector<std::string>& lines, std::string_view text) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

core::Credential entra_secret(std::string_view object) {
  core::Credential credential;
  credential.platform = "entra";
  credential.id = "b3e1c2d4-5f6a-4b7c-8d9e-0f1a2b3c4d5e";
  credential.identity_id = "5a1c9e7b-2d3f-4a8b-b6c1-7e9f0a2b4c6d";
  credential.kind = "entra_client_secret";
  credential.attributes["object"] = std::string(object);
  credential.attributes["hint"] = "Q~8";
  return credential;
}

core::Identity entra_app() {
  core::Identity identity;
  identity.platform = "entra";
  identity.id = "5a1c9e7b-2d3f-4a8b-b6c1-7e9f0a2b4c6d";
  identity.kind = "entra_application";
  identity.name = "billing-sync";
  identity.classification = core::Classification::machine;
  return identity;
}

TEST(CredentialSupport, DescribeShowsHintOnly) {
  const std::string text = describe_credential(entra_secret("application"));
  EXPECT_NE(text.find("client secret b3e1c2d4"), std::string::npos) << text;
  EXPECT_NE(text.find("hint Q~8"), std::string::npos) << text;
}

TEST(CredentialSupport, EntraRevokeTargetsOwningObject) {
  const auto on_app = revoke_steps(entra_app(), entra_secret("application"));
  EXPECT_TRUE(any_contains(on_app, "az ad app credential delete --id 5a1c9e7b-2d3f-4a8b-b6c1-7e9f0a2b4c6d --key-id b3e1c2d4"));
  const auto on_principal = revoke_steps(entra_app(), entra_secret("service_principal"));
  EXPECT_TRUE(any_contains(on_principal, "az ad sp credential delete --id 5a1c9e7b"));
}

TEST(CredentialSupport, GcpKeyRevokeNamesAccountAndProject) {
  core::Identity account;
  account.platform = "gcp";
  account.id = "ci-deployer@example-prod.iam.gserviceaccount.com";
  core::Credential key;
  key.platform = "gcp";
  key.id = "3f1c2d9a";
  key.kind = "gcp_service_account_key";
  key.attributes["project"] = "example-prod";
  const auto steps = revoke_steps(account, key);
  EXPECT_TRUE(any_contains(steps, "gcloud iam service-accounts keys delete 3f1c2d9a "
                                  "--iam-account=ci-deployer@example-prod.iam.gserviceaccount.com --project=example-prod"));
}

TEST(CredentialSupport, LastUsePrefersLaterActivity) {
  Inventory inventory;
  core::Credential token;
  token.platform = "github";
  token.id = "token:1";
  token.kind = "github_pat_fine_grained";
  token.last_used = at("2026-01-01T00:00:00Z");
  ActivityProfile profile;
  profile.last_seen = at("2026-02-01T00:00:00Z");
  inventory.activity_by_credential["token:1"] = profile;
  const UseRecord use = credential_last_use(token, inventory);
  ASSERT_TRUE(use.time.has_value());
  EXPECT_EQ(*use.time, at("2026-02-01T00:00:00Z"));
  EXPECT_EQ(use.field, "github activity last seen");
}

// Examples cannot carry non-AWS activity, so the log-based path of nhi.identity.unused is tested
// here on a hand-built inventory.
class UnusedFromLogs : public ::testing::Test {
 protected:
  void SetUp() override {
    inventory_.as_of = at("2026-11-30T00:00:00Z");
    inventory_.as_of_source = "--as-of";
    inventory_.identities = {entra_app(), other_app()};
    for (auto& check : make_checks()) {
      if (check->id() == "nhi.identity.unused") check_ = std::move(check);
    }
    ASSERT_TRUE(check_);
  }

  static core::Identity other_app() {
    core::Identity identity = entra_app();
    identity.id = "9b2d4f6a-8c0e-4a1b-9c3d-5e7f9a1b3c5d";
    identity.name = "report-export";
    return identity;
  }

  void sign_in(const std::string& app_id, const char* time) {
    core::ActivitySummary summary;
    summary.platform = "entra";
    summary.identity_id = app_id;
    summary.action = "Microsoft Graph:ServicePrincipalSignIn";
    summary.count = 1;
    summary.first_seen = summary.last_seen = at(time);
    summary.day = core::day_start(summary.first_seen);
    inventory_.activity.push_back(summary);
  }

  std::vector<core::Finding> run() {
    build_activity_profiles(inventory_.activity, inventory_);
    std::vector<core::Finding> findings;
    check_->run(inventory_, PostureOptions{}, findings);
    return findings;
  }

  Inventory inventory_;
  std::unique_ptr<Check> check_;
};

TEST_F(UnusedFromLogs, ReportsAppSilentWhileLogsContinue) {
  sign_in(entra_app().id, "2026-05-01T10:00:00Z");
  sign_in(other_app().id, "2026-11-29T10:00:00Z");
  const auto findings = run();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].identity.name, "billing-sync");
  ASSERT_TRUE(findings[0].safe_now.has_value());
  EXPECT_FALSE(*findings[0].safe_now);
}

TEST_F(UnusedFromLogs, IgnoresAppWhenLogsEndEarly) {
  // Both apps were last seen in May: the logs stop there, so they cannot show months of silence.
  sign_in(entra_app().id, "2026-05-01T10:00:00Z");
  sign_in(other_app().id, "2026-05-20T10:00:00Z");
  EXPECT_TRUE(run().empty());
}

TEST_F(UnusedFromLogs, IgnoresAppWithoutAnySignIn) {
  sign_in(other_app().id, "2026-11-29T10:00:00Z");
  EXPECT_TRUE(run().empty());
}

}  // namespace
}  // namespace keyward::posture
