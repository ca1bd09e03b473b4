#include "enrich/asn_table.hpp"

#include <gtest/gtest.h>

#include <string>

#include "enrich/testdata/enrich_fixture.hpp"

namespace keyward::enrich {
namespace {

const std::string kTestdata = std::string(KEYWARD_SOURCE_DIR) + "/src/enrich/testdata/";

IpAddress ip(const char* text) {
  auto address = parse_ip(text);
  EXPECT_TRUE(address.has_value()) << text;
  return address.value_or(IpAddress{});
}

TEST(AsnCsv, SplitsQuotedFields) {
  std::vector<std::string> fields;
  ASSERT_TRUE(split_csv_line(R"(2.26.200.0,2.26.215.255,201907,"LLC ""SPUTNIK""")", fields));
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[3], "LLC \"SPUTNIK\"");
  ASSERT_TRUE(split_csv_line(R"(1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc.")", fields));
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[3], "Cloudflare, Inc.");
  ASSERT_TRUE(split_csv_line("a,,c,", fields));
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[1], "");
  EXPECT_EQ(fields[3], "");
  EXPECT_FALSE(split_csv_line(R"(1,2,3,"open)", fields));
  EXPECT_FALSE(split_csv_line(R"(1,2,3,"closed"tail)", fields));
}

TEST(AsnTable, FindsIpv4AndIpv6Ranges) {
  AsnTable table;
  auto v4 = table.load_csv(kTestdata + "asn-ipv4.csv");
  ASSERT_TRUE(v4.ok()) << v4.error().describe();
  EXPECT_EQ(v4->ranges, 23);
  EXPECT_EQ(v4->bad_lines, 0);
  auto v6 = table.load_csv(kTestdata + "asn-ipv6.csv");
  ASSERT_TRUE(v6.ok()) << v6.error().describe();
  EXPECT_EQ(table.size(), 25u);

  auto digitalocean = table.lookup(ip("159.65.10.20"));
  ASSERT_TRUE(digitalocean.has_value());
  EXPECT_EQ(digitalocean->asn, 14061u);
  EXPECT_EQ(digitalocean->organization, "DigitalOcean, LLC");

  auto quoted = table.lookup(ip("200.160.15.255"));
  ASSERT_TRUE(quoted.has_value());
  EXPECT_EQ(quoted->organization, "Nucleo de Inf. e Coord. do Ponto \"BR\"");

  auto google = table.lookup(ip("2001:4860:4860::8888"));
  ASSERT_TRUE(google.has_value());
  EXPECT_EQ(google->asn, 15169u);

  auto mapped = table.lookup(ip("::ffff:81.2.69.142"));
  ASSERT_TRUE(mapped.has_value());
  EXPECT_EQ(mapped->asn, 20712u);
}

TEST(AsnTable, RangeBoundsAreInclusive) {
  AsnTable table;
  ASSERT_TRUE(table.load_csv(kTestdata + "asn-ipv4.csv").ok());
  EXPECT_EQ(table.lookup(ip("81.2.69.0"))->asn, 20712u);
  EXPECT_EQ(table.lookup(ip("81.2.69.255"))->asn, 20712u);
  EXPECT_FALSE(table.lookup(ip("81.2.70.0")).has_value());
  EXPECT_FALSE(table.lookup(ip("81.2.68.255")).has_value());
  EXPECT_FALSE(table.lookup(ip("1.0.0.1")).has_value()) << "before the first range";
  EXPECT_FALSE(table.lookup(ip("223.255.255.255")).has_value()) << "after the last range";
  EXPECT_FALSE(table.lookup(ip("2001:db8::1")).has_value()) << "no IPv6 ranges loaded";
}

TEST(AsnTable, SkipsBadLinesWithLineNumbers) {
  AsnTable table;
  auto report = table.load_csv(kTestdata + "asn-bad-lines.csv");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->ranges, 1);
  EXPECT_EQ(report->bad_lines, 5) << "the header line is not counted as bad";
  ASSERT_EQ(report->examples.size(), AsnTable::kMaxReportedBadLines);
  EXPECT_EQ(report->examples[0].line, 3);
  EXPECT_NE(report->examples[0].file.find("asn-bad-lines.csv"), std::string::npos);
  EXPECT_EQ(table.lookup(ip("8.8.8.8"))->asn, 15169u);
  EXPECT_FALSE(table.lookup(ip("9.9.9.9")).has_value());
}

TEST(AsnTable, RejectsFileWithoutRanges) {
  AsnTable table;
  auto report = table.load_csv_text("16777216,16777471,13335,Cloudflare\n", "asn-ipv4-num.csv");
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.find("first_ip,last_ip,asn,organization"), std::string::npos);
  auto missing = table.load_csv(kTestdata + "no-such-file.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::io_error);
}

TEST(AsnTable, RejectsOverlongLines) {
  AsnTable table;
  std::string text = "8.8.8.0,8.8.8.255,15169,Google\n1.1.1.0,1.1.1.255,13335," +
                     std::string(AsnTable::kMaxLineLength, 'x') + "\n";
  auto report = table.load_csv_text(text, "long.csv");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->ranges, 1);
  EXPECT_EQ(report->bad_lines, 1);
}

TEST(AsnDatabase, ReadsMaxMindAsnMmdb) {
  const auto& fixture = testing::EnrichFixture::get();
  if (!fixture.skip_reason().empty()) GTEST_SKIP() << fixture.skip_reason();
  ASSERT_TRUE(fixture.error().empty()) << fixture.error();

  AsnDatabase database;
  core::Status status = database.add_mmdb(fixture.directory() + "/GeoLite2-ASN.mmdb");
  ASSERT_TRUE(status.ok()) << status.error().describe();
  auto telstra = database.lookup(ip("1.130.0.1"));
  ASSERT_TRUE(telstra.has_value());
  EXPECT_EQ(telstra->asn, 1221u);
  EXPECT_EQ(telstra->organization, "Telstra Pty Ltd");
  auto merit = database.lookup(ip("2600:6000::1"));
  ASSERT_TRUE(merit.has_value());
  EXPECT_EQ(merit->asn, 237u);
  EXPECT_FALSE(database.lookup(ip("8.8.8.8")).has_value());
}

TEST(AsnDatabase, CombinesCsvAndMmdb) {
  const auto& fixture = testing::EnrichFixture::get();
  if (!fixture.skip_reason().empty()) GTEST_SKIP() << fixture.skip_reason();
  ASSERT_TRUE(fixture.error().empty()) << fixture.error();

  AsnDatabase database;
  ASSERT_TRUE(database.add_mmdb(fixture.directory() + "/GeoLite2-ASN.mmdb").ok());
  ASSERT_TRUE(database.add_csv(kTestdata + "asn-ipv4.csv").ok());
  EXPECT_EQ(database.lookup(ip("73.1.2.3"))->asn, 7922u) << "only the CSV has 73.0.0.0/8";
  EXPECT_EQ(database.lookup(ip("2600:6000::1"))->asn, 237u) << "only the MMDB has 2600:6000::/20";
  EXPECT_FALSE(database.empty());
}

}  // namespace
}  // namespace keyward::enrich
