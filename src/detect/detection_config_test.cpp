#include "detect/detection_config.hpp"

#include <gtest/gtest.h>

#include <string>

namespace keyward::detect {
namespace {

core::Result<DetectOptions> read(const std::string& yaml) {
  auto config = config::parse_config(yaml, "keyward.yaml");
  if (!config.ok()) return config.error();
  return read_detection_config(*config);
}

enrich::IpAddress ip(const char* text) {
  auto address = enrich::parse_ip(text);
  EXPECT_TRUE(address.has_value()) << text;
  return address.value_or(enrich::IpAddress{});
}

TEST(DetectionConfig, DefaultsWithoutSection) {
  auto options = read("posture:\n  thresholds:\n    unused_days: 30\n");
  ASSERT_TRUE(options.ok()) << options.error().describe();
  EXPECT_EQ(options->learning_days, 7);
  EXPECT_EQ(options->dormant_days, 90);
  EXPECT_EQ(options->burst_window_seconds, 600);
  EXPECT_EQ(options->change_window_hours, 24);
  EXPECT_TRUE(options->own_networks.empty());
  EXPECT_TRUE(options->disabled_detectors.empty());
}

TEST(DetectionConfig, ReadsEveryKey) {
  auto options = read(
      "detection:\n"
      "  learning_days: 14\n"
      "  dormant_days: 60\n"
      "  burst_window_seconds: 300\n"
      "  change_window_hours: 48\n"
      "  own_networks:\n"
      "    - cidr: 198.51.100.0/24\n"
      "      label: office egress\n"
      "    - 2001:db8::/32\n"
      "  ci_networks:\n"
      "    - cidr: 20.33.0.0/16\n"
      "      label: hosted runners\n"
      "  detectors:\n"
      "    network.new_asn: off\n"
      "    network.new_country: on\n");
  ASSERT_TRUE(options.ok()) << options.error().describe();
  EXPECT_EQ(options->learning_days, 14);
  EXPECT_EQ(options->dormant_days, 60);
  EXPECT_EQ(options->burst_window_seconds, 300);
  EXPECT_EQ(options->change_window_hours, 48);
  ASSERT_EQ(options->own_networks.size(), 2u);
  EXPECT_EQ(options->own_networks[0].label, "office egress");
  EXPECT_EQ(options->own_networks[1].label, "2001:db8::/32") << "a bare CIDR is its own label";
  ASSERT_EQ(options->ci_networks.size(), 1u);
  EXPECT_EQ(options->ci_networks[0].label, "hosted runners");
  EXPECT_EQ(options->disabled_detectors.count("network.new_asn"), 1u);
  EXPECT_EQ(options->disabled_detectors.count("network.new_country"), 0u);
}

TEST(DetectionConfig, ErrorsNameFileAndLine) {
  struct Case {
    const char* yaml;
    const char* message_part;
    long long line;
  };
  const Case cases[] = {
      {"detection:\n  learning_days: soon\n", "whole number", 2},
      {"detection:\n  dormant_days: 0\n", "from 1 to", 2},
      {"detection:\n  own_networks:\n    - 10.1.2.3/8\n", "invalid CIDR '10.1.2.3/8'", 3},
      {"detection:\n  own_networks:\n    - cidr: 10.0.0.0/33\n", "invalid CIDR", 3},
      {"detection:\n  own_networks: 10.0.0.0/8\n", "not a list", 2},
      {"detection:\n  detectors:\n    network.no_such: off\n", "unknown detector 'network.no_such'", 3},
      {"detection:\n  detectors:\n    network.new_asn: maybe\n", "on or off", 3},
      {"detection:\n  learnig_days: 7\n", "unknown key 'detection.learnig_days'", 2},
      {"detection: 7\n", "not a mapping", 1},
  };
  for (const Case& c : cases) {
    auto options = read(c.yaml);
    ASSERT_FALSE(options.ok()) << c.yaml;
    EXPECT_NE(options.error().message.find(c.message_part), std::string::npos) << options.error().describe();
    EXPECT_EQ(options.error().file, "keyward.yaml") << c.yaml;
    EXPECT_EQ(options.error().line, c.line) << c.yaml;
  }
}

TEST(DeclaredNetwork, MatchesPrefixOnly) {
  auto network = parse_network("198.51.100.0/23", "office");
  ASSERT_TRUE(network.has_value());
  EXPECT_TRUE(network->contains(ip("198.51.100.7")));
  EXPECT_TRUE(network->contains(ip("198.51.101.255")));
  EXPECT_FALSE(network->contains(ip("198.51.102.0")));
  EXPECT_TRUE(network->contains(ip("::ffff:198.51.100.7"))) << "IPv4-mapped form";
  EXPECT_FALSE(network->contains(ip("2001:db8::1"))) << "other family";

  auto single = parse_network("203.0.113.9", "bastion");
  ASSERT_TRUE(single.has_value());
  EXPECT_TRUE(single->contains(ip("203.0.113.9")));
  EXPECT_FALSE(single->contains(ip("203.0.113.10")));

  auto v6 = parse_network("2001:db8:1000::/36", "v6");
  ASSERT_TRUE(v6.has_value());
  EXPECT_TRUE(v6->contains(ip("2001:db8:1fff::1")));
  EXPECT_FALSE(v6->contains(ip("2001:db8:2000::1")));

  EXPECT_FALSE(parse_network("10.0.0.0/", "x").has_value());
  EXPECT_FALSE(parse_network("10.0.0.0/x", "x").has_value());
  EXPECT_FALSE(parse_network("example.com/24", "x").has_value());
}

}  // namespace
}  // namespace keyward::detect
