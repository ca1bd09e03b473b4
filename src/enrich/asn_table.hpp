#pragma once

// Autonomous system number and organization for an address, from either:
// - the CSV range files of npm's @ip-location-db/asn (asn-ipv4.csv, asn-ipv6.csv), one line per
//   range: first_ip,last_ip,asn,organization (the organization quoted when it contains a comma);
// - a MaxMind GeoLite2/GeoIP2 ASN MMDB (keys autonomous_system_number and
//   autonomous_system_organization).

#include <compare>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "enrich/ip_address.hpp"
#include "enrich/mmdb_file.hpp"

namespace keyward::enrich {

struct AsnRecord {
  std::uint32_t asn = 0;
  std::string organization;
};

// Summary of one CSV load. Bad lines are skipped, and the first few are kept as examples.
struct AsnLoadReport {
  long long ranges = 0;
  long long bad_lines = 0;
  std::vector<core::Error> examples;  // at most kMaxReportedBadLines, with file and line
};

// Sorted, non-overlapping address ranges, looked up by binary search. Immutable after loading,
// so concurrent lookups are safe.
class AsnTable {
 public:
  static constexpr std::size_t kMaxLineLength = 4096;
  static constexpr std::size_t kMaxReportedBadLines = 5;

  // Adds the ranges of one CSV file (IPv4, IPv6 or both). Fails when the file cannot be read or
  // contains no valid range at all.
  core::Result<AsnLoadReport> load_csv(const std::string& path);
  // Same, from text already in memory; `name` is used in error messages.
  core::Result<AsnLoadReport> load_csv_text(std::string_view text, const std::string& name);

  std::optional<AsnRecord> lookup(const IpAddress& address) const;
  std::size_t size() const { return v4_.size() + v6_.size(); }

 private:
  struct Key128 {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    auto operator<=>(const Key128&) const = default;
  };
  template <class Key>
  struct Range {
    Key first;
    Key last;
    std::uint32_t asn;
    std::uint32_t organization;  // index into organizations_
  };

  bool add_line(std::string_view line, std::string& problem);
  std::uint32_t intern_organization(std::string_view organization);
  static Key128 key128(const IpAddress& address);
  template <class Key>
  std::optional<AsnRecord> find(const std::vector<Range<Key>>& ranges, Key key) const;

  std::vector<Range<std::uint32_t>> v4_;
  std::vector<Range<Key128>> v6_;
  // Lets the organization index be searched with a string_view.
  struct OrganizationHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  std::vector<std::string> organizations_;
  std::unordered_map<std::string, std::uint32_t, OrganizationHash, std::equal_to<>> organization_index_;
  std::vector<std::string> scratch_fields_;  // reused by add_line
};

// The ASN sources in use: CSV tables and ASN MMDB files, asked in that order.
class AsnDatabase {
 public:
  core::Result<AsnLoadReport> add_csv(const std::string& path) { return table_.load_csv(path); }
  core::Status add_mmdb(const std::string& path);
  bool empty() const { return table_.size() == 0 && mmdbs_.empty(); }

  std::optional<AsnRecord> lookup(const IpAddress& address) const;

 private:
  AsnTable table_;
  std::vector<std::unique_ptr<MmdbFile>> mmdbs_;
};

// Splits one CSV line into fields (RFC 4180 quoting: "..." with "" for a quote). Returns false
// on an unterminated quote or text after a closing quote. Exposed for tests.
bool split_csv_line(std::string_view line, std::vector<std::string>& fields);

}  // namespace keyward::enrich
