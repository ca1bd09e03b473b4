#include "secrets/secret_text.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <cmath>
#include <stdexcept>

namespace keyward::secrets {
namespace {

std::string to_hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    hex.push_back(kDigits[bytes[i] >> 4]);
    hex.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return hex;
}

char printable(char c) { return (c >= 0x21 && c <= 0x7e) ? c : '?'; }

}  // namespace

std::string redact(std::string_view secret, std::size_t prefix) {
  if (secret.size() <= 8) return "****";
  prefix = std::min(prefix, secret.size() / 2);
  std::string out;
  for (std::size_t i = 0; i < prefix; ++i) out.push_back(printable(secret[i]));
  out += "…";
  for (std::size_t i = secret.size() - 4; i < secret.size(); ++i) out.push_back(printable(secret[i]));
  return out;
}

std::string fingerprint(std::string_view key, std::string_view secret) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(secret.data()),
       secret.size(), digest.data(), &length);
  return "hmac-sha256:" + to_hex(digest.data(), 16);
}

std::string new_fingerprint_key() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed: no randomness for a fingerprint key");
  }
  return to_hex(bytes.data(), bytes.size());
}

double shannon_entropy(std::string_view text) {
  if (text.empty()) return 0;
  std::array<std::size_t, 256> counts{};
  for (unsigned char c : text) ++counts[c];
  double entropy = 0;
  const double size = static_cast<double>(text.size());
  for (std::size_t count : counts) {
    if (count == 0) continue;
    const double p = static_cast<double>(count) / size;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

}  // namespace keyward::secrets
