#include "secrets/decode/content.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "secrets/decode/utf8.hpp"

namespace keyward::secrets {

namespace {

constexpr std::size_t kSampleBytes = 8192;

bool starts_with_bytes(std::string_view content, std::string_view prefix) {
  return content.size() >= prefix.size() && content.substr(0, prefix.size()) == prefix;
}

std::optional<ContentKind> kind_from_bom(std::string_view content) {
  using namespace std::string_view_literals;
  if (starts_with_bytes(content, "\xEF\xBB\xBF"sv)) return ContentKind::text;
  // UTF-32 is checked before UTF-16 because the UTF-32LE BOM starts with the UTF-16LE one.
  if (starts_with_bytes(content, "\xFF\xFE\0\0"sv)) return ContentKind::binary;
  if (starts_with_bytes(content, "\0\0\xFE\xFF"sv)) return ContentKind::binary;
  if (starts_with_bytes(content, "\xFF\xFE"sv)) return ContentKind::utf16le;
  if (starts_with_bytes(content, "\xFE\xFF"sv)) return ContentKind::utf16be;
  return std::nullopt;
}

constexpr bool is_text_control(unsigned char c) {
  return c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '\b' || c == 0x1b;
}

// UTF-16 without a BOM: mostly-ASCII text has a NUL in nearly every high byte and almost none in
// the low bytes.
std::optional<ContentKind> kind_from_nul_pattern(std::string_view sample) {
  const std::size_t units = sample.size() / 2;
  if (units == 0) return std::nullopt;
  std::size_t even_nuls = 0;
  std::size_t odd_nuls = 0;
  for (std::size_t i = 0; i + 1 < sample.size(); i += 2) {
    if (sample[i] == '\0') ++even_nuls;
    if (sample[i + 1] == '\0') ++odd_nuls;
  }
  const bool mostly_odd = odd_nuls * 10 >= units * 7 && even_nuls * 20 <= units;
  const bool mostly_even = even_nuls * 10 >= units * 7 && odd_nuls * 20 <= units;
  if (mostly_odd) return ContentKind::utf16le;
  if (mostly_even) return ContentKind::utf16be;
  return std::nullopt;
}

constexpr std::uint32_t kReplacementCharacter = 0xFFFD;

}  // namespace

ContentKind classify_content(std::string_view content) {
  if (const auto kind = kind_from_bom(content)) return *kind;
  const std::string_view sample = content.substr(0, kSampleBytes);
  if (sample.find('\0') == std::string_view::npos) {
    static constexpr std::array<std::uint8_t, 256> kControl = [] {
      std::array<std::uint8_t, 256> table{};
      for (int c = 0; c < 0x20; ++c) table[c] = is_text_control(static_cast<unsigned char>(c)) ? 0 : 1;
      table[0x7F] = 1;
      return table;
    }();
    std::size_t control = 0;
    for (const char ch : sample) control += kControl[static_cast<unsigned char>(ch)];
    // More than 10% control bytes is binary even without NUL bytes (compressed or encrypted data).
    return control * 10 > sample.size() ? ContentKind::binary : ContentKind::text;
  }
  if (const auto kind = kind_from_nul_pattern(sample)) return *kind;
  return ContentKind::binary;
}

std::string utf16_to_utf8(std::string_view content, bool little_endian) {
  const auto unit_at = [&](std::size_t offset) -> std::uint32_t {
    const auto first = static_cast<unsigned char>(content[offset]);
    const auto second = static_cast<unsigned char>(content[offset + 1]);
    return little_endian ? (second << 8 | first) : (first << 8 | second);
  };

  std::string out;
  out.reserve(content.size() / 2 + 4);
  std::size_t i = 0;
  if (content.size() >= 2 && unit_at(0) == 0xFEFF) i = 2;
  while (i + 1 < content.size()) {
    const std::uint32_t unit = unit_at(i);
    i += 2;
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      const bool has_low = i + 1 < content.size() && unit_at(i) >= 0xDC00 && unit_at(i) <= 0xDFFF;
      if (!has_low) {
        append_utf8(out, kReplacementCharacter);
        continue;
      }
      append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (unit_at(i) - 0xDC00));
      i += 2;
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      append_utf8(out, kReplacementCharacter);
    } else {
      append_utf8(out, unit);
    }
  }
  if (i < content.size()) append_utf8(out, kReplacementCharacter);  // an odd trailing byte
  return out;
}

// TODO: binaries such as Windows executables keep many strings as UTF-16LE, and those runs are
// not extracted here.
std::string printable_runs(std::string_view content, std::size_t min_length) {
  static constexpr std::array<bool, 256> kPrintable = [] {
    std::array<bool, 256> table{};
    for (int c = 0x20; c < 0x7F; ++c) table[c] = true;
    table['\t'] = true;
    return table;
  }();
  const auto printable = [&](std::size_t i) { return kPrintable[static_cast<unsigned char>(content[i])]; };

  min_length = std::max<std::size_t>(min_length, 1);
  std::string out;
  std::size_t i = 0;
  while (i < content.size()) {
    while (i < content.size() && !printable(i)) ++i;
    const std::size_t run_start = i;
    while (i < content.size() && printable(i)) ++i;
    if (i - run_start < min_length) continue;
    if (!out.empty()) out.push_back('\n');
    out.append(content.substr(run_start, i - run_start));
  }
  return out;
}

}  // namespace keyward::secrets
