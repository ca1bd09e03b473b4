#pragma once

// Reads one input (a file or stdin) fully into memory, decompressing gzip, and hashes its content.

#include <string>
#include <vector>

#include "core/result.hpp"

namespace keyward::ingest {

// Inputs larger than this after decompression are rejected instead of exhausting memory.
inline constexpr size_t kMaxInputBytes = size_t{2} << 30;  // 2 GiB

struct LoadedInput {
  std::string path;
  // The decompressed bytes, followed by zeroed padding so simdjson can parse in place.
  std::string buffer;
  size_t size = 0;  // content size without padding
  bool was_gzip = false;

  std::string_view data() const { return std::string_view(buffer.data(), size); }
};

// Reads `path` ("-" for stdin). Gzip is detected from the magic bytes, not the file name.
core::Result<LoadedInput> load_input(const std::string& path);

// Decompresses a gzip stream with any number of members. `limit` caps the output size.
core::Result<std::string> gunzip(std::string_view compressed, size_t limit);

// Returns the lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// Expands directories (recursively) into the files they contain, in path order. CloudTrail S3
// objects come last, ordered by the delivery time in their names. Other paths,
// including "-", are returned as given. Hidden files and folders (names starting with '.') are
// skipped. Paths that do not exist are returned too, so the caller reports them.
std::vector<std::string> expand_paths(const std::vector<std::string>& paths);

}  // namespace keyward::ingest
