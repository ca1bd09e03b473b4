#include "enrich/ip_address.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace keyward::enrich {
namespace {

TEST(IpAddress, ParsesDottedQuad) {
  auto address = parse_ip("203.0.113.7");
  ASSERT_TRUE(address.has_value());
  EXPECT_EQ(address->family, IpFamily::v4);
  EXPECT_EQ(address->v4_value(), 0xCB007107u);
  EXPECT_EQ(format_ip(*address), "203.0.113.7");
}

TEST(IpAddress, RejectsNonCanonicalIpv4) {
  for (const char* text : {"211.9.016.253", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.4 ", " 1.2.3.4", "1..2.3",
                           "01.2.3.4", "1.2.3.4/32", "1.2.3.-4", "1.2.3.1000", "", "0x1.2.3.4"}) {
    EXPECT_FALSE(parse_ip(text).has_value()) << text;
  }
}

TEST(IpAddress, RejectsHostnames) {
  for (const char* text : {"iam.amazonaws.com", "AWS Internal", "localhost", "cloudtrail.amazonaws.com"}) {
    EXPECT_FALSE(parse_ip(text).has_value()) << text;
  }
}

TEST(IpAddress, ParsesIpv6Forms) {
  struct Case {
    const char* text;
    const char* canonical;
  };
  for (const Case& c : {Case{"2001:db8::1", "2001:db8::1"}, Case{"::", "::"}, Case{"::1", "::1"},
                        Case{"2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
                        Case{"fe80::1:0:0:0:1", "fe80:0:0:1::1"}, Case{"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
                        Case{"::ffff:192.0.2.1", "::ffff:192.0.2.1"}, Case{"64:ff9b::192.0.2.33", "64:ff9b::c000:221"},
                        Case{"1::", "1::"}}) {
    auto address = parse_ip(c.text);
    ASSERT_TRUE(address.has_value()) << c.text;
    EXPECT_EQ(address->family, IpFamily::v6) << c.text;
    EXPECT_EQ(format_ip(*address), c.canonical) << c.text;
  }
}

TEST(IpAddress, RejectsInvalidIpv6) {
  for (const char* text : {"2001:db8::1::1", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::1", "g::1",
                           "fe80::1%eth0", "[2001:db8::1]", "2001:db8::1/64", ":1::", "1::2:", "::ffff:1.2.3.016",
                           "1.2.3.4::", "1:2:3:4:5:6:7::8"}) {
    EXPECT_FALSE(parse_ip(text).has_value()) << text;
  }
}

TEST(IpAddress, ClassifiesSpecialRanges) {
  struct Case {
    const char* text;
    IpScope scope;
  };
  for (const Case& c : {Case{"8.8.8.8", IpScope::public_unicast}, Case{"10.1.2.3", IpScope::private_network},
                        Case{"172.16.0.1", IpScope::private_network}, Case{"172.32.0.1", IpScope::public_unicast},
                        Case{"192.168.10.1", IpScope::private_network}, Case{"127.0.0.1", IpScope::loopback},
                        Case{"169.254.169.254", IpScope::link_local}, Case{"100.64.0.1", IpScope::shared_cgnat},
                        Case{"100.128.0.1", IpScope::public_unicast}, Case{"192.0.2.10", IpScope::documentation},
                        Case{"198.51.100.1", IpScope::documentation}, Case{"203.0.113.9", IpScope::documentation},
                        Case{"224.0.0.1", IpScope::multicast}, Case{"240.0.0.1", IpScope::reserved},
                        Case{"255.255.255.255", IpScope::reserved}, Case{"0.0.0.0", IpScope::unspecified},
                        Case{"0.1.2.3", IpScope::reserved}, Case{"198.18.0.1", IpScope::reserved},
                        Case{"192.0.0.8", IpScope::reserved}, Case{"::", IpScope::unspecified},
                        Case{"::1", IpScope::loopback}, Case{"fe80::1", IpScope::link_local},
                        Case{"fd00::1", IpScope::private_network}, Case{"ff02::1", IpScope::multicast},
                        Case{"2001:db8::1", IpScope::documentation}, Case{"3fff::1", IpScope::documentation},
                        Case{"2600:1f18::1", IpScope::public_unicast}, Case{"::ffff:10.0.0.1", IpScope::private_network},
                        Case{"::ffff:8.8.8.8", IpScope::public_unicast}, Case{"64:ff9b::8.8.8.8", IpScope::public_unicast},
                        Case{"2001:2::1", IpScope::reserved}, Case{"4000::1", IpScope::reserved}}) {
    auto address = parse_ip(c.text);
    ASSERT_TRUE(address.has_value()) << c.text;
    EXPECT_EQ(classify_ip(*address), c.scope) << c.text << " classified as " << to_string(classify_ip(*address));
  }
}

TEST(IpAddress, MappedAddressExposesIpv4) {
  auto mapped = parse_ip("::ffff:81.2.69.142");
  ASSERT_TRUE(mapped.has_value());
  auto v4 = mapped->mapped_v4();
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(format_ip(*v4), "81.2.69.142");
  EXPECT_FALSE(parse_ip("2001:db8::1")->mapped_v4().has_value());
}

TEST(IpAddress, FormatRoundTripsOnRandomText) {
  // Random strings over the address alphabet: whatever parses must format to text that parses
  // back to the same address, and nothing may crash.
  std::mt19937 random(20240515);
  const std::string alphabet = "0123456789abcdefABCDEF:.:.:";
  int parsed = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string text;
    const int length = static_cast<int>(random() % 24) + 1;
    for (int j = 0; j < length; ++j) text += alphabet[random() % alphabet.size()];
    auto address = parse_ip(text);
    if (!address) continue;
    ++parsed;
    auto again = parse_ip(format_ip(*address));
    ASSERT_TRUE(again.has_value()) << text << " formatted as " << format_ip(*address);
    EXPECT_EQ(*again, *address) << text;
  }
  EXPECT_GT(parsed, 100) << "the generator should produce some valid addresses";
}

}  // namespace
}  // namespace keyward::enrich
