#include "sources/snowflake/login_history_source.hpp"

#include <gtest/gtest.h>

#include "sources/testing/source_testing.hpp"

namespace keyward::sources::snowflake {
namespace {

using testing::expect_golden;
using testing::normalized_json;
using testing::parse_with_source;
using testing::shared_data;
using testing::source_testdata;

const std::filesystem::path kFixtures = source_testdata("snowflake") / "snowflake-login-history";

TEST(SnowflakeLoginHistory, CsvMatchesGolden) {
  auto parsed = parse_with_source("snowflake-login-history", kFixtures / "login_history.csv");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  expect_golden(normalized_json(parsed), kFixtures / "login_history.csv.golden.json");
}

TEST(SnowflakeLoginHistory, JsonMatchesGolden) {
  auto parsed = parse_with_source("snowflake-login-history", kFixtures / "login_history.json");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  expect_golden(normalized_json(parsed), kFixtures / "login_history.json.golden.json");
}

TEST(SnowflakeLoginHistory, CredentialAndErrorCode) {
  auto parsed = parse_with_source("snowflake-login-history", kFixtures / "login_history.csv");
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.sink.events.size(), 4u);
  EXPECT_EQ(parsed.sink.events[0]["credential_id"], "ANA_LIMA#password");
  EXPECT_EQ(parsed.sink.events[0]["error_code"], "");
  EXPECT_EQ(parsed.sink.events[0]["time"], "2026-11-20T16:00:00Z");
  EXPECT_EQ(parsed.sink.events[1]["credential_id"], "SVC_DBT#rsa_key");
  EXPECT_EQ(parsed.sink.events[1]["user_agent"], "PYTHON_DRIVER/3.12.1");
  EXPECT_EQ(parsed.sink.events[2]["error_code"], "390100");
  // An OAuth sign-in presents no credential that the users source stores.
  EXPECT_EQ(parsed.sink.events[3]["credential_id"], "");
  EXPECT_EQ(parsed.batch.observed_identities.size(), 4u);
}

TEST(SnowflakeLoginHistory, BadRowsReported) {
  auto parsed = parse_with_source("snowflake-login-history", source_testdata("snowflake") / "bad" / "bad_login_history.csv");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_TRUE(parsed.sink.events.empty());
  ASSERT_EQ(parsed.errors.size(), 3u);
  EXPECT_NE(parsed.errors[0].message.find("EVENT_TIMESTAMP 'yesterday'"), std::string::npos);
  EXPECT_NE(parsed.errors[1].message.find("USER_NAME"), std::string::npos);
}

// Panther's LOGIN_HISTORY samples: upper-case columns plus p_* fields, numeric ERROR_CODE.
TEST(SnowflakeLoginHistory, PantherSamples) {
  const auto folder = shared_data() / "snowflake" / "panther";
  if (!std::filesystem::is_directory(folder)) GTEST_SKIP() << "real samples not found at " << folder << "; set KEYWARD_SHARED_DATA";
  int files = 0;
  int failures = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".expect.") != std::string::npos || entry.path().extension() != ".json") continue;
    ++files;
    auto parsed = parse_with_source("snowflake-login-history", entry.path());
    ASSERT_TRUE(parsed.status.ok()) << name;
    EXPECT_TRUE(parsed.errors.empty()) << name;
    ASSERT_EQ(parsed.sink.events.size(), 1u) << name;
    const auto& event = parsed.sink.events[0];
    EXPECT_EQ(event["platform"], "snowflake");
    EXPECT_EQ(event["event_name"], "LOGIN");
    EXPECT_FALSE(event["identity_id"].get<std::string>().empty()) << name;
    if (event["error_code"] != "") ++failures;
    if (name == "snowflake_stream_brute_force_by_ip__02.json") {
      EXPECT_EQ(event["error_code"], "394304");
      EXPECT_EQ(event["time"], "2024-10-08T14:38:46Z");
      EXPECT_EQ(event["credential_id"], "luthor@lexcorp.com#password");
    }
  }
  EXPECT_EQ(files, 8);
  EXPECT_EQ(failures, 4);
}

}  // namespace
}  // namespace keyward::sources::snowflake
