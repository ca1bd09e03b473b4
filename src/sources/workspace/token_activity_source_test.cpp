#include "sources/workspace/token_activity_source.hpp"

#include <gtest/gtest.h>

#include "sources/testing/source_testing.hpp"

namespace keyward::sources::workspace {
namespace {

using testing::expect_golden;
using testing::normalized_json;
using testing::parse_with_source;
using testing::shared_data;
using testing::source_testdata;

const std::filesystem::path kFixtures = source_testdata("workspace") / "workspace-token-activity";

const core::Identity* find_observed(const store::Batch& batch, const std::string& id) {
  for (const auto& identity : batch.observed_identities) {
    if (identity.id == id) return &identity;
  }
  return nullptr;
}

TEST(WorkspaceTokenActivity, TokenEventsMatchGolden) {
  auto parsed = parse_with_source("workspace-token-activity", kFixtures / "token_activity.json");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  expect_golden(normalized_json(parsed), kFixtures / "token_activity.json.golden.json");
}

TEST(WorkspaceTokenActivity, AdminEventsMatchGolden) {
  auto parsed = parse_with_source("workspace-token-activity", kFixtures / "admin_activity.jsonl");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  expect_golden(normalized_json(parsed), kFixtures / "admin_activity.jsonl.golden.json");
}

TEST(WorkspaceTokenActivity, ApiUseIsActivityOfTheApp) {
  auto parsed = parse_with_source("workspace-token-activity", kFixtures / "token_activity.json");
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.sink.events.size(), 4u);
  const auto& use = parsed.sink.events[0];
  EXPECT_EQ(use["identity_id"], "1234567890-abc.apps.googleusercontent.com");
  EXPECT_EQ(use["event_source"], "gmail");
  EXPECT_EQ(use["event_name"], "gmail.users.messages.list");
  EXPECT_EQ(use["source_ip"], "203.0.113.7");
  // Authorization is done by the user, so the user is the actor.
  EXPECT_EQ(parsed.sink.events[1]["identity_id"], "ana.lima@example.com");
  EXPECT_EQ(parsed.sink.events[1]["event_name"], "authorize");
}

TEST(WorkspaceTokenActivity, AuthorizeUpdatesObservedApp) {
  auto parsed = parse_with_source("workspace-token-activity", kFixtures / "token_activity.json");
  const core::Identity* zapier = find_observed(parsed.batch, "1234567890-abc.apps.googleusercontent.com");
  ASSERT_NE(zapier, nullptr);
  EXPECT_EQ(zapier->kind, "workspace_oauth_app");
  EXPECT_EQ(zapier->name, "Zapier");
  EXPECT_EQ(zapier->attributes["connected_by"], nlohmann::json({"ana.lima@example.com"}));
  EXPECT_EQ(zapier->attributes["scopes"], nlohmann::json({"https://mail.google.com/", "openid"}));
  EXPECT_EQ(zapier->created, core::parse_time("2026-11-19T08:00:00Z"));
  EXPECT_EQ(zapier->last_used, core::parse_time("2026-11-20T10:15:00Z"));
}

TEST(WorkspaceTokenActivity, LatestRevokeRemovesUserGrants) {
  auto parsed = parse_with_source("workspace-token-activity", kFixtures / "token_activity.json");
  // Ben authorized on the 17th and revoked on the 18th; Ana's latest event is an authorization.
  ASSERT_EQ(parsed.batch.grant_replacements.size(), 1u);
  EXPECT_EQ(parsed.batch.grant_replacements[0].identity_id, "999-unverified.apps.googleusercontent.com");
  EXPECT_EQ(parsed.batch.grant_replacements[0].origin, "workspace.tokens:ben.okafor@example.com");
  EXPECT_TRUE(parsed.batch.grants.empty());
}

TEST(WorkspaceTokenActivity, DomainWideDelegationGrants) {
  auto parsed = parse_with_source("workspace-token-activity", kFixtures / "admin_activity.jsonl");
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.batch.grants.size(), 2u);
  for (const auto& grant : parsed.batch.grants) {
    EXPECT_EQ(grant.identity_id, "113456789012345678901");
    EXPECT_EQ(grant.level, "admin");
    EXPECT_EQ(grant.origin, "workspace.domain_wide_delegation");
    EXPECT_EQ(grant.granted_by, "it.admin@example.com");
  }
  // The removed client's delegation is replaced by nothing.
  EXPECT_EQ(parsed.batch.grant_replacements.size(), 2u);
  const core::Identity* removed = find_observed(parsed.batch, "118888888888888888888");
  ASSERT_NE(removed, nullptr);
  EXPECT_EQ(removed->attributes["domain_wide_delegation"], true);
}

