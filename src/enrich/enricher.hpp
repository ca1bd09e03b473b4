#pragma once

// Adds network and client context to events: strict IP parsing, country and city (MMDB),
// ASN and organization (CSV ranges or MMDB), network class, and the user-agent family.

#include <memory>
#include <string>

#include "core/event.hpp"
#include "core/result.hpp"

namespace keyward::enrich {

struct EnrichOptions {
  std::string geoip_path;   // MMDB with city/country; empty: search $KEYWARD_DATA and ./data
  std::string asn_path;     // asn-ipv4.csv / asn-ipv6.csv or an ASN MMDB; empty: search
  std::string tor_exit_path;  // optional list of Tor exit addresses, one per line
};

// Thread-compatible: one instance per thread, or external locking.
class Enricher {
 public:
  virtual ~Enricher() = default;
  // Fills event.enrichment. Never fails: unknown facts stay empty.
  virtual void enrich(core::Event& event) = 0;
  // True when geo and ASN data were found; when false, geo and ASN detections are off.
  virtual bool has_geo() const = 0;
  virtual bool has_asn() const = 0;
};

// Builds an enricher from the options. Missing data files are not an error: the enricher then
// fills only what needs no data (IP validity, user-agent family) and the caller says once that
// geo and ASN detections are off.
std::unique_ptr<Enricher> make_enricher(const EnrichOptions& options);

}  // namespace keyward::enrich
