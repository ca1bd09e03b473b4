// Golden-file and focused tests of the Okta sources on the fixtures in testdata/.

#include "sources/okta/sources.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sources/testing/source_testing.hpp"

namespace keyward::sources::okta {
namespace {

using testing::find_credential;
using testing::find_identity;
using testing::normalized_json;
using testing::parse_with_source;
using testing::source_testdata;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void expect_fixture_golden(const std::string& source, const std::string& file) {
  const auto folder = source_testdata("okta") / source;
  auto parsed = parse_with_source(source, folder / (file + ".json"));
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  EXPECT_TRUE(parsed.errors.empty());
  testing::expect_golden(normalized_json(parsed), folder / (file + ".golden.json"));
}

TEST(OktaGolden, ApiTokens) { expect_fixture_golden("okta-api-tokens", "api_tokens"); }
TEST(OktaGolden, Apps) { expect_fixture_golden("okta-apps", "apps"); }
TEST(OktaGolden, AppGrants) { expect_fixture_golden("okta-app-grants", "grants"); }
TEST(OktaGolden, Users) { expect_fixture_golden("okta-users", "users"); }
TEST(OktaGolden, SystemLog) { expect_fixture_golden("okta-system-log", "system_log"); }

TEST(OktaApiTokens, TokenIsShadowAdminIdentity) {
  auto parsed = parse_with_source("okta-api-tokens", source_testdata("okta") / "okta-api-tokens" / "api_tokens.json");
  ASSERT_EQ(parsed.records, 3);
  const core::Identity* token = find_identity(parsed.batch.identities, "00Tabcdefg1234567890");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->kind, "okta_api_token");
  EXPECT_EQ(token->owner, "00u1a2b3c4d5e6f7g8h9");
  EXPECT_EQ(token->classification, core::Classification::machine);
  EXPECT_EQ(token->attributes["shadow"], true);
  EXPECT_EQ(token->attributes["privilege"], "admin");
  EXPECT_EQ(token->attributes["network_connection"], "ANYWHERE");

  const core::Credential* credential = find_credential(parsed.batch, "00Tabcdefg1234567890");
  ASSERT_NE(credential, nullptr);
  EXPECT_EQ(credential->kind, "okta_ssws_token");
  EXPECT_EQ(credential->identity_id, "00Tabcdefg1234567890");
  EXPECT_EQ(credential->created, core::parse_time("2026-03-02T10:15:00Z"));
  EXPECT_EQ(credential->expires, core::parse_time("2026-12-20T08:00:00Z"));
  EXPECT_FALSE(credential->last_used.has_value());
}

TEST(OktaApiTokens, ZoneAndNullFields) {
  auto parsed = parse_with_source("okta-api-tokens", source_testdata("okta") / "okta-api-tokens" / "api_tokens.json");
  const core::Identity* zoned = find_identity(parsed.batch.identities, "00Tzone000000000000a");
  ASSERT_NE(zoned, nullptr);
  EXPECT_EQ(zoned->attributes["network_connection"], "ZONE");
  EXPECT_EQ(zoned->attributes["network_include"], nlohmann::json::array({"nzo1corpnet000000001"}));
  EXPECT_EQ(zoned->attributes["network_exclude"], nlohmann::json::array({"nzo1torexit000000001"}));

  const core::Credential* no_expiry = find_credential(parsed.batch, "00Tnoexpiry000000001");
  ASSERT_NE(no_expiry, nullptr);
  EXPECT_FALSE(no_expiry->expires.has_value());
  const core::Identity* no_network = find_identity(parsed.batch.identities, "00Tnoexpiry000000001");
  ASSERT_NE(no_network, nullptr);
  EXPECT_FALSE(no_network->attributes.contains("network_connection"));
}

TEST(OktaApiTokens, BadRecordsSkipped) {
  auto parsed = parse_with_source("okta-api-tokens", source_testdata("okta") / "bad" / "bad_api_tokens.json");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_EQ(parsed.records, 3);
  ASSERT_EQ(parsed.batch.identities.size(), 1u);
  EXPECT_EQ(parsed.batch.identities[0].id, "00Tgood0000000000001");
  ASSERT_EQ(parsed.errors.size(), 2u);
  EXPECT_NE(parsed.errors[0].message.find("missing string id"), std::string::npos) << parsed.errors[0].message;
  EXPECT_NE(parsed.errors[1].message.find("created 'last week'"), std::string::npos) << parsed.errors[1].message;
  EXPECT_GT(parsed.errors[1].offset, 0);
}

TEST(OktaApps, ServiceAppWithKeys) {
  auto parsed = parse_with_source("okta-apps", source_testdata("okta") / "okta-apps" / "apps.json");
  ASSERT_EQ(parsed.records, 7);
  const core::Identity* app = find_identity(parsed.batch.identities, "0oa1svcprovision0001");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->kind, "okta_service_app");
  EXPECT_EQ(app->attributes["aliases"], nlohmann::json::array({"0oa1svcprovision0001"}));
  EXPECT_EQ(app->attributes["third_party"], false);
  const core::Credential* key = find_credential(parsed.batch, "0oa1svcprovision0001#jwk:provisioner-2025");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->kind, "okta_client_jwk");
  EXPECT_EQ(key->status, "active");
  const core::Credential* old_key = find_credential(parsed.batch, "0oa1svcprovision0001#jwk:pks1oldkey000000001");
  ASSERT_NE(old_key, nullptr);
  EXPECT_EQ(old_key->status, "inactive");
  EXPECT_EQ(old_key->created, core::parse_time("2024-02-01T00:00:00Z"));
}

