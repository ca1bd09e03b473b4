#include "core/time.hpp"

#include <gtest/gtest.h>

namespace keyward::core {
namespace {

TEST(ParseTime, AcceptsIso8601Forms) {
  const UnixTime expected = 1722376393;  // 2024-07-30T21:53:13Z
  EXPECT_EQ(parse_time("2024-07-30T21:53:13Z"), expected);
  EXPECT_EQ(parse_time("2024-07-30T21:53:13+00:00"), expected);
  EXPECT_EQ(parse_time("2024-07-30T21:53:13.123456Z"), expected);
  EXPECT_EQ(parse_time("2024-07-30 21:53:13Z"), expected);
  EXPECT_EQ(parse_time("2024-07-30T23:53:13+02:00"), expected);
  EXPECT_EQ(parse_time("2024-07-30T16:53:13-0500"), expected);
  EXPECT_EQ(parse_time("2024-07-30T21:53:13"), expected);
  EXPECT_EQ(parse_time("2024-07-30"), expected - (21 * 3600 + 53 * 60 + 13));
}

TEST(ParseTime, RejectsInvalidValues) {
  for (const char* text : {"", "N/A", "no_information", "2024-13-01", "2023-02-29", "2024-07-30T24:00:00Z",
                           "2024-07-30T21:53:13Zjunk", "2024-07-30T21:53:13.Z", "24-07-30", "2024-07-30T21:53:13+25:00"}) {
    EXPECT_FALSE(parse_time(text).has_value()) << text;
  }
}

TEST(FormatTime, RoundTripsThroughParse) {
  for (UnixTime time : {UnixTime{0}, UnixTime{951782400}, UnixTime{1722376393}, UnixTime{4102444799}, UnixTime{-86400}}) {
    auto parsed = parse_time(format_time(time));
    ASSERT_TRUE(parsed.has_value()) << format_time(time);
    EXPECT_EQ(*parsed, time);
  }
  EXPECT_EQ(format_time(1722376393), "2024-07-30T21:53:13Z");
  EXPECT_EQ(format_date(951782400), "2000-02-29");
}

TEST(DayStart, RoundsDownToUtcMidnight) {
  EXPECT_EQ(day_start(1722376393), 1722297600);
  EXPECT_EQ(day_start(-1), -86400);
}

}  // namespace
}  // namespace keyward::core
