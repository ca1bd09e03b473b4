#include "secrets/validators/encoding.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>

namespace keyward::secrets {
namespace {

constexpr int kInvalid = -1;

// Maps one byte to its 6-bit base64 value, accepting both the standard and the URL-safe alphabet.
constexpr std::array<int, 256> make_base64_table() {
  std::array<int, 256> table{};
  for (int& entry : table) entry = kInvalid;
  for (int i = 0; i < 26; ++i) {
    table[static_cast<std::size_t>('A' + i)] = i;
    table[static_cast<std::size_t>('a' + i)] = 26 + i;
  }
  for (int i = 0; i < 10; ++i) table[static_cast<std::size_t>('0' + i)] = 52 + i;
  table['+'] = 62;
  table['-'] = 62;
  table['/'] = 63;
  table['_'] = 63;
  return table;
}

constexpr std::array<int, 256> kBase64Values = make_base64_table();

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return kInvalid;
}

}  // namespace

std::optional<std::string> decode_base64(std::string_view text, std::size_t max_bytes) {
  std::size_t padding = 0;
  while (!text.empty() && text.back() == '=' && padding < 2) {
    text.remove_suffix(1);
    ++padding;
  }
  // One leftover character after whole groups of four cannot encode a byte.
  if (text.size() % 4 == 1) return std::nullopt;
  if (padding > 0 && (text.size() + padding) % 4 != 0) return std::nullopt;
  if (text.size() > (max_bytes / 3 + 1) * 4) return std::nullopt;

  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = kBase64Values[static_cast<unsigned char>(c)];
    if (value == kInvalid) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  if (out.size() > max_bytes) return std::nullopt;
  return out;
}

std::optional<std::string> decode_percent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high == kInvalid || low == kInvalid) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

bool is_json_object(std::string_view text) {
  if (text.size() > 64 * 1024) return false;
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return !parsed.is_discarded() && parsed.is_object();
}

}  // namespace keyward::secrets
