#include "sources/snowflake/rows.hpp"

#include <gtest/gtest.h>

#include "sources/snowflake/role_levels.hpp"

namespace keyward::sources::snowflake {
namespace {

TEST(SnowflakeRows, ParsesExportTimestamps) {
  EXPECT_EQ(parse_snowflake_time("2024-10-08 14:38:46.061000000"), core::parse_time("2024-10-08T14:38:46Z"));
  EXPECT_EQ(parse_snowflake_time("2024-10-08 14:38:46.061 -0700"), core::parse_time("2024-10-08T21:38:46Z"));
  EXPECT_EQ(parse_snowflake_time("2024-10-08 14:38:46.061 +0000"), core::parse_time("2024-10-08T14:38:46Z"));
  EXPECT_EQ(parse_snowflake_time("2024-10-08T14:38:46.061-07:00"), core::parse_time("2024-10-08T21:38:46Z"));
  EXPECT_EQ(parse_snowflake_time("2023-03-03 03:03:03.000 Z"), core::parse_time("2023-03-03T03:03:03Z"));
  EXPECT_EQ(parse_snowflake_time("1728398326.061"), core::parse_time("2024-10-08T14:38:46Z"));
  EXPECT_FALSE(parse_snowflake_time("").has_value());
  EXPECT_FALSE(parse_snowflake_time("yesterday").has_value());
  EXPECT_FALSE(parse_snowflake_time("12abc").has_value());
}

TEST(SnowflakeRows, ColumnNamesOfCsvAndJson) {
  EXPECT_EQ(column_names_of("NAME,Login_Name\nA,B\n"), (std::vector<std::string>{"name", "login_name"}));
  EXPECT_EQ(column_names_of(R"([{"NAME": "A", "x": "y:z"}])"), (std::vector<std::string>{"name", "x"}));
}

TEST(SnowflakeRows, FlagsAcceptSnowflakeBooleans) {
  Row row;
  row.add("A", "true");
  row.add("b", "N");
  row.add("c", "");
  EXPECT_EQ(row.flag("a"), true);
  EXPECT_EQ(row.flag("b"), false);
  EXPECT_FALSE(row.flag("c").has_value());
  EXPECT_FALSE(row.flag("missing").has_value());
}

struct RoleCase {
  const char* role;
  const char* level;
};

TEST(SnowflakeRoleLevels, MapsSystemRoles) {
  const RoleCase cases[] = {
      {"ACCOUNTADMIN", "admin"}, {"accountadmin", "admin"}, {"\"SECURITYADMIN\"", "admin"}, {"SYSADMIN", "admin"},
      {"USERADMIN", "admin"},    {"ORGADMIN", "admin"},     {"PUBLIC", "read"},            {"ANALYST", ""},
      {"", ""},
  };
  for (const RoleCase& role_case : cases) EXPECT_EQ(level_of_role(role_case.role), role_case.level) << role_case.role;
}

}  // namespace
}  // namespace keyward::sources::snowflake
