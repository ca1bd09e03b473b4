#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sources/slack/scope_levels.hpp"
#include "sources/testing/source_testing.hpp"

namespace keyward::sources::slack {
namespace {

using testing::find_identity;
using testing::normalized_json;
using testing::parse_with_source;
using testing::source_testdata;

const std::filesystem::path kData = source_testdata("slack");

std::vector<const core::Grant*> grants_of(const store::Batch& batch, const std::string& id) {
  std::vector<const core::Grant*> out;
  for (const auto& grant : batch.grants) {
    if (grant.identity_id == id) out.push_back(&grant);
  }
  return out;
}

TEST(SlackScopeLevels, Table) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"channels:read", "read"},      {"channels:history", "read"}, {"users:read.email", "read"},
      {"chat:write", "write"},        {"files:write", "write"},     {"chat:write.public", "write"},
      {"incoming-webhook", "write"},  {"commands", "write"},        {"admin", "admin"},
      {"admin.users:write", "admin"}, {"admin.apps:read", "admin"}, {"client", "admin"},
      {"identify", "read"},           {"unknown-scope", ""},
  };
  for (const auto& [scope, level] : cases) EXPECT_EQ(scope_level(scope), level) << scope;
}

TEST(SlackScopeLevels, AppPrivilege) {
  EXPECT_EQ(app_privilege({"channels:read"}), "read");
  EXPECT_EQ(app_privilege({"channels:read", "chat:write"}), "write");
  EXPECT_EQ(app_privilege({"files:write", "users:read.email"}), "admin");
  EXPECT_EQ(app_privilege({"files:write"}), "write");
  EXPECT_EQ(app_privilege({"admin.conversations:write"}), "admin");
  EXPECT_EQ(app_privilege({}), "");
}

TEST(SlackApprovedApps, Golden) {
  const auto parsed = parse_with_source("slack-approved-apps", kData / "slack-approved-apps" / "approved_list.json");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  testing::expect_golden(normalized_json(parsed), kData / "slack-approved-apps" / "approved_list.golden.json");
}

TEST(SlackApprovedApps, AppsScopesAndGrants) {
  const auto parsed = parse_with_source("slack-approved-apps", kData / "slack-approved-apps" / "approved_list.json");
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.records, 3);

  const core::Identity* zapier = find_identity(parsed.batch.identities, "A0W7UKG8E");
  ASSERT_NE(zapier, nullptr);
  EXPECT_EQ(zapier->kind, "slack_app");
  EXPECT_EQ(zapier->vendor, "Zapier");
  EXPECT_EQ(zapier->account, "E0AS553RN");
  EXPECT_EQ(zapier->attributes["third_party"], true);
  EXPECT_EQ(zapier->attributes["publisher_verified"], true);
  EXPECT_EQ(zapier->attributes["privilege"], "admin");
  EXPECT_EQ(zapier->attributes["dangerous_scopes"], nlohmann::json::array({"channels:history", "users:read.email"}));
  EXPECT_EQ(zapier->attributes["approved_by"], "W0123ADMIN");
  const auto grants = grants_of(parsed.batch, "A0W7UKG8E");
  ASSERT_EQ(grants.size(), 4u);
  EXPECT_EQ(grants[0]->actions, std::vector<std::string>{"chat:write"});
  EXPECT_EQ(grants[0]->level, "write");
  EXPECT_EQ(grants[0]->origin, "slack.approved_apps");
  EXPECT_EQ(grants[0]->granted_by, "W0123ADMIN");
  EXPECT_EQ(grants[1]->level, "read");

  const core::Identity* internal = find_identity(parsed.batch.identities, "A0KRD7HC3");
  ASSERT_NE(internal, nullptr);
  EXPECT_EQ(internal->attributes["third_party"], false);
  EXPECT_EQ(internal->vendor, "");
  EXPECT_EQ(internal->account, "T0HFE6EBT");
  EXPECT_EQ(internal->attributes["approved_at"], "2023-03-28T10:40:00Z");

  // Null last_resolved_by and date_updated are normal, and enterprise may be a bare id.
  const core::Identity* okta = find_identity(parsed.batch.identities, "A0ADMINAPP");
  ASSERT_NE(okta, nullptr);
  EXPECT_EQ(okta->account, "E0AS553RN");
  EXPECT_EQ(okta->attributes["privilege"], "admin");
  EXPECT_FALSE(okta->attributes.contains("approved_by"));

  ASSERT_EQ(parsed.batch.grant_replacements.size(), 3u);
  EXPECT_EQ(parsed.batch.grant_replacements[0].origin, "slack.approved_apps");
}