TEST(OktaApps, ClientSecretNeverStored) {
  const auto path = source_testdata("okta") / "okta-apps" / "apps.json";
  const std::string canary = "CANARY-client-secret-must-not-be-stored-9Xq2";
  ASSERT_NE(read_text(path).find(canary), std::string::npos) << "the fixture must contain the canary";
  auto parsed = parse_with_source("okta-apps", path);
  const core::Credential* secret = find_credential(parsed.batch, "0oa1svcreports000001#client_secret");
  ASSERT_NE(secret, nullptr);
  EXPECT_EQ(secret->kind, "okta_client_secret");
  EXPECT_EQ(secret->attributes["secret_in_export"], true);
  EXPECT_EQ(normalized_json(parsed).dump().find(canary), std::string::npos);
  EXPECT_EQ(normalized_json(parsed).dump().find("9Xq2"), std::string::npos);
}

TEST(OktaApps, ThirdPartyAndCustomApps) {
  auto parsed = parse_with_source("okta-apps", source_testdata("okta") / "okta-apps" / "apps.json");
  const core::Identity* salesforce = find_identity(parsed.batch.identities, "0oa1salesforce000001");
  ASSERT_NE(salesforce, nullptr);
  EXPECT_EQ(salesforce->kind, "okta_app");
  EXPECT_EQ(salesforce->vendor, "Salesforce");
  EXPECT_EQ(salesforce->attributes["third_party"], true);
  EXPECT_EQ(salesforce->attributes["publisher"], "salesforce");
  const core::Identity* zapier = find_identity(parsed.batch.identities, "0oa1zapier0000000001");
  ASSERT_NE(zapier, nullptr);
  EXPECT_EQ(zapier->vendor, "Zapier");
  const core::Identity* wiki = find_identity(parsed.batch.identities, "0oa1wiki000000000001");
  ASSERT_NE(wiki, nullptr);
  EXPECT_EQ(wiki->attributes["third_party"], false);
  EXPECT_EQ(wiki->vendor, "");
  const core::Identity* portal = find_identity(parsed.batch.identities, "0oa1webportal0000001");
  ASSERT_NE(portal, nullptr);
  EXPECT_EQ(portal->status, "disabled");
  EXPECT_EQ(find_credential(parsed.batch, "0oa1webportal0000001#client_secret"), nullptr);
  const core::Identity* org2org = find_identity(parsed.batch.identities, "0oawpacQMRQtvkxOf0g3");
  ASSERT_NE(org2org, nullptr);
  EXPECT_EQ(org2org->vendor, "Okta");
}

TEST(OktaAppGrants, LevelsAndReplacements) {
  auto parsed = parse_with_source("okta-app-grants", source_testdata("okta") / "okta-app-grants" / "grants.json");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_EQ(parsed.records, 5);
  ASSERT_EQ(parsed.batch.grants.size(), 4u) << "the REVOKED grant grants nothing";
  EXPECT_EQ(parsed.batch.grants[0].identity_id, "0oa1svcprovision0001");
  EXPECT_EQ(parsed.batch.grants[0].actions, std::vector<std::string>{"okta.users.read"});
  EXPECT_EQ(parsed.batch.grants[0].level, "read");
  EXPECT_EQ(parsed.batch.grants[0].granted_by, "00u1a2b3c4d5e6f7g8h9");
  EXPECT_EQ(parsed.batch.grants[0].origin, "okta.app_grants");
  EXPECT_EQ(parsed.batch.grants[1].level, "write");
  EXPECT_EQ(parsed.batch.grants[2].level, "admin");
  EXPECT_EQ(parsed.batch.grants[3].identity_id, "0oa1svcreports000001");
  ASSERT_EQ(parsed.batch.grant_replacements.size(), 2u);
  EXPECT_EQ(parsed.batch.grant_replacements[0].identity_id, "0oa1svcprovision0001");
  EXPECT_EQ(parsed.batch.grant_replacements[1].identity_id, "0oa1svcreports000001");
}

