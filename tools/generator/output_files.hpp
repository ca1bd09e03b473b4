#pragma once

// Writing the generated files: plain files and the CloudTrail S3 delivery layout.

#include <string>
#include <vector>

#include "core/result.hpp"
#include "tools/generator/account_model.hpp"
#include "tools/generator/random.hpp"
#include "tools/generator/trail.hpp"

namespace keyward::generator {

// Writes `content` to `root`/`relative`, creating parent folders.
core::Status write_file(const std::string& root, const std::string& relative, std::string_view content);

// Gzip-compresses `data` with libdeflate; gzip headers carry no timestamp, so output is reproducible.
core::Result<std::string> gzip_compress(std::string_view data);

// Sorts the records and writes one file per region and hour under cloudtrail/AWSLogs/ACCOUNT/
// CloudTrail/REGION/YYYY/MM/DD/, named ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_RANDOM.json.gz.
// Appends the written paths, relative to `root`, to `files`.
core::Status write_cloudtrail(const std::string& root, const Account& account, std::vector<TrailRecord>& records,
                              Rng& rng, std::vector<std::string>& files);

}  // namespace keyward::generator