TEST(SlackApprovedApps, ErrorResponseReported) {
  const auto parsed = parse_with_source("slack-approved-apps", kData / "bad" / "bad_error_response.json");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_TRUE(parsed.batch.identities.empty());
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_NE(parsed.errors[0].message.find("not_allowed_token_type"), std::string::npos);
}

TEST(SlackIntegrationLogs, Golden) {
  const auto parsed = parse_with_source("slack-integration-logs", kData / "slack-integration-logs" / "integration_logs.json");
  ASSERT_TRUE(parsed.status.ok());
  testing::expect_golden(normalized_json(parsed), kData / "slack-integration-logs" / "integration_logs.golden.json");
}

TEST(SlackIntegrationLogs, Lifecycle) {
  const auto parsed = parse_with_source("slack-integration-logs", kData / "slack-integration-logs" / "integration_logs.json");
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.records, 6);
  ASSERT_EQ(parsed.batch.identities.size(), 4u);

  const core::Identity* zapier = find_identity(parsed.batch.identities, "A0W7UKG8E");
  ASSERT_NE(zapier, nullptr);
  EXPECT_EQ(zapier->status, "active");
  EXPECT_EQ(zapier->created, 1650000000);
  EXPECT_EQ(zapier->attributes["created_by"], "maria.lopez");
  EXPECT_EQ(zapier->attributes["connected_by"], nlohmann::json::array({"maria.lopez"}));
  EXPECT_EQ(zapier->attributes["scopes"],
            nlohmann::json::array({"files:write", "users:read.email", "chat:write", "channels:history"}));
  EXPECT_EQ(zapier->attributes["privilege"], "admin");

  // Entries come newest first: the later "removed" wins over the earlier "added".
  const core::Identity* removed = find_identity(parsed.batch.identities, "service:1234567890");
  ASSERT_NE(removed, nullptr);
  EXPECT_EQ(removed->kind, "slack_incoming_webhook");
  EXPECT_EQ(removed->status, "deleted");
  EXPECT_EQ(removed->attributes["shadow"], true);
  EXPECT_EQ(removed->attributes["created_by"], "li.wei");
  EXPECT_EQ(removed->attributes["channels"], nlohmann::json::array({"#alerts"}));

  const core::Identity* webhook = find_identity(parsed.batch.identities, "service:2233445566");
  ASSERT_NE(webhook, nullptr);
  EXPECT_EQ(webhook->status, "active");
  EXPECT_EQ(webhook->attributes["connected_by"], nlohmann::json::array({"omar.haddad"}));

  const core::Identity* command = find_identity(parsed.batch.identities, "service:3344556677");
  ASSERT_NE(command, nullptr);
  EXPECT_EQ(command->kind, "slack_custom_integration");
  EXPECT_EQ(command->status, "disabled");
}

TEST(SlackIntegrationLogs, BadEntriesAndNoWebhookUrl) {
  const auto parsed = parse_with_source("slack-integration-logs", kData / "bad" / "bad_integration_logs.json");
  ASSERT_TRUE(parsed.status.ok());
  ASSERT_EQ(parsed.batch.identities.size(), 1u);
  EXPECT_EQ(parsed.batch.identities[0].id, "service:97");
  ASSERT_EQ(parsed.errors.size(), 3u);
  EXPECT_NE(parsed.errors[0].message.find("app_id"), std::string::npos);
  EXPECT_NE(parsed.errors[1].message.find("date"), std::string::npos);
  EXPECT_NE(parsed.errors[2].message.find("change_type"), std::string::npos);
  EXPECT_EQ(normalized_json(parsed).dump().find("CANARY"), std::string::npos) << "a webhook URL reached the output";
}

TEST(SlackUsers, Golden) {
  const auto parsed = parse_with_source("slack-users", kData / "slack-users" / "users_list.json");
  ASSERT_TRUE(parsed.status.ok());
  testing::expect_golden(normalized_json(parsed), kData / "slack-users" / "users_list.golden.json");
}

