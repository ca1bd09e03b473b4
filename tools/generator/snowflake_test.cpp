#include "tools/generator/snowflake.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "sources/testing/source_testing.hpp"

namespace keyward::generator {
namespace {

namespace fs = std::filesystem;

TEST(SnowflakeGenerator, WritesFilesThatParseCleanly) {
  CompanyOptions options;
  options.employees = 80;
  options.days = 10;
  auto company = make_company(options);
  ASSERT_TRUE(company) << company.error().describe();
  const fs::path dir = fs::temp_directory_path() / fmt::format("keyward-snowflake-generator-{}", ::getpid());
  fs::remove_all(dir);
  auto output = generate_snowflake(*company, dir.string());
  ASSERT_TRUE(output) << output.error().describe();
  ASSERT_EQ(output->files.size(), 3u);

  auto users = sources::testing::parse_with_source("snowflake-users", dir / "snowflake/users.csv");
  ASSERT_TRUE(users.status.ok());
  EXPECT_TRUE(users.errors.empty()) << (users.errors.empty() ? "" : users.errors[0].message);
  int services = 0;
  int legacy_without_mfa = 0;
  for (const auto& identity : users.batch.identities) {
    if (identity.kind == "snowflake_service_user") ++services;
    if (identity.attributes.value("type", "") == "LEGACY_SERVICE" && identity.attributes.value("has_password", false) &&
        !identity.attributes.value("has_mfa", true)) {
      ++legacy_without_mfa;
    }
  }
  EXPECT_EQ(services, output->identities);
  EXPECT_EQ(legacy_without_mfa, 3);
  EXPECT_GT(users.batch.identities.size(), static_cast<size_t>(services));

  auto logins = sources::testing::parse_with_source("snowflake-login-history", dir / "snowflake/login_history.csv");
  ASSERT_TRUE(logins.status.ok());
  EXPECT_TRUE(logins.errors.empty()) << (logins.errors.empty() ? "" : logins.errors[0].message);
  EXPECT_GT(logins.sink.events.size(), 50u);
  auto access = sources::testing::parse_with_source("snowflake-access-history", dir / "snowflake/access_history.csv");
  ASSERT_TRUE(access.status.ok());
  EXPECT_TRUE(access.errors.empty()) << (access.errors.empty() ? "" : access.errors[0].message);
  EXPECT_EQ(static_cast<long long>(logins.records + access.records), output->events);

  // Every sign-in names the user as the users source keys it.
  std::set<std::string> names;
  for (const auto& identity : users.batch.identities) names.insert(identity.id);
  for (const auto& event : logins.sink.events) EXPECT_TRUE(names.count(event["identity_id"].get<std::string>()));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace keyward::generator
