#pragma once

// Decoders the structure validators share. Each is bounded: input above its limit is rejected,
// never partly decoded.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace keyward::secrets {

// Decodes standard (+/) or URL-safe (-_) base64, with or without '=' padding. Returns nullopt for
// any other byte, a misplaced '=', an impossible length, or a result above `max_bytes`.
std::optional<std::string> decode_base64(std::string_view text, std::size_t max_bytes = 64 * 1024);

// Decodes %XX escapes and copies other bytes. Returns nullopt for a truncated or non-hex escape.
std::optional<std::string> decode_percent(std::string_view text);

// True when `text` parses as one JSON object (at most 64 KiB).
bool is_json_object(std::string_view text);

}  // namespace keyward::secrets
