// The baseline file of accepted findings. Format, version 1:
//   {"version": 1, "salt": "<64 hex digits>",
//    "entries": [{"hash": "<64 hex digits>", "rule_id": "...", "redacted": "...", "path": "...", "line": 12}]}
// hash is HMAC-SHA256 with the salt's 64-character hex text as the key, over the rule id, one NUL
// byte and the raw secret, written as lowercase hex. redacted, path and line are for people
// reading the file; matching uses the hash and nothing else.
//
// NOTE: the salt is stored beside the hashes so any machine can check them. Anyone who can read
// the baseline can therefore test guesses of a secret offline. The salt only stops hashes from
// being compared across baselines, so a short or guessable secret stays guessable.

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <tuple>

#include <nlohmann/json.hpp>

#include "secrets/secret_text.hpp"
#include "secrets/suppress/read_limited.hpp"
#include "secrets/suppress/suppressions.hpp"

namespace keyward::secrets {
namespace {

using nlohmann::json;

constexpr int kBaselineVersion = 1;
// An entry is about 250 bytes (an estimate), so the limit allows a few hundred thousand entries.
constexpr std::size_t kMaxBaselineBytes = 64u << 20;
constexpr std::size_t kHashHexDigits = 64;

bool is_lower_hex(const json& value, std::size_t digits) {
  if (!value.is_string()) return false;
  const auto& text = value.get_ref<const std::string&>();
  return text.size() == digits && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

core::Error baseline_error(const std::string& path, const std::string& problem, long long line = -1) {
  core::Error error = core::make_error(
      core::ErrorCode::invalid_input,
      fmt::format("invalid baseline: {}; regenerate it with keyward scan --write-baseline {}", problem, path));
  error.file = path;
  error.line = line;
  return error;
}

// 1-based line and column of byte `offset` in `text`.
std::pair<long long, long long> line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const long long line = 1 + std::count(before.begin(), before.end(), '\n');
  const std::size_t line_start = before.rfind('\n');
  const long long column = static_cast<long long>(offset - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
  return {line, column};
}

// Parses the JSON text. The parser's own message is not used because it quotes the input, and
// a file passed here by mistake (an .env file) may hold secrets.
core::Result<json> parse_baseline_json(const std::string& path, const std::string& content) {
  try {
    return json::parse(content);
  } catch (const json::parse_error& error) {
    const std::size_t byte = error.byte > 0 ? error.byte - 1 : 0;
    const auto [line, column] = line_and_column(content, byte);
    return baseline_error(path, fmt::format("not valid JSON at column {}", column), line);
  }
}

// Writes all of `data` to `fd`; returns 0 or the errno of the failed write.
int write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return errno;
    if (written == 0) return EIO;
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return 0;
}

// Writes `content` to `path` through a temporary file in the same directory and a rename, so a
// reader never sees a half-written file. The file has mode 0600 (owner read and write only).
core::Status write_private_file(const std::string& path, std::string_view content) {
  const std::filesystem::path target(path);
  const std::filesystem::path directory = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::string temporary = (directory / ("." + target.filename().string() + ".XXXXXX")).string();

  std::string_view failed_step;
  int code = 0;
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) {
    failed_step = "create a temporary file in the same directory";
    code = errno;
  } else {
    if ((code = write_all(fd, content)) != 0) {
      failed_step = "write";
    } else if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
      failed_step = "set mode 0600";
      code = errno;
    } else if (::fsync(fd) != 0) {
      failed_step = "flush to disk";
      code = errno;
    }
    if (::close(fd) != 0 && failed_step.empty()) {
      failed_step = "close";
      code = errno;
    }
    if (failed_step.empty() && std::rename(temporary.c_str(), path.c_str()) != 0) {
      failed_step = "rename into place";
      code = errno;
    }
    if (!failed_step.empty()) ::unlink(temporary.c_str());
  }
  if (failed_step.empty()) return {};
  core::Error error = core::make_error(core::ErrorCode::io_error,
                                       fmt::format("failed to save the baseline ({}): {}", failed_step, std::strerror(code)));
  error.file = path;
  return error;
}

}  // namespace

std::string Baseline::hash(std::string_view rule_id, std::string_view secret) const {
  std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr), &EVP_MAC_free);
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> context(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr,
                                                                     &EVP_MAC_CTX_free);
  char digest_name[] = "SHA256";
  const OSSL_PARAM parameters[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                                   OSSL_PARAM_construct_end()};
  const auto* key = reinterpret_cast<const unsigned char*>(salt_.data());
  const unsigned char separator = 0;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  std::size_t length = 0;
  // The secret goes straight into the MAC so no second copy of it is made.
  const bool ok = context && EVP_MAC_init(context.get(), key, salt_.size(), parameters) == 1 &&
                  EVP_MAC_update(context.get(), reinterpret_cast<const unsigned char*>(rule_id.data()), rule_id.size()) == 1 &&
                  EVP_MAC_update(context.get(), &separator, 1) == 1 &&
                  EVP_MAC_update(context.get(), reinterpret_cast<const unsigned char*>(secret.data()), secret.size()) == 1 &&
                  EVP_MAC_final(context.get(), digest.data(), &length, digest.size()) == 1;
  if (!ok) throw std::runtime_error("OpenSSL HMAC-SHA256 failed while hashing a baseline entry");
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (std::size_t i = 0; i < length; ++i) {
    hex.push_back(kDigits[digest[i] >> 4]);
    hex.push_back(kDigits[digest[i] & 0x0f]);
  }
  return hex;
}

