#include "sources/gcp/service_account_keys_source.hpp"

#include <gtest/gtest.h>

#include "sources/testing/source_testing.hpp"

namespace keyward::sources::gcp {
namespace {

using testing::find_credential;
using testing::parse_with_source;

const std::filesystem::path kTestData = testing::source_testdata("gcp");

TEST(GcpServiceAccountKeys, Golden) {
  auto parsed = parse_with_source("gcp-service-account-keys", kTestData / "gcp-service-account-keys" / "keys.json");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  testing::expect_golden(testing::normalized_json(parsed), kTestData / "gcp-service-account-keys" / "keys.golden.json");
}

TEST(GcpServiceAccountKeys, MapsFields) {
  auto parsed = parse_with_source("gcp-service-account-keys", kTestData / "gcp-service-account-keys" / "keys.json");
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.records, 3);

  const core::Credential* user_key = find_credential(parsed.batch, "3f1c2d9a8b7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a");
  ASSERT_NE(user_key, nullptr);
  EXPECT_EQ(user_key->platform, "gcp");
  EXPECT_EQ(user_key->kind, "gcp_service_account_key");
  EXPECT_EQ(user_key->identity_id, "ci-deployer@example-prod.iam.gserviceaccount.com");
  EXPECT_EQ(user_key->created, core::parse_time("2025-01-10T09:15:00Z"));
  EXPECT_FALSE(user_key->expires.has_value()) << "year 9999 means no expiry";
  EXPECT_EQ(user_key->status, "active");
  EXPECT_EQ(user_key->attributes["key_type"], "USER_MANAGED");
  EXPECT_EQ(user_key->attributes["key_origin"], "GOOGLE_PROVIDED");
  EXPECT_EQ(user_key->attributes["algorithm"], "KEY_ALG_RSA_2048");

  const core::Credential* disabled = find_credential(parsed.batch, "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567");
  ASSERT_NE(disabled, nullptr);
  EXPECT_EQ(disabled->status, "inactive");
  EXPECT_EQ(disabled->expires, core::parse_time("2026-12-01T00:00:00Z"));

  ASSERT_EQ(parsed.batch.observed_identities.size(), 1u);
  EXPECT_EQ(parsed.batch.observed_identities[0].id, "ci-deployer@example-prod.iam.gserviceaccount.com");
}

TEST(GcpServiceAccountKeys, ReadsOneOutputPerLine) {
  auto parsed = parse_with_source("gcp-service-account-keys", kTestData / "gcp-service-account-keys" / "keys_loop.jsonl");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.records, 2);
  EXPECT_NE(find_credential(parsed.batch, "aa11bb22cc33dd44ee55ff6677889900aabbccdd"), nullptr);
  EXPECT_NE(find_credential(parsed.batch, "1234567890abcdef1234567890abcdef12345678"), nullptr);
}

TEST(GcpServiceAccountKeys, BadRecordsAreReported) {
  auto parsed = parse_with_source("gcp-service-account-keys", kTestData / "bad" / "bad_keys.json");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_EQ(parsed.records, 4);
  EXPECT_EQ(parsed.batch.credentials.size(), 1u);
  const core::Credential* nulls = find_credential(parsed.batch, "k2");
  ASSERT_NE(nulls, nullptr);
  EXPECT_FALSE(nulls->created.has_value());
  ASSERT_EQ(parsed.errors.size(), 3u);
  EXPECT_NE(parsed.errors[0].message.find("missing name"), std::string::npos);
  EXPECT_NE(parsed.errors[1].message.find("is not projects/P/serviceAccounts/EMAIL/keys/KEY_ID"), std::string::npos);
  EXPECT_NE(parsed.errors[2].message.find("validAfterTime"), std::string::npos);
}

TEST(GcpServiceAccountKeys, Detects) {
  ServiceAccountKeysSource source;
  EXPECT_GE(source.detect(R"([{"keyType": "USER_MANAGED", "name": "x", "validAfterTime": "2025-01-01T00:00:00Z"}])", "k.json"), 90);
  EXPECT_EQ(source.detect(R"({"protoPayload": {"response": {"name": "x", "keyType": 1, "validAfterTime": "x"}}})", "k.json"), 0);
  EXPECT_EQ(source.detect(R"({"AccessKeyMetadata": []})", "k.json"), 0);
}

}  // namespace
}  // namespace keyward::sources::gcp
