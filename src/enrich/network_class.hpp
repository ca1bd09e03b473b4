#pragma once

// Classifies the network an address belongs to: "tor" for listed Tor exit addresses, else the
// class of its ASN from a curated table (data/cloud-asns.csv: "cloud", "hosting", "vpn",
// "residential", "mobile"). The detection engine later sets "own" or "ci" for the ranges the
// organization declares in keyward.yaml (detect/engine_noise.hpp).

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.hpp"
#include "enrich/ip_address.hpp"

namespace keyward::enrich {

// Counts from loading one file: entries kept and lines skipped as invalid.
struct ListLoadReport {
  long long entries = 0;
  long long bad_lines = 0;
  long long first_bad_line = -1;  // 1-based, -1 when none
};

// Immutable after loading, so concurrent classify() calls are safe.
class NetworkClassifier {
 public:
  // Loads "asn,class,organization" lines ('#' comments and a header line allowed). Classes other
  // than cloud, hosting, vpn, residential and mobile are skipped as invalid.
  core::Result<ListLoadReport> load_asn_classes(const std::string& path);
  core::Result<ListLoadReport> load_asn_classes_text(std::string_view text, const std::string& name);
  // Loads Tor exit addresses: one address per line, or the "ExitAddress <ip> <date>" lines of
  // the Tor Project's exit-addresses file; '#' starts a comment.
  core::Result<ListLoadReport> load_tor_exits(const std::string& path);
  core::Result<ListLoadReport> load_tor_exits_text(std::string_view text, const std::string& name);

  // Returns "tor", "cloud", "hosting", "vpn", "residential", "mobile", or "" when neither list
  // contains the network. NOTE: data/cloud-asns.csv lists only a few large consumer ISPs, so most
  // residential networks stay "" (unclassified).
  std::string_view classify(const IpAddress& address, std::uint32_t asn) const;

  std::size_t asn_count() const { return asn_classes_.size(); }
  std::size_t tor_exit_count() const { return tor_exits_.size(); }

 private:
  std::unordered_map<std::uint32_t, std::string> asn_classes_;
  std::set<IpAddress> tor_exits_;
};

}  // namespace keyward::enrich
