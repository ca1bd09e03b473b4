#include "secrets/database_cache.hpp"

#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <system_error>

#include <fmt/format.h>

namespace keyward::secrets {
namespace {

// File layout: the magic line, the SHA-256 of the rest, the flags of each pattern (32 bits each, in
// this machine's byte order) and the serialized database.
constexpr std::string_view kMagic = "keyward-vectorscan-cache 2\n";
constexpr std::size_t kDigestBytes = 32;
// Larger files are not read: the full catalogue serializes to about 1.2 MiB.
constexpr std::uintmax_t kMaxCacheFileBytes = 256u << 20;

std::array<unsigned char, kDigestBytes> sha256(std::string_view bytes) {
  std::array<unsigned char, kDigestBytes> digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return digest;
}

std::filesystem::path cache_file(const std::filesystem::path& directory, const std::string& key) {
  return directory / fmt::format("secret-rules-{}.hsdb", key);
}

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

}  // namespace

std::filesystem::path default_cache_directory() {
  if (const char* dir = std::getenv("KEYWARD_CACHE_DIR"); dir != nullptr) return dir;
  if (auto dir = environment("XDG_CACHE_HOME"); !dir.empty()) return std::filesystem::path(dir) / "keyward";
  if (auto home = environment("HOME"); !home.empty()) return std::filesystem::path(home) / ".cache" / "keyward";
  return {};
}

std::string database_cache_key(const std::vector<std::string>& patterns, const std::vector<unsigned>& ids,
                               unsigned mode) {
  std::string material = fmt::format("{}\n{}\n", hs_version(), mode);
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    material += fmt::format("{}\t{}\n", ids[i], patterns[i].size());
    material += patterns[i];
    material += '\n';
  }
  std::string hex;
  for (const unsigned char byte : sha256(material)) hex += fmt::format("{:02x}", byte);
  return hex;
}

std::optional<CachedDatabase> load_cached_database(const std::filesystem::path& directory, const std::string& key,
                                                   std::size_t pattern_count) {
  if (directory.empty()) return std::nullopt;
  const std::filesystem::path path = cache_file(directory, key);
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  const std::size_t header = kMagic.size() + pattern_count * sizeof(std::uint32_t) + kDigestBytes;
  if (error || size > kMaxCacheFileBytes || size < header) return std::nullopt;

  std::ifstream in(path, std::ios::binary);
  const std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (content.size() != size || content.compare(0, kMagic.size(), kMagic) != 0) return std::nullopt;
  // The digest covers the flags and the database.
  const std::string_view digest(content.data() + kMagic.size(), kDigestBytes);
  const std::string_view body(content.data() + kMagic.size() + kDigestBytes, content.size() - kMagic.size() - kDigestBytes);
  const auto actual = sha256(body);
  if (digest != std::string_view(reinterpret_cast<const char*>(actual.data()), actual.size())) return std::nullopt;

  CachedDatabase cached;
  cached.flags.resize(pattern_count);
  for (std::size_t i = 0; i < pattern_count; ++i) {
    std::uint32_t value = 0;
    std::memcpy(&value, body.data() + i * sizeof(value), sizeof(value));
    cached.flags[i] = value;
  }
  const std::string_view serialized = body.substr(pattern_count * sizeof(std::uint32_t));
  // Vectorscan rejects a database built for a CPU feature set this machine lacks.
  if (hs_deserialize_database(serialized.data(), serialized.size(), &cached.database) != HS_SUCCESS) return std::nullopt;
  return cached;
}

void store_cached_database(const std::filesystem::path& directory, const std::string& key,
                           const hs_database_t* database, const std::vector<unsigned>& flags) {
  if (directory.empty() || database == nullptr) return;
  char* bytes = nullptr;
  std::size_t length = 0;
  if (hs_serialize_database(database, &bytes, &length) != HS_SUCCESS) return;
  std::string body;
  for (const unsigned flag : flags) {
    const auto value = static_cast<std::uint32_t>(flag);
    body.append(reinterpret_cast<const char*>(&value), sizeof(value));
  }
  body.append(bytes, length);
  std::free(bytes);

  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return;
  const std::filesystem::path path = cache_file(directory, key);
  const std::filesystem::path temporary = path.string() + fmt::format(".{}.tmp", ::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    const auto digest = sha256(body);
    out << kMagic;
    out.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
    out << body;
    if (!out.flush()) {
      out.close();
      std::filesystem::remove(temporary, error);
      return;
    }
  }
  std::filesystem::rename(temporary, path, error);
  if (error) std::filesystem::remove(temporary, error);
}

}  // namespace keyward::secrets
