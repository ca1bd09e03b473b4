#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "sources/salesforce/connected_app.hpp"
#include "sources/testing/source_testing.hpp"

namespace keyward::sources::salesforce {
namespace {

using testing::find_credential;
using testing::find_identity;
using testing::normalized_json;
using testing::parse_with_source;
using testing::source_testdata;

const std::filesystem::path kData = source_testdata("salesforce");

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(SalesforceOauthTokens, GoldenSfQuery) {
  const auto parsed = parse_with_source("salesforce-oauth-tokens", kData / "salesforce-oauth-tokens" / "sf_query.json");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  testing::expect_golden(normalized_json(parsed), kData / "salesforce-oauth-tokens" / "sf_query.golden.json");
}

TEST(SalesforceOauthTokens, AppCollectsTokensAndUsers) {
  const auto parsed = parse_with_source("salesforce-oauth-tokens", kData / "salesforce-oauth-tokens" / "sf_query.json");
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.records, 3);
  ASSERT_EQ(parsed.batch.identities.size(), 2u);

  const core::Identity* zapier = find_identity(parsed.batch, "app:Zapier");
  ASSERT_NE(zapier, nullptr);
  EXPECT_EQ(zapier->kind, "salesforce_connected_app");
  EXPECT_EQ(zapier->vendor, "Zapier");
  EXPECT_EQ(zapier->classification, core::Classification::machine);
  EXPECT_EQ(zapier->attributes["third_party"], true);
  EXPECT_EQ(zapier->attributes["connected_by"],
            nlohmann::json::array({"maria.lopez@example.com.prod", "sam.chen@example.com.prod"}));
  EXPECT_EQ(zapier->attributes["aliases"], nlohmann::json::array({"0Pp5f000000XyZaCAK"}));
  EXPECT_EQ(zapier->last_used, core::parse_time("2026-11-30T08:00:00Z"));
  EXPECT_EQ(zapier->created, core::parse_time("2023-01-10T09:00:00Z"));

  const core::Identity* cli = find_identity(parsed.batch, "app:Salesforce CLI");
  ASSERT_NE(cli, nullptr);
  EXPECT_EQ(cli->vendor, "Salesforce");
  EXPECT_EQ(cli->attributes["third_party"], false);
  // The row has no username, so the user id is used instead.
  EXPECT_EQ(cli->attributes["connected_by"], nlohmann::json::array({"0055f00000CyENvAAN"}));
}

TEST(SalesforceOauthTokens, NeverUsedTokenHasNoLastUse) {
  const auto parsed = parse_with_source("salesforce-oauth-tokens", kData / "salesforce-oauth-tokens" / "sf_query.json");
  const core::Credential* unused = find_credential(parsed.batch, "0CQ5f000000AbCeGAK");
  ASSERT_NE(unused, nullptr);
  EXPECT_EQ(unused->kind, "salesforce_oauth_token");
  EXPECT_EQ(unused->identity_id, "app:Zapier");
  EXPECT_FALSE(unused->last_used.has_value());
  EXPECT_EQ(unused->attributes["use_count"], 0);
  EXPECT_EQ(unused->attributes["user"], "sam.chen@example.com.prod");
}

TEST(SalesforceOauthTokens, RestPagesAndNullId) {
  const auto parsed = parse_with_source("salesforce-oauth-tokens", kData / "salesforce-oauth-tokens" / "rest_pages.json");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_EQ(parsed.records, 2);
  // The first page has done: false, and the second page completes the result.
  EXPECT_TRUE(parsed.errors.empty());
  const core::Credential* keyed = find_credential(parsed.batch, "app:Gong#0055f00000CyENxAAN#2025-10-01T00:00:00.000+0000");
  ASSERT_NE(keyed, nullptr);
  EXPECT_FALSE(keyed->attributes.contains("use_count"));
}

TEST(SalesforceOauthTokens, CsvNeverKeepsTokenValues) {
  const auto parsed = parse_with_source("salesforce-oauth-tokens", kData / "salesforce-oauth-tokens" / "tokens.csv");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.records, 2);
  const core::Credential* token = find_credential(parsed.batch, "0CQ5f000000AbCiGAK");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->attributes["use_count"], 120);
  EXPECT_EQ(token->last_used, core::parse_time("2026-11-15T10:00:00Z"));
  const std::string dump = normalized_json(parsed).dump();
  EXPECT_EQ(dump.find("CANARY"), std::string::npos) << "a token value reached the output";
}

