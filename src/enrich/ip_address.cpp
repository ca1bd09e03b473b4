#include "enrich/ip_address.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <vector>

namespace keyward::enrich {

namespace {

constexpr std::size_t kMaxIpTextLength = 45;  // longest IPv6 form with an embedded IPv4 address

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses exactly four decimal octets into out[0..3].
bool parse_dotted_quad(std::string_view text, std::uint8_t* out) {
  int octet_index = 0;
  std::size_t pos = 0;
  while (octet_index < 4) {
    std::size_t start = pos;
    int value = 0;
    while (pos < text.size() && is_digit(text[pos]) && pos - start < 3) {
      value = value * 10 + (text[pos] - '0');
      ++pos;
    }
    std::size_t digits = pos - start;
    if (digits == 0 || value > 255) return false;
    if (digits > 1 && text[start] == '0') return false;  // "016" is octal to some parsers
    out[octet_index++] = static_cast<std::uint8_t>(value);
    if (octet_index < 4) {
      if (pos >= text.size() || text[pos] != '.') return false;
      ++pos;
    }
  }
  return pos == text.size();
}

// Splits one side of a "::" into 16-bit groups. A dotted quad is allowed as the last element
// when `allow_v4_tail` is set and counts as two groups.
bool parse_groups(std::string_view text, bool allow_v4_tail, std::vector<std::uint16_t>& groups) {
  if (text.empty()) return true;
  std::size_t pos = 0;
  while (true) {
    std::size_t end = text.find(':', pos);
    std::string_view group = text.substr(pos, end == std::string_view::npos ? text.npos : end - pos);
    bool last = end == std::string_view::npos;
    if (last && allow_v4_tail && group.find('.') != std::string_view::npos) {
      std::uint8_t quad[4];
      if (!parse_dotted_quad(group, quad)) return false;
      groups.push_back(static_cast<std::uint16_t>(quad[0] << 8 | quad[1]));
      groups.push_back(static_cast<std::uint16_t>(quad[2] << 8 | quad[3]));
      return true;
    }
    if (group.empty() || group.size() > 4) return false;
    unsigned value = 0;
    for (char c : group) {
      int digit = hex_value(c);
      if (digit < 0) return false;
      value = value << 4 | static_cast<unsigned>(digit);
    }
    groups.push_back(static_cast<std::uint16_t>(value));
    if (last) return true;
    pos = end + 1;
  }
}

std::optional<IpAddress> parse_v6(std::string_view text) {
  std::vector<std::uint16_t> head;
  std::vector<std::uint16_t> tail;
  std::size_t gap = text.find("::");
  bool compressed = gap != std::string_view::npos;
  if (compressed) {
    if (text.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
    if (!parse_groups(text.substr(0, gap), false, head)) return std::nullopt;
    if (!parse_groups(text.substr(gap + 2), true, tail)) return std::nullopt;
    if (head.size() + tail.size() > 7) return std::nullopt;
  } else {
    if (!parse_groups(text, true, head)) return std::nullopt;
    if (head.size() != 8) return std::nullopt;
  }

  IpAddress address;
  address.family = IpFamily::v6;
  auto put = [&address](std::size_t index, std::uint16_t value) {
    address.bytes[index * 2] = static_cast<std::uint8_t>(value >> 8);
    address.bytes[index * 2 + 1] = static_cast<std::uint8_t>(value & 0xff);
  };
  for (std::size_t i = 0; i < head.size(); ++i) put(i, head[i]);
  for (std::size_t i = 0; i < tail.size(); ++i) put(8 - tail.size() + i, tail[i]);
  return address;
}

// True when the first `bits` bits of `address` equal those of `prefix` (same family).
bool in_prefix(const IpAddress& address, std::initializer_list<std::uint8_t> prefix, int bits) {
  std::size_t index = 0;
  for (std::uint8_t byte : prefix) {
    if (bits <= 0) break;
    std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((address.bytes[index] & mask) != (byte & mask)) return false;
    bits -= 8;
    ++index;
  }
  return true;
}

IpScope classify_v4(const IpAddress& a) {
  std::uint32_t value = a.v4_value();
  if (value == 0) return IpScope::unspecified;
  if (in_prefix(a, {0}, 8)) return IpScope::reserved;
  if (in_prefix(a, {10}, 8)) return IpScope::private_network;
  if (in_prefix(a, {100, 64}, 10)) return IpScope::shared_cgnat;
  if (in_prefix(a, {127}, 8)) return IpScope::loopback;
  if (in_prefix(a, {169, 254}, 16)) return IpScope::link_local;
  if (in_prefix(a, {172, 16}, 12)) return IpScope::private_network;
  if (in_prefix(a, {192, 0, 0}, 24)) return IpScope::reserved;  // IETF protocol assignments
  if (in_prefix(a, {192, 0, 2}, 24)) return IpScope::documentation;
  if (in_prefix(a, {192, 88, 99}, 24)) return IpScope::reserved;  // deprecated 6to4 relay anycast
  if (in_prefix(a, {192, 168}, 16)) return IpScope::private_network;
  if (in_prefix(a, {198, 18}, 15)) return IpScope::reserved;  // benchmarking (RFC 2544)
  if (in_prefix(a, {198, 51, 100}, 24)) return IpScope::documentation;
  if (in_prefix(a, {203, 0, 113}, 24)) return IpScope::documentation;
  if (in_prefix(a, {224}, 4)) return IpScope::multicast;
  if (in_prefix(a, {240}, 4)) return IpScope::reserved;  // includes 255.255.255.255
  return IpScope::public_unicast;
}

IpAddress embedded_v4(const IpAddress& a) {
  IpAddress v4;
  for (int i = 0; i < 4; ++i) v4.bytes[i] = a.bytes[12 + i];
  return v4;
}

IpScope classify_v6(const IpAddress& a) {
  static const IpAddress kZero{IpFamily::v6, {}};
  if (a == kZero) return IpScope::unspecified;
  IpAddress loopback = kZero;
  loopback.bytes[15] = 1;
  if (a == loopback) return IpScope::loopback;
  if (a.mapped_v4()) return classify_v4(embedded_v4(a));
  if (in_prefix(a, {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0}, 96)) return classify_v4(embedded_v4(a));
  if (!in_prefix(a, {0x20}, 3)) {
    if (in_prefix(a, {0xfc}, 7)) return IpScope::private_network;
    if (in_prefix(a, {0xfe, 0x80}, 10)) return IpScope::link_local;
    if (in_prefix(a, {0xff}, 8)) return IpScope::multicast;
    return IpScope::reserved;  // unallocated space, discard-only, site-local, SRv6 SIDs
  }
  if (in_prefix(a, {0x20, 0x01, 0x0d, 0xb8}, 32)) return IpScope::documentation;
  if (in_prefix(a, {0x3f, 0xff}, 20)) return IpScope::documentation;  // RFC 9637
  if (in_prefix(a, {0x20, 0x01, 0x00}, 23)) {
    // IETF protocol assignments: only AMT and AS112 blocks are routable.
    if (in_prefix(a, {0x20, 0x01, 0x00, 0x03}, 32)) return IpScope::public_unicast;
    if (in_prefix(a, {0x20, 0x01, 0x00, 0x04, 0x01, 0x12}, 48)) return IpScope::public_unicast;
    return IpScope::reserved;
  }
  return IpScope::public_unicast;
}

}  // namespace

std::uint32_t IpAddress::v4_value() const {
  return static_cast<std::uint32_t>(bytes[0]) << 24 | static_cast<std::uint32_t>(bytes[1]) << 16 |
         static_cast<std::uint32_t>(bytes[2]) << 8 | bytes[3];
}

std::optional<IpAddress> IpAddress::mapped_v4() const {
  if (family != IpFamily::v6) return std::nullopt;
  for (int i = 0; i < 10; ++i) {
    if (bytes[i] != 0) return std::nullopt;
  }
  if (bytes[10] != 0xff || bytes[11] != 0xff) return std::nullopt;
  return embedded_v4(*this);
}

std::optional<IpAddress> parse_ip(std::string_view text) {
  if (text.empty() || text.size() > kMaxIpTextLength) return std::nullopt;
  if (text.find(':') != std::string_view::npos) return parse_v6(text);
  IpAddress address;
  if (!parse_dotted_quad(text, address.bytes.data())) return std::nullopt;
  return address;
}

std::string format_ip(const IpAddress& address) {
  if (address.family == IpFamily::v4) {
    return fmt::format("{}.{}.{}.{}", address.bytes[0], address.bytes[1], address.bytes[2], address.bytes[3]);
  }
  if (auto v4 = address.mapped_v4()) return "::ffff:" + format_ip(*v4);

  std::uint16_t groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = static_cast<std::uint16_t>(address.bytes[i * 2] << 8 | address.bytes[i * 2 + 1]);
  // RFC 5952 section 4.2: compress the longest run of two or more zero groups, the first on a tie.
  int best_start = -1, best_length = 1;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int start = i;
    while (i < 8 && groups[i] == 0) ++i;
    if (i - start > best_length) {
      best_start = start;
      best_length = i - start;
    }
  }
  std::string text;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      text += "::";
      i += best_length - 1;
      continue;
    }
    if (!text.empty() && text.back() != ':') text += ':';
    text += fmt::format("{:x}", groups[i]);
  }
  return text;
}

std::string_view to_string(IpScope scope) {
  switch (scope) {
    case IpScope::public_unicast: return "public";
    case IpScope::private_network: return "private";
    case IpScope::loopback: return "loopback";
    case IpScope::link_local: return "link-local";
    case IpScope::shared_cgnat: return "shared (CGNAT)";
    case IpScope::documentation: return "documentation";
    case IpScope::multicast: return "multicast";
    case IpScope::unspecified: return "unspecified";
    case IpScope::reserved: return "reserved";
  }
  return "reserved";
}

IpScope classify_ip(const IpAddress& address) {
  return address.family == IpFamily::v4 ? classify_v4(address) : classify_v6(address);
}

}  // namespace keyward::enrich