TEST(SlackUsers, BotsAndPeople) {
  const auto parsed = parse_with_source("slack-users", kData / "slack-users" / "users_list.json");
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.records, 5);
  const auto& identities = parsed.batch.identities;

  const core::Identity* maria = find_identity(identities, "U0000001");
  ASSERT_NE(maria, nullptr);
  EXPECT_EQ(maria->kind, "slack_user");
  EXPECT_EQ(maria->classification, core::Classification::human);
  EXPECT_EQ(maria->attributes["email"], "maria.lopez@example.com");
  EXPECT_EQ(maria->attributes["login"], "maria.lopez");
  EXPECT_EQ(maria->attributes["privilege"], "admin");

  const core::Identity* sam = find_identity(identities, "U0000002");
  ASSERT_NE(sam, nullptr);
  EXPECT_EQ(sam->status, "deprovisioned");
  EXPECT_EQ(sam->name, "Sam Chen");

  const core::Identity* bot = find_identity(identities, "U0BOT0001");
  ASSERT_NE(bot, nullptr);
  EXPECT_EQ(bot->kind, "slack_bot");
  EXPECT_EQ(bot->classification, core::Classification::machine);
  EXPECT_EQ(bot->attributes["aliases"], nlohmann::json::array({"B0ZAPIER1"}));
  EXPECT_EQ(bot->attributes["app_id"], "A0W7UKG8E");

  const core::Identity* slackbot = find_identity(identities, "USLACKBOT");
  ASSERT_NE(slackbot, nullptr);
  EXPECT_EQ(slackbot->kind, "slack_bot");

  const core::Identity* old_bot = find_identity(identities, "U0BOT0002");
  ASSERT_NE(old_bot, nullptr);
  EXPECT_EQ(old_bot->status, "deleted");
  EXPECT_FALSE(old_bot->attributes.contains("app_id"));
}

TEST(SlackAuditLog, Golden) {
  const auto parsed = parse_with_source("slack-audit-log", kData / "slack-audit-log" / "audit_logs.json");
  ASSERT_TRUE(parsed.status.ok());
  testing::expect_golden(normalized_json(parsed), kData / "slack-audit-log" / "audit_logs.golden.json");
}

TEST(SlackAuditLog, EventsAndAppLifecycle) {
  const auto parsed = parse_with_source("slack-audit-log", kData / "slack-audit-log" / "audit_logs.json");
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.sink.events.size(), 4u);
  const auto& first = parsed.sink.events[0];
  EXPECT_EQ(first["platform"], "slack");
  EXPECT_EQ(first["event_source"], "slack.audit");
  EXPECT_EQ(first["event_name"], "app_scopes_expanded");
  EXPECT_EQ(first["identity_id"], "W0000002");
  EXPECT_EQ(first["source_ip"], "203.0.113.10");
  EXPECT_EQ(parsed.sink.events[3]["user_agent"], "");

  const core::Identity* zapier = find_identity(parsed.batch.identities, "A0W7UKG8E");
  ASSERT_NE(zapier, nullptr);
  EXPECT_EQ(zapier->status, "active");
  EXPECT_EQ(zapier->created, 1700000000);
  EXPECT_EQ(zapier->attributes["created_by"], "maria.lopez@example.com");
  EXPECT_EQ(zapier->attributes["third_party"], true);
  EXPECT_EQ(zapier->vendor, "Zapier");
  EXPECT_EQ(zapier->attributes["scopes"],
            nlohmann::json::array({"files:write", "users:read.email", "chat:write", "channels:history"}));

  const core::Identity* old_app = find_identity(parsed.batch.identities, "A0OLDAPP1");
  ASSERT_NE(old_app, nullptr);
  EXPECT_EQ(old_app->status, "deleted");
}

TEST(SlackAuditLog, JsonLinesRestrictedApp) {
  const auto parsed = parse_with_source("slack-audit-log", kData / "slack-audit-log" / "entries.jsonl");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.sink.events.size(), 2u);
  const core::Identity* risky = find_identity(parsed.batch.identities, "A0RISKY01");
  ASSERT_NE(risky, nullptr);
  EXPECT_EQ(risky->status, "disabled");
  const core::Identity* notion = find_identity(parsed.batch.identities, "A0NEWAPP1");
  ASSERT_NE(notion, nullptr);
  EXPECT_EQ(notion->attributes["connected_by"], nlohmann::json::array({"maria.lopez@example.com"}));
}