TEST(SalesforceOauthTokens, BadRecordsReported) {
  const auto parsed = parse_with_source("salesforce-oauth-tokens", kData / "bad" / "bad_tokens.json");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_EQ(parsed.records, 1);
  ASSERT_EQ(parsed.errors.size(), 4u);
  EXPECT_NE(parsed.errors[0].message.find("AppName"), std::string::npos);
  EXPECT_NE(parsed.errors[1].message.find("CreatedDate"), std::string::npos);
  EXPECT_NE(parsed.errors[2].message.find("not a JSON object"), std::string::npos);
  EXPECT_NE(parsed.errors[3].message.find("UseCount"), std::string::npos);
  EXPECT_NE(find_credential(parsed.batch, "0CQ5f000000GOODGAK"), nullptr);
}

TEST(SalesforceOauthTokens, MissingLastPageReported) {
  const std::string page =
      R"({"totalSize": 3, "done": false, "nextRecordsUrl": "/services/data/v61.0/query/01g-2000", "records": [)"
      R"({"attributes": {"type": "OauthToken"}, "Id": "0CQ5f000000AbCkGAK", "AppName": "Gong", "UseCount": 1}]})"
      "\n";
  const auto path = std::filesystem::temp_directory_path() / "keyward-salesforce-incomplete-page.json";
  std::ofstream(path, std::ios::binary) << page;
  const auto parsed = parse_with_source("salesforce-oauth-tokens", path);
  std::filesystem::remove(path);
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_EQ(parsed.records, 1);
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_NE(parsed.errors[0].message.find("nextRecordsUrl"), std::string::npos);
}

TEST(SalesforceOauthTokens, SfFailureRejected) {
  const auto parsed = parse_with_source("salesforce-oauth-tokens", kData / "bad" / "bad_sf_failure.json");
  ASSERT_FALSE(parsed.status.ok());
  EXPECT_NE(parsed.status.error().message.find("not supported"), std::string::npos);
}

TEST(SalesforceConnectedApps, Golden) {
  const auto parsed = parse_with_source("salesforce-connected-apps", kData / "salesforce-connected-apps" / "sf_query.json");
  ASSERT_TRUE(parsed.status.ok());
  testing::expect_golden(normalized_json(parsed), kData / "salesforce-connected-apps" / "sf_query.golden.json");
}

TEST(SalesforceConnectedApps, SettingsBecomeAttributes) {
  const auto parsed = parse_with_source("salesforce-connected-apps", kData / "salesforce-connected-apps" / "sf_query.json");
  EXPECT_TRUE(parsed.errors.empty());
  const core::Identity* zapier = find_identity(parsed.batch, "app:Zapier");
  ASSERT_NE(zapier, nullptr);
  EXPECT_EQ(zapier->attributes["admin_approved_users_only"], false);
  EXPECT_EQ(zapier->attributes["created_by"], "maria.lopez@example.com.prod");
  EXPECT_EQ(zapier->attributes["aliases"], nlohmann::json::array({"0H45f000000AAAAGA4"}));
  EXPECT_EQ(zapier->created, core::parse_time("2024-03-04T10:10:00Z"));
  EXPECT_FALSE(zapier->attributes.contains("refresh_token_validity_period"));
  const core::Identity* cli = find_identity(parsed.batch, "app:Salesforce CLI");
  ASSERT_NE(cli, nullptr);
  EXPECT_EQ(cli->attributes["admin_approved_users_only"], true);
  EXPECT_EQ(cli->attributes["refresh_token_validity_period"], 90);
  EXPECT_EQ(cli->attributes["created_by"], "0055f000000SYSTEM");
}

TEST(SalesforceConnectedApps, CsvQuotedName) {
  const auto parsed = parse_with_source("salesforce-connected-apps", kData / "salesforce-connected-apps" / "apps.csv");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.records, 2);
  const core::Identity* etl = find_identity(parsed.batch, "app:Internal ETL, nightly");
  ASSERT_NE(etl, nullptr);
  EXPECT_EQ(etl->attributes["refresh_token_expires_on_inactivity"], true);
  EXPECT_EQ(etl->attributes["refresh_token_validity_period"], 30);
}

TEST(SalesforceUsers, Golden) {
  const auto parsed = parse_with_source("salesforce-users", kData / "salesforce-users" / "sf_query.json");
  ASSERT_TRUE(parsed.status.ok());
  testing::expect_golden(normalized_json(parsed), kData / "salesforce-users" / "sf_query.golden.json");
}

