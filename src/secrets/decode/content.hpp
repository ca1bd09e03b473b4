#pragma once

// Content handling around the matcher: telling text from binary, turning UTF-16 into UTF-8, and
// finding encoded runs (base64, percent-encoding, JSON string escapes) whose decoded text is
// scanned again.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace keyward::secrets {

enum class ContentKind { text, utf16le, utf16be, binary };

// Classifies by content (BOM, NUL-byte patterns, share of control bytes in the first 8 KiB), not by
// file name. UTF-8, Latin-1 and other ASCII-compatible text is `text`.
ContentKind classify_content(std::string_view content);

// Converts UTF-16 to UTF-8, replacing invalid units with U+FFFD; a BOM is dropped.
std::string utf16_to_utf8(std::string_view content, bool little_endian);

// Printable ASCII runs of at least `min_length` bytes from binary content, joined by '\n', so
// ASCII-shaped secrets in binaries are still found without matching across garbage.
std::string printable_runs(std::string_view content, std::size_t min_length = 8);

// One encoded run in a text and its decoded form.
struct DecodedSpan {
  std::size_t begin = 0;  // byte range of the encoded run in the text it was found in
  std::size_t end = 0;
  std::string text;       // decoded bytes (UTF-8 when the decoded content is UTF-16)
  std::string_view encoding;  // "base64", "percent", "json-escape"
};

struct DecodeLimits {
  std::size_t min_base64_length = 24;        // shorter base64-looking runs are left alone
  std::size_t min_decoded_length = 8;        // shorter decoded percent and JSON-escape runs are left alone
  std::size_t max_decoded_bytes = 16u << 20; // total decoded bytes per call
  std::size_t max_spans = 65536;             // spans per call; the rest of the text is not decoded
};

// Finds base64 (standard and URL-safe, padded or not) runs whose decoded bytes are mostly
// printable, runs with %XX escapes, and JSON-escaped strings (\n, \", \/, \uXXXX) that decode to
// something different. Returns them in order of `begin`; overlapping runs are allowed.
std::vector<DecodedSpan> find_encoded(std::string_view text, const DecodeLimits& limits = {});

}  // namespace keyward::secrets
