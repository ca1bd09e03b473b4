#include "enrich/network_class.hpp"

#include <gtest/gtest.h>

#include <string>

namespace keyward::enrich {
namespace {

const std::string kSourceDir = KEYWARD_SOURCE_DIR;

IpAddress ip(const char* text) {
  auto address = parse_ip(text);
  EXPECT_TRUE(address.has_value()) << text;
  return address.value_or(IpAddress{});
}

TEST(NetworkClass, ShippedTableLoadsCleanly) {
  NetworkClassifier classifier;
  auto report = classifier.load_asn_classes(kSourceDir + "/data/cloud-asns.csv");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->bad_lines, 0) << "first bad line: " << report->first_bad_line;
  EXPECT_GE(report->entries, 40);
  EXPECT_EQ(classifier.classify(ip("52.95.110.1"), 16509), "cloud");
  EXPECT_EQ(classifier.classify(ip("35.190.0.1"), 396982), "cloud");
  EXPECT_EQ(classifier.classify(ip("159.65.10.20"), 14061), "hosting");
  EXPECT_EQ(classifier.classify(ip("193.32.127.1"), 39351), "vpn");
  EXPECT_EQ(classifier.classify(ip("73.1.2.3"), 7922), "residential");
  EXPECT_EQ(classifier.classify(ip("172.56.1.1"), 21928), "mobile");
  EXPECT_EQ(classifier.classify(ip("81.2.69.1"), 20712), "") << "an unlisted ISP stays unclassified";
}

TEST(NetworkClass, SkipsUnknownClassesAndBadNumbers) {
  NetworkClassifier classifier;
  auto report = classifier.load_asn_classes_text(
      "# comment\nasn,class,organization\n64500,hosting,Example\n64501,satellite,Sky ISP\nAS64502,cloud,X\n"
      "64503,vpn,\"Quoted, Inc.\"\n64504,residential,Home ISP\n64505,mobile,Carrier\n",
      "classes.csv");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->entries, 4);
  EXPECT_EQ(report->bad_lines, 2);
  EXPECT_EQ(report->first_bad_line, 4);
  EXPECT_EQ(classifier.classify(ip("8.8.8.8"), 64503), "vpn");
  EXPECT_EQ(classifier.classify(ip("8.8.8.8"), 64501), "") << "satellite is not a class keyward reads";
  EXPECT_EQ(classifier.classify(ip("8.8.8.8"), 64504), "residential");
  EXPECT_EQ(classifier.classify(ip("8.8.8.8"), 64505), "mobile");
}

TEST(NetworkClass, TorExitWinsOverAsnClass) {
  NetworkClassifier classifier;
  ASSERT_TRUE(classifier.load_asn_classes_text("14061,hosting,DigitalOcean\n", "classes.csv").ok());
  auto report = classifier.load_tor_exits(kSourceDir + "/src/enrich/testdata/tor-exits.txt");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->entries, 2) << "a bare address and an ExitAddress line";
  EXPECT_EQ(report->bad_lines, 1);
  EXPECT_EQ(classifier.classify(ip("159.65.10.20"), 14061), "tor");
  EXPECT_EQ(classifier.classify(ip("159.65.10.21"), 14061), "hosting");
  EXPECT_EQ(classifier.classify(ip("81.2.69.77"), 0), "tor");
  EXPECT_EQ(classifier.classify(ip("::ffff:81.2.69.77"), 0), "tor") << "IPv4-mapped form of a listed exit";
}

TEST(NetworkClass, EmptyListIsAnError) {
  NetworkClassifier classifier;
  auto classes = classifier.load_asn_classes_text("# nothing\n", "empty.csv");
  ASSERT_FALSE(classes.ok());
  EXPECT_EQ(classes.error().file, "empty.csv");
  auto exits = classifier.load_tor_exits_text("not-an-ip\n", "exits.txt");
  ASSERT_FALSE(exits.ok());
  EXPECT_NE(exits.error().message.find("one IP address per line"), std::string::npos);
}

}  // namespace
}  // namespace keyward::enrich
