#pragma once

// RAII wrapper around a libmaxminddb database: open, look up an address, read typed values by
// key path. Lookups are thread-safe once the file is open (libmaxminddb only reads the mapping).

#include <maxminddb.h>

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "enrich/ip_address.hpp"

namespace keyward::enrich {

class MmdbFile {
 public:
  // Opens and memory-maps the file. Fails with io_error when it is missing or not an MMDB.
  static core::Result<std::unique_ptr<MmdbFile>> open(const std::string& path);
  ~MmdbFile();
  MmdbFile(const MmdbFile&) = delete;
  MmdbFile& operator=(const MmdbFile&) = delete;

  const std::string& path() const { return path_; }
  // 4 or 6, from the database metadata.
  int ip_version() const;
  // The metadata's database_type, e.g. "GeoLite2-City" or "city ipv4".
  std::string_view database_type() const;

  // Returns the entry for the address, or nullopt when the database has none. An IPv6 address
  // in an IPv4-only database finds nothing unless it is IPv4-mapped.
  std::optional<MMDB_entry_s> find(const IpAddress& address) const;

  // Reads a typed value along a key path such as {"country", "iso_code"}. Returns nullopt when
  // the path is absent or has another type. Numbers accept double, float and integer types.
  static std::optional<std::string> get_string(MMDB_entry_s entry, std::initializer_list<const char*> path);
  static std::optional<double> get_number(MMDB_entry_s entry, std::initializer_list<const char*> path);

 private:
  MmdbFile() = default;
  std::string path_;
  MMDB_s db_{};
  bool opened_ = false;
};

}  // namespace keyward::enrich
