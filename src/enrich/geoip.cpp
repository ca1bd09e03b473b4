#include "enrich/geoip.hpp"

#include <cmath>

namespace keyward::enrich {

namespace {

// DB-IP Lite: every value sits at the top level of the entry.
bool read_flat_layout(MMDB_entry_s entry, GeoRecord& record) {
  auto country = MmdbFile::get_string(entry, {"country_code"});
  if (!country) return false;
  record.country = *country;
  record.city = MmdbFile::get_string(entry, {"city"}).value_or("");
  record.latitude = MmdbFile::get_number(entry, {"latitude"});
  record.longitude = MmdbFile::get_number(entry, {"longitude"});
  return true;
}

// MaxMind GeoIP2/GeoLite2: maps per topic, localized names under "names".
void read_nested_layout(MMDB_entry_s entry, GeoRecord& record) {
  record.country = MmdbFile::get_string(entry, {"country", "iso_code"}).value_or("");
  record.city = MmdbFile::get_string(entry, {"city", "names", "en"}).value_or("");
  record.latitude = MmdbFile::get_number(entry, {"location", "latitude"});
  record.longitude = MmdbFile::get_number(entry, {"location", "longitude"});
  if (auto radius = MmdbFile::get_number(entry, {"location", "accuracy_radius"})) {
    record.accuracy_radius_km = static_cast<int>(std::lround(*radius));
  }
}

// Databases write "" or "ZZ" for unknown countries; both mean the same as no value.
void normalize_country(std::string& country) {
  if (country.size() != 2 || country == "ZZ") country.clear();
}

}  // namespace

GeoRecord read_geo_entry(MMDB_entry_s entry) {
  GeoRecord record;
  if (!read_flat_layout(entry, record)) read_nested_layout(entry, record);
  normalize_country(record.country);
  return record;
}

core::Status GeoIpDatabase::add_file(const std::string& path) {
  auto file = MmdbFile::open(path);
  if (!file.ok()) return file.error();
  files_.push_back(std::move(file.value()));
  return {};
}

std::vector<std::string> GeoIpDatabase::paths() const {
  std::vector<std::string> result;
  for (const auto& file : files_) result.push_back(file->path());
  return result;
}

std::optional<GeoRecord> GeoIpDatabase::lookup(const IpAddress& address) const {
  for (const auto& file : files_) {
    auto entry = file->find(address);
    if (!entry) continue;
    GeoRecord record = read_geo_entry(*entry);
    if (!record.country.empty() || !record.city.empty()) return record;
  }
  return std::nullopt;
}

}  // namespace keyward::enrich
