#include "sources/workspace/oauth_tokens_source.hpp"

#include <gtest/gtest.h>

#include "sources/testing/source_testing.hpp"

namespace keyward::sources::workspace {
namespace {

using testing::find_identity;
using testing::expect_golden;
using testing::normalized_json;
using testing::parse_with_source;
using testing::source_testdata;

const std::filesystem::path kFixtures = source_testdata("workspace") / "workspace-oauth-tokens";

TEST(WorkspaceOAuthTokens, CsvMatchesGolden) {
  auto parsed = parse_with_source("workspace-oauth-tokens", kFixtures / "tokens.csv");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  expect_golden(normalized_json(parsed), kFixtures / "tokens.csv.golden.json");
}

TEST(WorkspaceOAuthTokens, JsonMatchesGolden) {
  auto parsed = parse_with_source("workspace-oauth-tokens", kFixtures / "tokens_list.json");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  expect_golden(normalized_json(parsed), kFixtures / "tokens_list.json.golden.json");
}

TEST(WorkspaceOAuthTokens, OneAppPerClientId) {
  auto parsed = parse_with_source("workspace-oauth-tokens", kFixtures / "tokens.csv");
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.records, 4);
  ASSERT_EQ(parsed.batch.identities.size(), 3u);
  const core::Identity* zapier = find_identity(parsed.batch, "1234567890-abc.apps.googleusercontent.com");
  ASSERT_NE(zapier, nullptr);
  EXPECT_EQ(zapier->kind, "workspace_oauth_app");
  EXPECT_EQ(zapier->name, "Zapier");
  EXPECT_EQ(zapier->vendor, "Zapier");
  EXPECT_EQ(zapier->attributes["third_party"], true);
  EXPECT_EQ(zapier->attributes["connected_by"], nlohmann::json({"ana.lima@example.com", "ben.okafor@example.com"}));
  EXPECT_EQ(zapier->attributes["scopes"].size(), 4u);
}

TEST(WorkspaceOAuthTokens, GrantsPerUserAndScope) {
  auto parsed = parse_with_source("workspace-oauth-tokens", kFixtures / "tokens.csv");
  int full_mail = 0;
  int admin = 0;
  for (const auto& grant : parsed.batch.grants) {
    EXPECT_EQ(grant.origin, "workspace.tokens:" + grant.granted_by);
    ASSERT_EQ(grant.resources.size(), 1u);
    EXPECT_EQ(grant.resources[0], grant.granted_by);
    if (grant.actions[0] == "https://mail.google.com/") {
      ++full_mail;
      EXPECT_EQ(grant.level, "write");
      EXPECT_EQ(grant.resource_type, "mailbox");
    }
    if (grant.level == "admin") ++admin;
  }
  EXPECT_EQ(parsed.batch.grants.size(), 8u);
  EXPECT_EQ(full_mail, 1);
  EXPECT_EQ(admin, 1);
  // One replacement per (app, user): a later export of one user replaces only that user's grants.
  EXPECT_EQ(parsed.batch.grant_replacements.size(), 4u);
}

TEST(WorkspaceOAuthTokens, JsonUsesUserKeyAndSkipsEmptyPages) {
  auto parsed = parse_with_source("workspace-oauth-tokens", kFixtures / "tokens_list.json");
  EXPECT_TRUE(parsed.errors.empty());
  // Three tokens and the empty page of a user without tokens.
  EXPECT_EQ(parsed.records, 4);
  const core::Identity* helper = find_identity(parsed.batch, "999-unverified.apps.googleusercontent.com");
  ASSERT_NE(helper, nullptr);
  EXPECT_EQ(helper->attributes["connected_by"],
            nlohmann::json({"104857600000000000001", "104857600000000000003"}));
  EXPECT_EQ(helper->attributes["anonymous"], true);
}

TEST(WorkspaceOAuthTokens, BadRowsReported) {
  auto parsed = parse_with_source("workspace-oauth-tokens", source_testdata("workspace") / "bad" / "bad_tokens.csv");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_EQ(parsed.records, 2);
  ASSERT_EQ(parsed.errors.size(), 3u);
  EXPECT_NE(parsed.errors[0].message.find("clientId"), std::string::npos);
  EXPECT_NE(parsed.errors[1].message.find("names no user"), std::string::npos);
  EXPECT_EQ(parsed.errors[1].line, 3);
  EXPECT_TRUE(parsed.batch.identities.empty());
}

TEST(WorkspaceOAuthTokens, RejectsCsvWithoutClientId) {
  const std::string text = "user,name\na@example.com,x\n";
  store::Batch batch;
  testing::RecordingSink sink;
  std::vector<RecordError> errors;
  ParseContext ctx{batch, sink, errors, 0, std::nullopt, 0, {}};
  EXPECT_FALSE(OAuthTokensSource().parse(Input{"t.csv", text}, ctx).ok());
}

TEST(WorkspaceOAuthTokens, DetectsOwnFormatsOnly) {
  OAuthTokensSource source;
  EXPECT_GT(source.detect("user,clientId,displayText,anonymous,nativeApp,scopes,userKey\n", "t.csv"), 50);
  EXPECT_GT(source.detect("{\"kind\":\"admin#directory#tokenList\",\"items\":[]}", "t.json"), 50);
  EXPECT_EQ(source.detect("primaryEmail,id,name.fullName\n", "u.csv"), 0);
  EXPECT_EQ(source.detect("{\"kind\":\"admin#reports#activities\"}", "a.json"), 0);
}

}  // namespace
}  // namespace keyward::sources::workspace