TEST(WorkspaceTokenActivity, LoginFailureAndSkippedApplications) {
  auto parsed = parse_with_source("workspace-token-activity", kFixtures / "admin_activity.jsonl");
  // Three admin events and one login event; the drive activity is read but emits nothing.
  ASSERT_EQ(parsed.sink.events.size(), 4u);
  EXPECT_EQ(parsed.records, 5);
  const auto& login = parsed.sink.events[3];
  EXPECT_EQ(login["event_source"], "login");
  EXPECT_EQ(login["error_code"], "login_failure_invalid_password");
}

TEST(WorkspaceTokenActivity, BadRecordsReported) {
  auto parsed = parse_with_source("workspace-token-activity", source_testdata("workspace") / "bad" / "bad_activity.json");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  ASSERT_GE(parsed.errors.size(), 3u);
  EXPECT_NE(parsed.errors[0].message.find("invalid id.time"), std::string::npos);
  EXPECT_NE(parsed.errors[1].message.find("client_id"), std::string::npos);
  EXPECT_NE(parsed.errors[2].message.find("no id object"), std::string::npos);
  EXPECT_TRUE(parsed.sink.events.empty());
}

// Panther's sample Reports API events (one event per activity, parameters as an object).
TEST(WorkspaceTokenActivity, PantherSamples) {
  const auto folder = shared_data() / "gworkspace" / "panther";
  if (!std::filesystem::is_directory(folder)) GTEST_SKIP() << "real samples not found at " << folder << "; set KEYWARD_SHARED_DATA";
  int files = 0;
  size_t events = 0;
  size_t errors = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".expect.") != std::string::npos || entry.path().extension() != ".json") continue;
    ++files;
    auto parsed = parse_with_source("workspace-token-activity", entry.path());
    ASSERT_TRUE(parsed.status.ok()) << name;
    events += parsed.sink.events.size();
    errors += parsed.errors.size();
    for (const auto& event : parsed.sink.events) {
      EXPECT_NE(event["event_source"], "drive") << name;
      EXPECT_NE(event["identity_id"], "") << name;
    }
    if (name.rfind("gsuite_suspicious_logins", 0) == 0) {
      // These login samples carry no id.time and no actor: reported, not emitted.
      EXPECT_TRUE(parsed.sink.events.empty()) << name;
      EXPECT_EQ(parsed.errors.size(), 1u) << name;
    }
    if (name.find("new_domain_application__01") != std::string::npos) {
      ASSERT_EQ(parsed.batch.observed_identities.size(), 1u);
      EXPECT_EQ(parsed.batch.observed_identities[0].id, "469176070494");
      EXPECT_EQ(parsed.batch.observed_identities[0].name, "DocuSign eSignature for Google");
      EXPECT_EQ(parsed.batch.observed_identities[0].kind, "workspace_marketplace_app");
    }
  }
  EXPECT_EQ(files, 12);
  // Six admin events are emitted; the user_accounts and drive samples are skipped.
  EXPECT_EQ(events, 6u);
  EXPECT_EQ(errors, 3u);
}

}  // namespace
}  // namespace keyward::sources::workspace
