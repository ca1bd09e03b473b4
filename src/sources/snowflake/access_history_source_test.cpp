#include "sources/snowflake/access_history_source.hpp"

#include <gtest/gtest.h>

#include "sources/testing/source_testing.hpp"

namespace keyward::sources::snowflake {
namespace {

using testing::expect_golden;
using testing::normalized_json;
using testing::parse_with_source;
using testing::source_testdata;

const std::filesystem::path kFixtures = source_testdata("snowflake") / "snowflake-access-history";

TEST(SnowflakeAccessHistory, CsvMatchesGolden) {
  auto parsed = parse_with_source("snowflake-access-history", kFixtures / "access_history.csv");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  expect_golden(normalized_json(parsed), kFixtures / "access_history.csv.golden.json");
}

TEST(SnowflakeAccessHistory, ReadsBaseObjectsAndWrites) {
  auto parsed = parse_with_source("snowflake-access-history", kFixtures / "access_history.csv");
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.sink.events.size(), 3u);
  // The view's base table is what the query reached.
  EXPECT_EQ(parsed.sink.events[0]["event_source"], "RAW");
  EXPECT_EQ(parsed.sink.events[0]["event_name"], "read");
  EXPECT_EQ(parsed.sink.events[1]["event_source"], "ANALYTICS");
  EXPECT_EQ(parsed.sink.events[1]["event_name"], "write");
  EXPECT_EQ(parsed.sink.events[2]["identity_id"], "ANA_LIMA");
  EXPECT_EQ(parsed.records, 2);
}

TEST(SnowflakeAccessHistory, JsonArraysOrText) {
  auto parsed = parse_with_source("snowflake-access-history", kFixtures / "access_history.json");
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.sink.events.size(), 2u);
  EXPECT_EQ(parsed.sink.events[0]["event_name"], "read");
  EXPECT_EQ(parsed.sink.events[1]["event_name"], "write");
  EXPECT_EQ(parsed.sink.events[1]["event_source"], "RAW");
}

TEST(SnowflakeAccessHistory, InvalidObjectListReported) {
  const std::string text =
      "QUERY_ID,QUERY_START_TIME,USER_NAME,DIRECT_OBJECTS_ACCESSED,BASE_OBJECTS_ACCESSED,OBJECTS_MODIFIED\n"
      "q1,2026-11-21 03:10:00.000 +0000,SVC,not json,[],[]\n";
  store::Batch batch;
  testing::RecordingSink sink;
  std::vector<RecordError> errors;
  ParseContext ctx{batch, sink, errors, 0, std::nullopt, 0, {}};
  ASSERT_TRUE(AccessHistorySource().parse(Input{"a.csv", text}, ctx).ok());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("DIRECT_OBJECTS_ACCESSED"), std::string::npos);
}

}  // namespace
}  // namespace keyward::sources::snowflake