TEST(OktaAppGrants, BadRecordsSkipped) {
  auto parsed = parse_with_source("okta-app-grants", source_testdata("okta") / "bad" / "bad_app_grants.json");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_EQ(parsed.records, 3);
  ASSERT_EQ(parsed.errors.size(), 2u);
  EXPECT_NE(parsed.errors[0].message.find("scopeId"), std::string::npos) << parsed.errors[0].message;
  EXPECT_NE(parsed.errors[1].message.find("names no app"), std::string::npos) << parsed.errors[1].message;
  ASSERT_EQ(parsed.batch.grants.size(), 1u);
  EXPECT_EQ(parsed.batch.grants[0].identity_id, "0oa1") << "without _links.app the clientId names the app";
}

TEST(OktaUsers, StatusesAndServiceAccounts) {
  auto parsed = parse_with_source("okta-users", source_testdata("okta") / "okta-users" / "users.json");
  ASSERT_EQ(parsed.records, 6);
  const std::vector<std::pair<std::string, std::string>> statuses = {
      {"00u1a2b3c4d5e6f7g8h9", "active"},       {"00udeparted000000001", "deprovisioned"},
      {"00ususpended00000001", "suspended"},    {"00ulocked0000000001", "suspended"},
      {"00ustaged0000000001", "staged"},        {"00usvcsiem0000000001", "active"},
  };
  for (const auto& [id, status] : statuses) {
    const core::Identity* user = find_identity(parsed.batch.identities, id);
    ASSERT_NE(user, nullptr) << id;
    EXPECT_EQ(user->status, status) << id;
    EXPECT_EQ(user->kind, "okta_user");
  }
  const core::Identity* person = find_identity(parsed.batch.identities, "00u1a2b3c4d5e6f7g8h9");
  EXPECT_EQ(person->classification, core::Classification::human);
  EXPECT_EQ(person->attributes["email"], "dana.reyes@example.com");
  EXPECT_EQ(person->attributes["aliases"], nlohmann::json::array({"00u1a2b3c4d5e6f7g8h9", "dana.reyes@example.com"}));
  EXPECT_EQ(person->last_used, core::parse_time("2026-11-29T08:12:44Z"));
  const core::Identity* departed = find_identity(parsed.batch.identities, "00udeparted000000001");
  EXPECT_EQ(departed->attributes["login"], "sam.okafor");
  const core::Identity* service = find_identity(parsed.batch.identities, "00usvcsiem0000000001");
  EXPECT_EQ(service->classification, core::Classification::machine);
  const core::Identity* staged = find_identity(parsed.batch.identities, "00ustaged0000000001");
  EXPECT_FALSE(staged->last_used.has_value());
}

TEST(OktaUsers, BadRecordsSkipped) {
  auto parsed = parse_with_source("okta-users", source_testdata("okta") / "bad" / "bad_users.json");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_EQ(parsed.records, 3);
  ASSERT_EQ(parsed.batch.identities.size(), 1u);
  EXPECT_EQ(parsed.batch.identities[0].id, "00ugood0000000000001");
  ASSERT_EQ(parsed.errors.size(), 2u);
  EXPECT_NE(parsed.errors[0].message.find("profile"), std::string::npos);
  EXPECT_NE(parsed.errors[1].message.find("lastLogin"), std::string::npos);
}

TEST(OktaSystemLog, TokenUseIsTokenActivity) {
  auto parsed = parse_with_source("okta-system-log", source_testdata("okta") / "okta-system-log" / "system_log.json");
  ASSERT_TRUE(parsed.status.ok());
  ASSERT_EQ(parsed.sink.events.size(), 7u);
  const auto& token_call = parsed.sink.events[1];
  EXPECT_EQ(token_call["identity_id"], "00Tnewtoken000000001");
  EXPECT_EQ(token_call["credential_id"], "00Tnewtoken000000001");
  EXPECT_EQ(token_call["event_name"], "user.lifecycle.deactivate");
  EXPECT_EQ(token_call["source_ip"], "198.51.100.7");
  EXPECT_EQ(token_call["error_code"], "");
}

