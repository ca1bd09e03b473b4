#pragma once

// Integrity checks built into some credential formats. A pass means the issuer's generator made
// the candidate: a typed or guessed look-alike fails.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace keyward::secrets {

// CRC-32 as zlib and PNG compute it (reflected polynomial 0xEDB88320).
std::uint32_t crc32(std::string_view data);

// Encodes `value` in base62 with the digits 0-9, A-Z, a-z, left-padded with '0' to `width`.
std::string base62_encode(std::uint32_t value, std::size_t width);

// True for a token laid out as prefix, '_', random part, 6-character checksum, where the checksum
// is the base62 CRC-32 of the random part. GitHub's ghp_/gho_/ghu_/ghs_/ghr_ tokens and npm's
// npm_ tokens use this layout.
bool underscore_token_checksum_valid(std::string_view token);

// True when `text` is a Bech32 string (BIP 173: human-readable part, '1', data, 6-character
// checksum) in one case. No length limit applies, as in age keys.
bool bech32_valid(std::string_view text);

// Validators for SecretRule::validate.
bool validate_underscore_token_checksum(std::string_view secret, std::string_view match);
bool validate_bech32(std::string_view secret, std::string_view match);

}  // namespace keyward::secrets
