#pragma once

// The only two forms of a secret that keyward keeps or prints: a redacted form and a keyed
// fingerprint. Raw secret bytes live in memory only while a scan confirms them.

#include <cstddef>
#include <string>
#include <string_view>

namespace keyward::secrets {

// Returns the first `prefix` characters (at most half of the secret), "…", and the last four
// characters; a secret of 8 characters or fewer becomes "****" only. Non-printable bytes become '?'.
std::string redact(std::string_view secret, std::size_t prefix);

// Returns "hmac-sha256:" and the first 32 hex digits of HMAC-SHA256(key, secret). The same key
// gives the same fingerprint for the same secret in every scan, ingest and store.
std::string fingerprint(std::string_view key, std::string_view secret);

// Returns 32 random bytes as 64 hex digits, for a new fingerprint key.
std::string new_fingerprint_key();

// Shannon entropy of the bytes of `text` in bits per character.
double shannon_entropy(std::string_view text);

}  // namespace keyward::secrets