TEST(SlackAuditLog, BadEntriesSkipped) {
  const auto parsed = parse_with_source("slack-audit-log", kData / "bad" / "bad_audit.jsonl");
  ASSERT_TRUE(parsed.status.ok());
  // Only the entry with null actor, entity and context is complete enough to read.
  EXPECT_EQ(parsed.sink.events.size(), 1u);
  EXPECT_EQ(parsed.sink.events[0]["identity_id"], "");
  ASSERT_EQ(parsed.errors.size(), 4u);
  EXPECT_NE(parsed.errors[0].message.find("date_create"), std::string::npos);
  EXPECT_NE(parsed.errors[1].message.find("date_create"), std::string::npos);
  EXPECT_NE(parsed.errors[2].message.find("action"), std::string::npos);
  EXPECT_EQ(parsed.errors[3].line, 4);
}

TEST(SlackDetection, SourcesTellFormatsApart) {
  const Source* audit = find_source("slack-audit-log");
  const Source* users = find_source("slack-users");
  const Source* logs = find_source("slack-integration-logs");
  const Source* approved = find_source("slack-approved-apps");
  ASSERT_NE(audit, nullptr);
  ASSERT_NE(users, nullptr);
  ASSERT_NE(logs, nullptr);
  ASSERT_NE(approved, nullptr);
  const std::string cloudtrail = R"({"Records": [{"eventVersion": "1.08", "eventTime": "2024-01-01T00:00:00Z"}]})";
  for (const Source* source : {audit, users, logs, approved}) EXPECT_EQ(source->detect(cloudtrail, "trail.json"), 0);
  EXPECT_EQ(audit->detect(R"({"ok": true, "members": [{"id": "U1", "is_bot": false}]})", "u.json"), 0);
  EXPECT_EQ(users->detect(R"({"entries": [{"date_create": 1, "action": "user_login"}]})", "a.json"), 0);
}

// Panther's Slack audit samples: each is a single Audit Logs API entry (date_create rewritten as
// "YYYY-MM-DD HH:MM:SS"). Each must be detected and read as one event, and app entries must
// update the app identity the way the rule's expectation describes.
TEST(SlackRealSamples, PantherAuditEntries) {
  const auto folder = testing::shared_data() / "slack" / "panther";
  if (!std::filesystem::is_directory(folder)) GTEST_SKIP() << "shared real samples not found at " << folder;
  int checked = 0;
  for (const auto& file : std::filesystem::directory_iterator(folder)) {
    const std::string name = file.path().filename().string();
    if (name.find(".expect.json") != std::string::npos || file.path().extension() != ".json") continue;
    std::ifstream in(file.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    const Source* detected = detect_source(text, file.path().string());
    ASSERT_NE(detected, nullptr) << name;
    EXPECT_EQ(detected->name(), "slack-audit-log") << name;

    const auto parsed = parse_with_source("slack-audit-log", file.path());
    ASSERT_TRUE(parsed.status.ok()) << name;
    EXPECT_TRUE(parsed.errors.empty()) << name << ": " << (parsed.errors.empty() ? "" : parsed.errors[0].message);
    ASSERT_EQ(parsed.sink.events.size(), 1u) << name;
    EXPECT_EQ(parsed.sink.events[0]["identity_id"], "W012J3FEWAU") << name;
    EXPECT_EQ(parsed.sink.events[0]["source_ip"], "1.2.3.4") << name;

    const std::string action = parsed.sink.events[0]["event_name"];
    if (action == "user_logout") {
      EXPECT_TRUE(parsed.batch.identities.empty()) << name;
    } else {
      ASSERT_EQ(parsed.batch.identities.size(), 1u) << name;
      const core::Identity& app = parsed.batch.identities[0];
      EXPECT_EQ(app.kind, "slack_app") << name;
      if (action == "app_installed") {
        EXPECT_EQ(app.status, "active") << name;
        EXPECT_EQ(app.attributes["created_by"], "user@example.com") << name;
        EXPECT_EQ(app.attributes["connected_by"], nlohmann::json::array({"user@example.com"})) << name;
      } else {
        EXPECT_NE(app.status, "active") << name << " (" << action << ")";
      }
    }
    ++checked;
  }
  EXPECT_EQ(checked, 9);
}

}  // namespace
}  // namespace keyward::sources::slack