TEST(SalesforceUsers, PeopleAndIntegrationUsers) {
  const auto parsed = parse_with_source("salesforce-users", kData / "salesforce-users" / "sf_query.json");
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.records, 4);

  const core::Identity* admin = find_identity(parsed.batch, "maria.lopez@example.com.prod");
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(admin->kind, "salesforce_user");
  EXPECT_EQ(admin->classification, core::Classification::human);
  EXPECT_EQ(admin->attributes["email"], "maria.lopez@example.com");
  EXPECT_EQ(admin->attributes["login"], "maria.lopez@example.com.prod");
  EXPECT_EQ(admin->attributes["aliases"], nlohmann::json::array({"0055f00000CyENtAAN"}));
  EXPECT_EQ(admin->attributes["privilege"], "admin");
  EXPECT_EQ(admin->last_used, core::parse_time("2026-12-01T09:00:00Z"));

  const core::Identity* left = find_identity(parsed.batch, "sam.chen@example.com.prod");
  ASSERT_NE(left, nullptr);
  EXPECT_EQ(left->status, "deprovisioned");
  EXPECT_FALSE(left->attributes.contains("privilege"));

  const core::Identity* integration = find_identity(parsed.batch, "mulesoft.integration@example.com.prod");
  ASSERT_NE(integration, nullptr);
  EXPECT_EQ(integration->kind, "salesforce_integration_user");
  EXPECT_EQ(integration->classification, core::Classification::machine);

  const core::Identity* automated = find_identity(parsed.batch, "autoproc@00d5f000005uvo7");
  ASSERT_NE(automated, nullptr);
  EXPECT_EQ(automated->kind, "salesforce_integration_user");
  EXPECT_FALSE(automated->attributes.contains("email"));
  EXPECT_FALSE(automated->last_used.has_value());
}

TEST(SalesforceUsers, CsvInactiveIntegrationUserDisabled) {
  const auto parsed = parse_with_source("salesforce-users", kData / "salesforce-users" / "users.csv");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_TRUE(parsed.errors.empty());
  const core::Identity* etl = find_identity(parsed.batch, "etl.bot@example.com.prod");
  ASSERT_NE(etl, nullptr);
  EXPECT_EQ(etl->kind, "salesforce_integration_user");
  EXPECT_EQ(etl->status, "disabled");
  EXPECT_EQ(etl->attributes["profile"], "Salesforce API Only System Integrations");
}

TEST(SalesforceDetection, SourcesTellQueriesApart) {
  const Source* tokens = find_source("salesforce-oauth-tokens");
  const Source* apps = find_source("salesforce-connected-apps");
  const Source* users = find_source("salesforce-users");
  ASSERT_NE(tokens, nullptr);
  ASSERT_NE(apps, nullptr);
  ASSERT_NE(users, nullptr);
  const std::string token_json = read_text(kData / "salesforce-oauth-tokens" / "sf_query.json");
  EXPECT_EQ(users->detect(token_json, "q.json"), 0);
  EXPECT_EQ(apps->detect(token_json, "q.json"), 0);
  EXPECT_EQ(tokens->detect(read_text(kData / "salesforce-users" / "sf_query.json"), "q.json"), 0);
  EXPECT_EQ(tokens->detect("user,arn,user_creation_time\n", "report.csv"), 0);
  EXPECT_EQ(users->detect("{\"Records\": [{\"eventVersion\": \"1.08\"}]}", "trail.json"), 0);
}

TEST(SalesforceConnectedApp, PublishedAppsAreFirstParty) {
  EXPECT_TRUE(is_salesforce_published_app("Salesforce CLI"));
  EXPECT_TRUE(is_salesforce_published_app("salesforce for ios"));
  EXPECT_FALSE(is_salesforce_published_app("Zapier"));
  EXPECT_EQ(connected_app_id("Zapier"), "app:Zapier");
}

// The Panther samples are Real-Time Event Monitoring and event log records, not SOQL results
// of the objects these sources read: every Salesforce source must decline them, and parsing one
// must not invent inventory.
TEST(SalesforceRealSamples, EventMonitoringRecordsNotRecognized) {
  const auto folder = testing::shared_data() / "salesforce" / "panther";
  if (!std::filesystem::is_directory(folder)) GTEST_SKIP() << "shared real samples not found at " << folder;
  int checked = 0;
  for (const auto& file : std::filesystem::directory_iterator(folder)) {
    const std::string name = file.path().filename().string();
    if (name.find(".expect.json") != std::string::npos || file.path().extension() != ".json") continue;
    const std::string text = read_text(file.path());
    for (const char* source_name : {"salesforce-oauth-tokens", "salesforce-connected-apps", "salesforce-users"}) {
      const Source* source = find_source(source_name);
      ASSERT_NE(source, nullptr);
      EXPECT_EQ(source->detect(text, file.path().string()), 0) << source_name << " claims " << name;
      const auto parsed = parse_with_source(source_name, file.path());
      EXPECT_TRUE(parsed.batch.identities.empty()) << source_name << " read identities from " << name;
      EXPECT_TRUE(parsed.batch.credentials.empty()) << source_name << " read credentials from " << name;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 9);
}

}  // namespace
}  // namespace keyward::sources::salesforce
