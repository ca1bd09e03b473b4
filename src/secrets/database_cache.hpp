#pragma once

// A disk cache for compiled Vectorscan databases. Compiling the full rule catalogue takes about a
// second, longer than scanning a small repository, so the serialized database is kept under a
// key derived from the patterns, their flags and the Vectorscan version.

#include <hs/hs.h>

#include <filesystem>
#include <string>
#include <vector>

namespace keyward::secrets {

// Directory of the cache: $KEYWARD_CACHE_DIR when set (set and empty disables the cache), else
// $XDG_CACHE_HOME/keyward, else $HOME/.cache/keyward, else empty, which also disables it.
std::filesystem::path default_cache_directory();

// Hex SHA-256 over the Vectorscan version, the compile mode and every (pattern, flags, id).
std::string database_cache_key(const std::vector<std::string>& patterns, const std::vector<unsigned>& flags,
                               const std::vector<unsigned>& ids, unsigned mode);

// Returns the cached database for `key`, or nullptr when there is none or it is unusable: a
// truncated or altered file, or one compiled for another CPU. The caller then compiles anew.
hs_database_t* load_cached_database(const std::filesystem::path& directory, const std::string& key);

// Writes the database under `key` through a temporary file and a rename, so a concurrent reader
// never sees half a file. Failures are ignored: the cache only saves time.
void store_cached_database(const std::filesystem::path& directory, const std::string& key,
                           const hs_database_t* database);

}  // namespace keyward::secrets
