#include "sources/snowflake/users_source.hpp"

#include <gtest/gtest.h>

#include "sources/testing/source_testing.hpp"

namespace keyward::sources::snowflake {
namespace {

using testing::find_identity;
using testing::expect_golden;
using testing::normalized_json;
using testing::parse_with_source;
using testing::source_testdata;

const std::filesystem::path kFixtures = source_testdata("snowflake") / "snowflake-users";

TEST(SnowflakeUsers, ShowUsersCsvMatchesGolden) {
  auto parsed = parse_with_source("snowflake-users", kFixtures / "show_users.csv");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  expect_golden(normalized_json(parsed), kFixtures / "show_users.csv.golden.json");
}

TEST(SnowflakeUsers, ShowUsersJsonMatchesGolden) {
  auto parsed = parse_with_source("snowflake-users", kFixtures / "show_users.json");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  expect_golden(normalized_json(parsed), kFixtures / "show_users.json.golden.json");
}

TEST(SnowflakeUsers, AccountUsageMatchesGolden) {
  auto parsed = parse_with_source("snowflake-users", kFixtures / "account_usage_users.csv");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  expect_golden(normalized_json(parsed), kFixtures / "account_usage_users.csv.golden.json");
}

TEST(SnowflakeUsers, KindsFollowUserType) {
  auto parsed = parse_with_source("snowflake-users", kFixtures / "show_users.csv");
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.batch.identities.size(), 4u);
  const core::Identity* ana = find_identity(parsed.batch, "ANA_LIMA");
  ASSERT_NE(ana, nullptr);
  EXPECT_EQ(ana->kind, "snowflake_user");
  EXPECT_EQ(ana->classification, core::Classification::human);
  EXPECT_EQ(ana->attributes["email"], "ana.lima@example.com");
  EXPECT_EQ(ana->attributes["has_mfa"], true);
  EXPECT_EQ(ana->created, core::parse_time("2023-02-01T17:00:00Z"));

  const core::Identity* dbt = find_identity(parsed.batch, "SVC_DBT");
  ASSERT_NE(dbt, nullptr);
  EXPECT_EQ(dbt->kind, "snowflake_service_user");
  EXPECT_EQ(dbt->classification, core::Classification::machine);

  const core::Identity* legacy = find_identity(parsed.batch, "LEGACY_ETL");
  ASSERT_NE(legacy, nullptr);
  EXPECT_EQ(legacy->kind, "snowflake_service_user");
  EXPECT_EQ(legacy->attributes["privilege"], "admin");
  EXPECT_EQ(legacy->attributes["has_mfa"], false);

  const core::Identity* old_admin = find_identity(parsed.batch, "OLD_ADMIN");
  ASSERT_NE(old_admin, nullptr);
  EXPECT_EQ(old_admin->status, "disabled");
  EXPECT_EQ(old_admin->classification, core::Classification::unknown);
}

TEST(SnowflakeUsers, CredentialsFromFlags) {
  auto parsed = parse_with_source("snowflake-users", kFixtures / "show_users.csv");
  ASSERT_EQ(parsed.batch.credentials.size(), 4u);
  EXPECT_EQ(parsed.batch.credentials[0].id, "ANA_LIMA#password");
  EXPECT_EQ(parsed.batch.credentials[0].kind, "snowflake_password");
  EXPECT_EQ(parsed.batch.credentials[1].id, "SVC_DBT#rsa_key");
  EXPECT_EQ(parsed.batch.credentials[1].kind, "snowflake_rsa_key");
  EXPECT_EQ(parsed.batch.credentials[2].identity_id, "LEGACY_ETL");
  EXPECT_EQ(parsed.batch.credentials[3].status, "inactive");
}

TEST(SnowflakeUsers, SecretsNeverStored) {
  auto parsed = parse_with_source("snowflake-users", kFixtures / "show_users.json");
  const std::string dumped = normalized_json(parsed).dump();
  EXPECT_EQ(dumped.find("canary-password-9f3b"), std::string::npos);
  EXPECT_EQ(dumped.find("CANARY-KEY"), std::string::npos);
  EXPECT_EQ(parsed.batch.credentials.size(), 2u);
}

TEST(SnowflakeUsers, DeletedAndNullFields) {
  auto parsed = parse_with_source("snowflake-users", kFixtures / "account_usage_users.csv");
  EXPECT_TRUE(parsed.errors.empty());
  const core::Identity* temp = find_identity(parsed.batch, "TEMP_CONTRACTOR");
  ASSERT_NE(temp, nullptr);
  EXPECT_EQ(temp->status, "deleted");
  EXPECT_FALSE(temp->last_used.has_value());
  const core::Identity* airflow = find_identity(parsed.batch, "SVC_AIRFLOW");
  ASSERT_NE(airflow, nullptr);
  EXPECT_EQ(airflow->kind, "snowflake_service_user");
  EXPECT_EQ(airflow->last_used, core::parse_time("2026-11-21T00:00:00Z"));
}

TEST(SnowflakeUsers, BadRowsReported) {
  auto parsed = parse_with_source("snowflake-users", source_testdata("snowflake") / "bad" / "bad_users.csv");
  ASSERT_TRUE(parsed.status.ok());
  ASSERT_EQ(parsed.errors.size(), 2u);
  EXPECT_NE(parsed.errors[0].message.find("no name"), std::string::npos);
  EXPECT_EQ(parsed.errors[0].line, 2);
  EXPECT_NE(parsed.errors[1].message.find("created_on"), std::string::npos);
  EXPECT_EQ(parsed.batch.identities.size(), 1u);
}

}  // namespace
}  // namespace keyward::sources::snowflake
