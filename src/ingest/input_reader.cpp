#include "ingest/input_reader.hpp"

#include <fmt/format.h>
#include <libdeflate.h>
#include <openssl/evp.h>
#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

namespace keyward::ingest {
namespace {

using core::ErrorCode;

core::Error input_error(ErrorCode code, const std::string& path, std::string message) {
  core::Error error = core::make_error(code, std::move(message));
  error.file = path;
  return error;
}

bool is_gzip(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f && static_cast<unsigned char>(data[1]) == 0x8b;
}

// Returns the delivery time in a CloudTrail S3 object name
// (ACCOUNT_CloudTrail_REGION_20240730T2155Z_RANDOM.json.gz) as "20240730T2155Z", or "".
std::string cloudtrail_delivery_time(const std::string& name) {
  const size_t marker = name.find("_CloudTrail_");
  if (marker == std::string::npos) return {};
  const size_t region_end = name.find('_', marker + 12);
  if (region_end == std::string::npos || region_end + 15 > name.size()) return {};
  std::string time = name.substr(region_end + 1, 14);
  return time.size() == 14 && time[8] == 'T' && time[13] == 'Z' ? time : std::string();
}

}  // namespace

core::Result<std::string> gunzip(std::string_view compressed, size_t limit) {
  std::unique_ptr<libdeflate_decompressor, decltype(&libdeflate_free_decompressor)> decompressor(
      libdeflate_alloc_decompressor(), &libdeflate_free_decompressor);
  if (!decompressor) return core::make_error(ErrorCode::io_error, "allocating a gzip decompressor failed");

  std::string output;
  size_t in_offset = 0;
  // A gzip file may hold several members back to back (concatenated .gz files); each is
  // decompressed into the same output.
  while (in_offset < compressed.size()) {
    std::string_view member = compressed.substr(in_offset);
    if (!is_gzip(member)) {
      // Trailing zero padding after the last member is common (tape and block devices); anything
      // else is reported.
      if (std::all_of(member.begin(), member.end(), [](char c) { return c == 0; })) break;
      return core::make_error(ErrorCode::invalid_input,
                              fmt::format("unexpected bytes after gzip member at byte {}", in_offset));
    }
    // The trailer stores the member's size modulo 2^32: a hint, not a bound.
    size_t capacity = std::max<size_t>(member.size() * 4, 1 << 16);
    for (;;) {
      capacity = std::min(capacity, limit - std::min(limit, output.size()));
      const size_t start = output.size();
      output.resize(start + capacity);
      size_t in_used = 0, out_used = 0;
      libdeflate_result result = libdeflate_gzip_decompress_ex(decompressor.get(), member.data(), member.size(),
                                                               output.data() + start, capacity, &in_used, &out_used);
      if (result == LIBDEFLATE_SUCCESS) {
        output.resize(start + out_used);
        in_offset += in_used;
        break;
      }
      output.resize(start);
      if (result != LIBDEFLATE_INSUFFICIENT_SPACE) {
        return core::make_error(ErrorCode::invalid_input,
                                fmt::format("gzip data is corrupt or truncated (member at byte {})", in_offset));
      }
      if (start + capacity >= limit) {
        return core::make_error(ErrorCode::limit_exceeded,
                                fmt::format("decompressed size exceeds the {} MiB limit", limit >> 20));
      }
      capacity *= 2;
    }
  }
  return output;
}

core::Result<LoadedInput> load_input(const std::string& path) {
  LoadedInput input;
  input.path = path;
  std::string raw;
  FILE* file = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!file) {
    return input_error(ErrorCode::io_error, path, fmt::format("cannot open: {}", std::strerror(errno)));
  }
  char chunk[1 << 16];
  size_t read_count = 0;
  bool too_large = false;
  while ((read_count = std::fread(chunk, 1, sizeof chunk, file)) > 0) {
    raw.append(chunk, read_count);
    if (raw.size() > kMaxInputBytes) {
      too_large = true;
      break;
    }
  }
  const bool read_failed = std::ferror(file) != 0;
  const int read_errno = errno;
  if (file != stdin) std::fclose(file);
  if (read_failed) {
    return input_error(ErrorCode::io_error, path, fmt::format("read failed: {}", std::strerror(read_errno)));
  }
  if (too_large) {
    return input_error(ErrorCode::limit_exceeded, path,
                       fmt::format("input is larger than the {} MiB limit; split it into smaller files", kMaxInputBytes >> 20));
  }

  if (is_gzip(raw)) {
    auto decompressed = gunzip(raw, kMaxInputBytes);
    if (!decompressed) {
      return input_error(decompressed.error().code, path, decompressed.error().message);
    }
    raw = std::move(decompressed.value());
    input.was_gzip = true;
  }
  input.size = raw.size();
  input.buffer = std::move(raw);
  input.buffer.append(simdjson::SIMDJSON_PADDING, '\0');
  return input;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::vector<std::string> expand_paths(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code error;
    if (path == "-" || !fs::is_directory(path, error)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, error), end;
    for (; !error && it != end; it.increment(error)) {
      const std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {
        if (it->is_directory(error)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(error)) found.push_back(it->path().string());
    }
    // CloudTrail delivers one object per region and few minutes, in folders per region: order
    // them by delivery time so detectors see each identity's events roughly in time order
    // across regions. Other files keep path order, before the CloudTrail ones.
    std::vector<std::pair<std::string, std::string>> keyed;
    for (auto& file : found) {
      keyed.emplace_back(cloudtrail_delivery_time(fs::path(file).filename().string()), std::move(file));
    }
    std::sort(keyed.begin(), keyed.end());
    for (auto& entry : keyed) files.push_back(std::move(entry.second));
  }
  return files;
}

}  // namespace keyward::ingest