Baseline Baseline::create() {
  Baseline baseline;
  baseline.salt_ = new_fingerprint_key();
  return baseline;
}

core::Result<Baseline> Baseline::load(const std::string& path) {
  auto content = read_limited(path, kMaxBaselineBytes, "baseline");
  if (!content) return content.error();
  auto parsed = parse_baseline_json(path, *content);
  if (!parsed) return parsed.error();
  const json& document = *parsed;

  if (!document.is_object()) return baseline_error(path, "the top level is not a JSON object");
  const json& version = document.contains("version") ? document["version"] : json();
  if (!version.is_number_integer()) return baseline_error(path, "\"version\" is missing or not a number");
  if (version.get<long long>() != kBaselineVersion) {
    return baseline_error(path, fmt::format("version {} is not supported (this keyward reads version {})",
                                            version.get<long long>(), kBaselineVersion));
  }
  Baseline baseline;
  if (!document.contains("salt") || !is_lower_hex(document["salt"], kHashHexDigits)) {
    return baseline_error(path, "\"salt\" is missing or not 64 lowercase hex digits");
  }
  baseline.salt_ = document["salt"].get<std::string>();
  if (!document.contains("entries") || !document["entries"].is_array()) {
    return baseline_error(path, "\"entries\" is missing or not an array");
  }

  const json& entries = document["entries"];
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const json& item = entries[i];
    if (!item.is_object()) return baseline_error(path, fmt::format("entries[{}] is not an object", i));
    if (!item.contains("hash") || !is_lower_hex(item["hash"], kHashHexDigits)) {
      return baseline_error(path, fmt::format("entries[{}].hash is missing or not 64 lowercase hex digits", i));
    }
    if (!item.contains("rule_id") || !item["rule_id"].is_string() || item["rule_id"].get_ref<const std::string&>().empty()) {
      return baseline_error(path, fmt::format("entries[{}].rule_id is missing or not a string", i));
    }
    Entry entry;
    entry.hash = item["hash"].get<std::string>();
    entry.rule_id = item["rule_id"].get<std::string>();
    // The descriptive members do not affect matching, so a mistyped one is left empty.
    if (item.contains("redacted") && item["redacted"].is_string()) entry.redacted = item["redacted"].get<std::string>();
    if (item.contains("path") && item["path"].is_string()) entry.path = item["path"].get<std::string>();
    if (item.contains("line") && item["line"].is_number_integer()) entry.line = item["line"].get<long long>();
    if (baseline.hashes_.insert(entry.hash).second) baseline.entries_.push_back(std::move(entry));
  }
  return baseline;
}

bool Baseline::contains(std::string_view rule_id, std::string_view secret) const {
  if (hashes_.empty()) return false;
  return hashes_.count(hash(rule_id, secret)) > 0;
}

void Baseline::add(std::string_view rule_id, std::string_view secret, const core::Exposure& exposure) {
  Entry entry;
  entry.hash = hash(rule_id, secret);
  if (!hashes_.insert(entry.hash).second) return;
  entry.rule_id = std::string(rule_id);
  entry.redacted = exposure.redacted;
  if (!exposure.locations.empty()) {
    entry.path = exposure.locations.front().path;
    entry.line = exposure.locations.front().line;
  }
  entries_.push_back(std::move(entry));
}

core::Status Baseline::save(const std::string& path) const {
  // Sorted by location so that regenerating the baseline gives a small diff.
  std::vector<const Entry*> sorted;
  for (const auto& entry : entries_) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(), [](const Entry* a, const Entry* b) {
    return std::tie(a->path, a->line, a->rule_id, a->hash) < std::tie(b->path, b->line, b->rule_id, b->hash);
  });
  json entries = json::array();
  for (const Entry* entry : sorted) {
    entries.push_back({{"hash", entry->hash},
                       {"rule_id", entry->rule_id},
                       {"redacted", entry->redacted},
                       {"path", entry->path},
                       {"line", entry->line}});
  }
  const json document = {{"version", kBaselineVersion}, {"salt", salt_}, {"entries", entries}};
  // A path that is not valid UTF-8 is written with U+FFFD in place of the bad bytes.
  return write_private_file(path, document.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

}  // namespace keyward::secrets
