#pragma once

// What one `keyward scan` produces: the exposures (deduplicated by fingerprint, each with all its
// locations) and an account of what was and was not scanned.

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.hpp"

namespace keyward::secrets {

struct NotScanned {
  std::string path;
  std::string reason;  // what failed and what to do, e.g. "corrupt zip archive: ... ; re-create it"
};

struct ScanResult {
  std::vector<core::Exposure> exposures;  // ordered by first location (path, line)
  std::vector<NotScanned> not_scanned;
  std::uint64_t blobs = 0;          // files, archive entries and git blobs scanned
  std::uint64_t bytes = 0;          // bytes scanned, before decoding
  std::uint64_t binary_blobs = 0;   // of which were binary (scanned as printable runs)
  std::uint64_t suppressed = 0;     // matches dropped by allow comments, the ignore file or the baseline
  std::uint64_t baseline_matches = 0;  // of which were in the baseline
};

}  // namespace keyward::secrets