TEST(OktaSystemLog, ServiceAppAndFailures) {
  auto parsed = parse_with_source("okta-system-log", source_testdata("okta") / "okta-system-log" / "system_log.json");
  const auto& app_call = parsed.sink.events[2];
  EXPECT_EQ(app_call["identity_id"], "0oa1svcprovision0001");
  EXPECT_EQ(app_call["credential_id"], "");
  const auto& failed = parsed.sink.events[3];
  EXPECT_EQ(failed["identity_id"], "0oa1svcreports000001");
  EXPECT_EQ(failed["error_code"], "invalid_client");
  EXPECT_EQ(failed["source_ip"], "");
  const auto& unknown_actor = parsed.sink.events[6];
  EXPECT_EQ(unknown_actor["identity_id"], "");
  EXPECT_EQ(unknown_actor["error_code"], "VERIFICATION_ERROR");
  EXPECT_EQ(unknown_actor["time"], "2026-11-30T12:00:00Z") << "epoch milliseconds are read";
}

TEST(OktaSystemLog, TokenLifecycle) {
  auto parsed = parse_with_source("okta-system-log", source_testdata("okta") / "okta-system-log" / "system_log.json");
  const core::Identity* created = find_identity(parsed.batch.identities, "00Tnewtoken000000001");
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(created->status, "active");
  EXPECT_EQ(created->owner, "00u1a2b3c4d5e6f7g8h9");
  EXPECT_EQ(created->attributes["created_by"], "dana.reyes@example.com");
  EXPECT_EQ(created->created, core::parse_time("2026-11-20T08:00:01Z"));
  const core::Credential* credential = find_credential(parsed.batch, "00Tnewtoken000000001");
  ASSERT_NE(credential, nullptr);
  EXPECT_EQ(credential->kind, "okta_ssws_token");

  const core::Identity* revoked = find_identity(parsed.batch.identities, "00Tnoexpiry000000001");
  ASSERT_NE(revoked, nullptr);
  EXPECT_EQ(revoked->status, "deleted");
  EXPECT_EQ(revoked->attributes["revoked_by"], "it.admin@example.com");
  EXPECT_EQ(revoked->owner, "") << "the revoker is not the owner";
  const core::Credential* revoked_credential = find_credential(parsed.batch, "00Tnoexpiry000000001");
  ASSERT_NE(revoked_credential, nullptr);
  EXPECT_EQ(revoked_credential->status, "deleted");
}

TEST(OktaSystemLog, ObservedActors) {
  auto parsed = parse_with_source("okta-system-log", source_testdata("okta") / "okta-system-log" / "system_log.json");
  const auto& observed = parsed.batch.observed_identities;
  const core::Identity* app = find_identity(observed, "0oa1svcprovision0001");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->kind, "okta_service_app");
  const core::Identity* token = find_identity(observed, "00Tnewtoken000000001");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->kind, "okta_api_token");
  const core::Identity* consented = find_identity(observed, "0oa1thirdparty000001");
  ASSERT_NE(consented, nullptr);
  EXPECT_EQ(consented->attributes["connected_by"], nlohmann::json::array({"dana.reyes@example.com"}));
  const core::Identity* user = find_identity(observed, "00u1a2b3c4d5e6f7g8h9");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->classification, core::Classification::human);
  EXPECT_EQ(find_identity(observed, "unknown"), nullptr);
}

TEST(OktaSystemLog, BadRecordsSkipped) {
  auto parsed = parse_with_source("okta-system-log", source_testdata("okta") / "bad" / "bad_system_log.json");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_EQ(parsed.sink.events.size(), 1u);
  ASSERT_EQ(parsed.errors.size(), 3u);
  EXPECT_NE(parsed.errors[0].message.find("published 'yesterday'"), std::string::npos) << parsed.errors[0].message;
  EXPECT_NE(parsed.errors[1].message.find("eventType"), std::string::npos) << parsed.errors[1].message;
}

TEST(OktaSystemLog, RejectsNonJson) {
  auto parsed = parse_with_source("okta-system-log", source_testdata("okta") / "bad" / "bad_not_json.txt");
  EXPECT_FALSE(parsed.status.ok() && parsed.errors.empty());
}

TEST(OktaDetection, EachFixtureDetectedByItsSource) {
  const std::vector<std::pair<std::string, std::string>> fixtures = {
      {"okta-api-tokens", "api_tokens.json"}, {"okta-apps", "apps.json"},
      {"okta-app-grants", "grants.json"},     {"okta-users", "users.json"},
      {"okta-system-log", "system_log.json"},
  };
  for (const auto& [source, file] : fixtures) {
    const std::string head = read_text(source_testdata("okta") / source / file);
    const Source* detected = detect_source(head, file);
    ASSERT_NE(detected, nullptr) << file;
    EXPECT_EQ(detected->name(), source) << file;
  }
  EXPECT_EQ(SystemLogSource().detect("user,arn\n", "x.csv"), 0);
  EXPECT_EQ(UsersSource().detect(R"({"Records": [{"eventVersion": "1.08"}]})", "trail.json"), 0);
}

}  // namespace
}  // namespace keyward::sources::okta
