// Ingests every real Okta System Log sample (Panther's rule test events, some with lower-cased
// keys, null or empty securityContext, and "redacted" times) and checks what each one yields.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "ingest/input_reader.hpp"
#include "sources/testing/source_testing.hpp"

namespace keyward::sources::okta {
namespace {

std::filesystem::path panther_dir() { return testing::shared_data() / "okta" / "panther"; }

struct Expected {
  bool event = true;         // false when the sample's published time is "redacted"
  std::string identity_id;   // actor id, "" for Okta's "unknown"
  std::string event_name;
  std::string error_code;
};

TEST(OktaRealSamples, EverySampleIngested) {
  if (!std::filesystem::is_directory(panther_dir())) {
    GTEST_SKIP() << "real samples not found at " << panther_dir() << "; they sit in ../shared beside the checkout";
  }
  // Expected outcome per sample, read from the files by hand.
  const std::map<std::string, Expected> expected = {
      {"okta_anonymizing_vpn_login__00", {true, "00abc123", "user.session.start", "INVALID_CREDENTIALS"}},
      {"okta_anonymizing_vpn_login__01", {true, "00abc123", "user.session.start", "FastPass declined phishing attempt"}},
      {"okta_anonymizing_vpn_login__02", {true, "00abc123", "user.session.start", "FastPass declined phishing attempt"}},
      {"okta_api_key_created__00", {true, "00u3q14ei6KUOm4Xi2p4", "system.api_token.create", ""}},
      {"okta_api_key_revoked__00", {true, "00u3q14ei6KUOm4Xi2p4", "system.api_token.revoke", ""}},
      {"okta_app_unauthorized_access_attempt__00", {true, "00ABC123", "app.generic.unauth_app_access_attempt", "FAILURE"}},
      {"okta_app_unauthorized_access_attempt__01", {true, "00ABC123", "app.token.reuse", "FAILURE"}},
      {"okta_org2org_creation_modification__00", {true, "00abc123", "application.lifecycle.update", ""}},
      {"okta_org2org_creation_modification__01", {true, "00abc123", "application.lifecycle.create", ""}},
      {"okta_org2org_creation_modification__02", {true, "00abc123", "policy.evaluate_sign_on", ""}},
      {"okta_potentially_stolen_session__00", {false, "", "", ""}},
      {"okta_potentially_stolen_session__01", {false, "", "", ""}},
      {"okta_potentially_stolen_session__02", {false, "", "", ""}},
      {"okta_potentially_stolen_session__03", {false, "", "", ""}},
      // This sample names the SSWS token of the call, so the token is the acting identity.
      {"okta_rate_limits__00", {true, "A.12345.DEFGH", "system.org.rate_limit.warning", ""}},
      {"okta_rate_limits__01", {true, "00abc456", "system.operation.rate_limit.violation", "Too many requests attempted by an individual user"}},
      {"okta_rate_limits__02", {true, "00abc456", "application.integration.rate_limit_exceeded", ""}},
      {"okta_rate_limits__03", {true, "00ABC123", "group.privilege.grant", "FAILURE"}},
      {"okta_rate_limits__04", {true, "00abc456", "system.operation.rate_limit.violation", "Too many requests attempted by an individual user"}},
  };

  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(panther_dir())) {
    const std::string file = entry.path().filename().string();
    if (file.find(".expect.") != std::string::npos || entry.path().extension() != ".json") continue;
    const std::string stem = entry.path().stem().string();
    SCOPED_TRACE(stem);
    auto parsed = testing::parse_with_source("okta-system-log", entry.path());
    ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
    auto it = expected.find(stem);
    ASSERT_NE(it, expected.end()) << "new sample without an expectation: " << stem;
    const Expected& want = it->second;
    if (!want.event) {
      EXPECT_TRUE(parsed.sink.events.empty());
      ASSERT_EQ(parsed.errors.size(), 1u);
      EXPECT_NE(parsed.errors[0].message.find("published 'redacted'"), std::string::npos) << parsed.errors[0].message;
    } else {
      EXPECT_TRUE(parsed.errors.empty()) << (parsed.errors.empty() ? "" : parsed.errors[0].message);
      ASSERT_EQ(parsed.sink.events.size(), 1u);
      const auto& event = parsed.sink.events[0];
      EXPECT_EQ(event["platform"], "okta");
      EXPECT_EQ(event["identity_id"], want.identity_id);
      EXPECT_EQ(event["event_name"], want.event_name);
      EXPECT_EQ(event["error_code"], want.error_code);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 19);
}

TEST(OktaRealSamples, DetectedAsSystemLog) {
  if (!std::filesystem::is_directory(panther_dir())) GTEST_SKIP() << "real samples not found at " << panther_dir();
  for (const auto& entry : std::filesystem::directory_iterator(panther_dir())) {
    const std::string file = entry.path().filename().string();
    if (file.find(".expect.") != std::string::npos) continue;
    auto loaded = ingest::load_input(entry.path().string());
    ASSERT_TRUE(loaded) << file;
    const Source* detected = detect_source(loaded->data(), entry.path().string());
    ASSERT_NE(detected, nullptr) << file;
    EXPECT_EQ(detected->name(), "okta-system-log") << file;
  }
}

TEST(OktaRealSamples, TokenLifecycleFromSamples) {
  if (!std::filesystem::is_directory(panther_dir())) GTEST_SKIP() << "real samples not found at " << panther_dir();
  auto created = testing::parse_with_source("okta-system-log", panther_dir() / "okta_api_key_created__00.json");
  ASSERT_EQ(created.batch.identities.size(), 1u);
  EXPECT_EQ(created.batch.identities[0].id, "00Tpki36zlWjhjQ1u2p4");
  EXPECT_EQ(created.batch.identities[0].name, "test_key");
  EXPECT_EQ(created.batch.identities[0].status, "active");
  EXPECT_EQ(created.batch.identities[0].owner, "00u3q14ei6KUOm4Xi2p4");
  EXPECT_EQ(created.batch.identities[0].attributes["created_by"], "user@example.com");
  EXPECT_EQ(created.batch.identities[0].created, core::parse_time("2021-01-08T21:28:34Z"));
  ASSERT_EQ(created.batch.credentials.size(), 1u);
  EXPECT_EQ(created.batch.credentials[0].kind, "okta_ssws_token");

  auto revoked = testing::parse_with_source("okta-system-log", panther_dir() / "okta_api_key_revoked__00.json");
  ASSERT_EQ(revoked.batch.identities.size(), 1u);
  EXPECT_EQ(revoked.batch.identities[0].status, "deleted");
  ASSERT_EQ(revoked.batch.credentials.size(), 1u);
  EXPECT_EQ(revoked.batch.credentials[0].status, "deleted");
}

TEST(OktaRealSamples, AppCreationObserved) {
  if (!std::filesystem::is_directory(panther_dir())) GTEST_SKIP() << "real samples not found at " << panther_dir();
  // The Org2Org sample's AppInstance target has no id, so nothing can be keyed from it.
  auto parsed = testing::parse_with_source("okta-system-log", panther_dir() / "okta_org2org_creation_modification__01.json");
  for (const auto& identity : parsed.batch.observed_identities) EXPECT_NE(identity.kind, "okta_app");
}

}  // namespace
}  // namespace keyward::sources::okta
