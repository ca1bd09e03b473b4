#pragma once

// A disk cache for compiled Vectorscan databases. Compiling the full rule catalogue takes about a
// second, longer than scanning a small repository, so the serialized database is kept under a
// key derived from the patterns and the Vectorscan version. A database is stored only after both
// engines accepted every pattern, so a cache hit also stands for that check.

#include <hs/hs.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace keyward::secrets {

// Directory of the cache: $KEYWARD_CACHE_DIR when set (set and empty disables the cache), else
// $XDG_CACHE_HOME/keyward, else $HOME/.cache/keyward, else empty, which also disables it.
std::filesystem::path default_cache_directory();

// Hex SHA-256 over the Vectorscan version, the compile mode and every (pattern, id).
std::string database_cache_key(const std::vector<std::string>& patterns, const std::vector<unsigned>& ids,
                               unsigned mode);

// A database loaded from the cache with the Vectorscan flags each pattern was compiled with.
struct CachedDatabase {
  hs_database_t* database = nullptr;  // owned by the caller
  std::vector<unsigned> flags;
};

// Returns the cached database for `key` when it contains `pattern_count` patterns, or nullopt when
// there is none or it is unusable: a truncated or altered file, or one compiled for another CPU.
// The caller then compiles anew.
std::optional<CachedDatabase> load_cached_database(const std::filesystem::path& directory, const std::string& key,
                                                   std::size_t pattern_count);

// Writes the database and its flags under `key` through a temporary file and a rename, so a
// concurrent reader never sees half a file. Failures are ignored: the cache only saves time.
void store_cached_database(const std::filesystem::path& directory, const std::string& key,
                           const hs_database_t* database, const std::vector<unsigned>& flags);

}  // namespace keyward::secrets
