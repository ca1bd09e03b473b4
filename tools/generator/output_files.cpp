#include "tools/generator/output_files.hpp"

#include <fmt/format.h>
#include <libdeflate.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

namespace keyward::generator {
namespace {

constexpr int kCompressionLevel = 6;

struct CompressorDeleter {
  void operator()(libdeflate_compressor* compressor) const { libdeflate_free_compressor(compressor); }
};

// "cloudtrail/AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_RANDOM.json.gz"
std::string delivery_path(const Account& account, std::string_view region, core::UnixTime delivered, Rng& rng) {
  const std::string date = core::format_date(delivered);
  const std::string time = core::format_time(delivered);
  const std::string stamp = fmt::format("{}{}{}T{}{}Z", date.substr(0, 4), date.substr(5, 2), date.substr(8, 2),
                                        time.substr(11, 2), time.substr(14, 2));
  return fmt::format("cloudtrail/AWSLogs/{0}/CloudTrail/{1}/{2}/{3}/{4}/{0}_CloudTrail_{1}_{5}_{6}.json.gz", account.id,
                     region, date.substr(0, 4), date.substr(5, 2), date.substr(8, 2), stamp, rng.text(16, kAlphanumeric));
}

}  // namespace

core::Status write_file(const std::string& root, const std::string& relative, std::string_view content) {
  namespace fs = std::filesystem;
  const fs::path path = fs::path(root) / relative;
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  if (error) {
    return core::make_error(core::ErrorCode::io_error,
                            fmt::format("cannot create folder {}: {}", path.parent_path().string(), error.message()));
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return core::make_error(core::ErrorCode::io_error, fmt::format("cannot write {}", path.string()));
  return {};
}

core::Result<std::string> gzip_compress(std::string_view data) {
  std::unique_ptr<libdeflate_compressor, CompressorDeleter> compressor(libdeflate_alloc_compressor(kCompressionLevel));
  if (!compressor) return core::make_error(core::ErrorCode::io_error, "cannot allocate a gzip compressor");
  std::string out(libdeflate_gzip_compress_bound(compressor.get(), data.size()), '\0');
  const size_t size = libdeflate_gzip_compress(compressor.get(), data.data(), data.size(), out.data(), out.size());
  if (size == 0) return core::make_error(core::ErrorCode::io_error, "gzip compression failed");
  out.resize(size);
  return out;
}

core::Status write_cloudtrail(const std::string& root, const Account& account, std::vector<TrailRecord>& records,
                              Rng& rng, std::vector<std::string>& files) {
  std::sort(records.begin(), records.end(), [](const TrailRecord& a, const TrailRecord& b) {
    if (a.region != b.region) return a.region < b.region;
    if (a.time != b.time) return a.time < b.time;
    return a.sequence < b.sequence;
  });
  size_t begin = 0;
  while (begin < records.size()) {
    const core::UnixTime hour = records[begin].time / 3600;
    size_t end = begin;
    std::string body = "{\"Records\":[";
    while (end < records.size() && records[end].region == records[begin].region && records[end].time / 3600 == hour) {
      if (end > begin) body += ',';
      body += records[end].json;
      ++end;
    }
    body += "]}";
    auto compressed = gzip_compress(body);
    if (!compressed) return compressed.error();
    // CloudTrail delivers about every five minutes; one file per hour, stamped late in the hour,
    // keeps the file count small.
    const std::string path = delivery_path(account, records[begin].region, hour * 3600 + 55 * 60, rng);
    if (auto written = write_file(root, path, *compressed); !written) return written;
    files.push_back(path);
    begin = end;
  }
  return {};
}

}  // namespace keyward::generator
