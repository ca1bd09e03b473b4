#pragma once

// Strict IPv4/IPv6 parsing and classification of special-purpose address ranges.
// CloudTrail's sourceIPAddress is not always an address: AWS services appear as hostnames
// ("iam.amazonaws.com"), and anonymized samples carry forms such as "211.9.016.253". Only text
// that is exactly an address in its standard notation parses.

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace keyward::enrich {

enum class IpFamily { v4, v6 };

struct IpAddress {
  IpFamily family = IpFamily::v4;
  // Network byte order. IPv4 uses the first 4 bytes and leaves the rest zero.
  std::array<std::uint8_t, 16> bytes{};

  // The IPv4 address as a host-order integer (IPv4 only).
  std::uint32_t v4_value() const;
  // For an IPv4-mapped IPv6 address (::ffff:a.b.c.d), the embedded IPv4 address.
  std::optional<IpAddress> mapped_v4() const;

  auto operator<=>(const IpAddress&) const = default;
};

// Parses dotted-quad IPv4 (four decimal octets 0-255, no leading zeros, no other characters)
// or IPv6 text (RFC 4291 section 2.2: hex groups of 1-4 digits, one "::", an optional
// trailing dotted quad). Zone ids ("%eth0"), brackets, ports and prefixes are rejected.
std::optional<IpAddress> parse_ip(std::string_view text);

// Formats in the canonical text form (RFC 5952 for IPv6).
std::string format_ip(const IpAddress& address);

// The special-purpose range an address falls in, following the IANA IPv4 and IPv6
// Special-Purpose Address Registries.
enum class IpScope {
  public_unicast,
  private_network,  // 10/8, 172.16/12, 192.168/16, fc00::/7
  loopback,         // 127/8, ::1
  link_local,       // 169.254/16, fe80::/10
  shared_cgnat,     // 100.64/10 (RFC 6598)
  documentation,    // 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20
  multicast,        // 224/4, ff00::/8
  unspecified,      // 0.0.0.0, ::
  reserved,         // everything else that is not routable on the internet
};

std::string_view to_string(IpScope scope);

// Classifies the address. IPv4-mapped and NAT64 (64:ff9b::/96) IPv6 addresses are classified
// by their embedded IPv4 address.
IpScope classify_ip(const IpAddress& address);

inline bool is_public(const IpAddress& address) { return classify_ip(address) == IpScope::public_unicast; }

}  // namespace keyward::enrich
