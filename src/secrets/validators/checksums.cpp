#include "secrets/validators/checksums.hpp"

#include <libdeflate.h>

#include <array>

namespace keyward::secrets {
namespace {

constexpr std::string_view kBase62Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kBech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::size_t kChecksumLength = 6;

std::uint32_t bech32_polymod_step(std::uint32_t checksum, std::uint32_t value) {
  static constexpr std::array<std::uint32_t, 5> kGenerator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                                               0x2a1462b3};
  const std::uint32_t top = checksum >> 25;
  checksum = ((checksum & 0x1ffffff) << 5) ^ value;
  for (std::size_t i = 0; i < kGenerator.size(); ++i) {
    if ((top >> i) & 1) checksum ^= kGenerator[i];
  }
  return checksum;
}

char to_lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::uint32_t crc32(std::string_view data) {
  return libdeflate_crc32(0, data.data(), data.size());
}

std::string base62_encode(std::uint32_t value, std::size_t width) {
  std::string digits;
  while (value > 0) {
    digits.insert(digits.begin(), kBase62Digits[value % 62]);
    value /= 62;
  }
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

bool underscore_token_checksum_valid(std::string_view token) {
  const std::size_t separator = token.find('_');
  if (separator == std::string_view::npos) return false;
  const std::string_view body = token.substr(separator + 1);
  if (body.size() <= kChecksumLength) return false;
  const std::string_view random = body.substr(0, body.size() - kChecksumLength);
  const std::string_view checksum = body.substr(body.size() - kChecksumLength);
  return base62_encode(crc32(random), kChecksumLength) == checksum;
}

bool bech32_valid(std::string_view text) {
  bool has_lower = false;
  bool has_upper = false;
  for (char c : text) {
    if (c < 33 || c > 126) return false;
    has_lower = has_lower || (c >= 'a' && c <= 'z');
    has_upper = has_upper || (c >= 'A' && c <= 'Z');
  }
  if (has_lower && has_upper) return false;
  const std::size_t separator = text.rfind('1');
  if (separator == std::string_view::npos || separator == 0 || text.size() - separator - 1 < kChecksumLength) {
    return false;
  }

  // The checksum covers the expanded human-readable part (high bits, a zero, low bits) and the data.
  const std::string_view hrp = text.substr(0, separator);
  std::uint32_t checksum = 1;
  for (char c : hrp) checksum = bech32_polymod_step(checksum, static_cast<std::uint32_t>(to_lower_ascii(c)) >> 5);
  checksum = bech32_polymod_step(checksum, 0);
  for (char c : hrp) checksum = bech32_polymod_step(checksum, static_cast<std::uint32_t>(to_lower_ascii(c)) & 31);
  for (char c : text.substr(separator + 1)) {
    const std::size_t value = kBech32Charset.find(to_lower_ascii(c));
    if (value == std::string_view::npos) return false;
    checksum = bech32_polymod_step(checksum, static_cast<std::uint32_t>(value));
  }
  return checksum == 1;
}

bool validate_underscore_token_checksum(std::string_view secret, std::string_view /*match*/) {
  return underscore_token_checksum_valid(secret);
}

bool validate_bech32(std::string_view secret, std::string_view /*match*/) { return bech32_valid(secret); }

}  // namespace keyward::secrets
