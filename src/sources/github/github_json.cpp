#include "sources/github/github_json.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>

#include "ingest/input_reader.hpp"

namespace keyward::sources::github {
namespace {

// Times after 1973-03-03 in milliseconds are above this; times in seconds stay below it until
// the year 5138, so one threshold separates the two units.
constexpr std::int64_t kMillisecondThreshold = 100000000000LL;
constexpr size_t kMaxPublicKeyBytes = 16 * 1024;

core::UnixTime from_epoch_number(std::int64_t value) {
  return value > kMillisecondThreshold || value < -kMillisecondThreshold ? value / 1000 : value;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const int value = base64_value(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

std::string base64_encode_unpadded(std::string_view bytes) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3F]);
  return out;
}

std::string hex_to_bytes(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    unsigned value = 0;
    std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
    out.push_back(static_cast<char>(value));
  }
  return out;
}

// Returns the text after "/SEGMENT/" in a URL path, or "".
std::string_view after_segment(std::string_view url, std::string_view segment) {
  const size_t at = url.find(segment);
  return at == std::string_view::npos ? std::string_view{} : url.substr(at + segment.size());
}

}  // namespace

char first_significant_byte(std::string_view head) {
  const size_t first = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first == std::string_view::npos ? '\0' : head[first];
}

bool has_json_string_key(std::string_view head, std::string_view key) {
  const std::string quoted = "\"" + std::string(key) + "\"";
  size_t at = 0;
  while ((at = head.find(quoted, at)) != std::string_view::npos) {
    size_t next = head.find_first_not_of(" \t\r\n", at + quoted.size());
    at += quoted.size();
    if (next == std::string_view::npos || head[next] != ':') continue;
    next = head.find_first_not_of(" \t\r\n", next + 1);
    if (next != std::string_view::npos && head[next] == '"') return true;
  }
  return false;
}

std::optional<core::UnixTime> parse_time_text(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error == std::errc() && end == text.data() + text.size()) return from_epoch_number(number);
  return core::parse_time(text);
}

std::optional<core::UnixTime> read_time(simdjson::dom::element object, std::string_view key) {
  simdjson::dom::element value;
  if (object[key].get(value) != simdjson::SUCCESS) return std::nullopt;
  std::int64_t integer = 0;
  if (value.get(integer) == simdjson::SUCCESS) return from_epoch_number(integer);
  std::uint64_t unsigned_integer = 0;
  if (value.get(unsigned_integer) == simdjson::SUCCESS) return std::nullopt;  // beyond any real time
  double real = 0;
  if (value.get(real) == simdjson::SUCCESS) {
    if (!(real > -1e15 && real < 1e15)) return std::nullopt;
    return from_epoch_number(static_cast<std::int64_t>(real));
  }
  std::string_view text;
  if (value.get(text) == simdjson::SUCCESS) return parse_time_text(text);
  return std::nullopt;
}

std::string read_id(simdjson::dom::element object, std::string_view key) {
  simdjson::dom::element value;
  if (object[key].get(value) != simdjson::SUCCESS) return {};
  std::int64_t integer = 0;
  if (value.get(integer) == simdjson::SUCCESS) return std::to_string(integer);
  std::uint64_t unsigned_integer = 0;
  if (value.get(unsigned_integer) == simdjson::SUCCESS) return std::to_string(unsigned_integer);
  std::string_view text;
  if (value.get(text) == simdjson::SUCCESS) return std::string(text.substr(0, 256));
  return {};
}

std::optional<bool> read_flag(simdjson::dom::element object, std::string_view key) {
  simdjson::dom::element value;
  if (object[key].get(value) != simdjson::SUCCESS) return std::nullopt;
  bool flag = false;
  if (value.get(flag) == simdjson::SUCCESS) return flag;
  std::int64_t integer = 0;
  if (value.get(integer) == simdjson::SUCCESS) return integer != 0;
  std::string_view text;
  if (value.get(text) == simdjson::SUCCESS) {
    if (text == "1" || text == "true") return true;
    if (text == "0" || text == "false") return false;
  }
  return std::nullopt;
}

std::string repository_from_api_url(std::string_view url) {
  const std::string_view rest = after_segment(url, "/repos/");
  const size_t owner_end = rest.find('/');
  if (owner_end == std::string_view::npos || owner_end == 0) return {};
  const size_t repo_end = rest.find_first_of("/?#", owner_end + 1);
  const std::string_view repository = rest.substr(0, repo_end);
  if (repository.size() <= owner_end + 1) return {};
  return std::string(repository.substr(0, 256));
}

std::string organization_from_api_url(std::string_view url) {
  const std::string_view rest = after_segment(url, "/orgs/");
  const size_t end = rest.find_first_of("/?#");
  return std::string(rest.substr(0, end).substr(0, 256));
}

std::string url_scheme(std::string_view url) {
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0 || colon > 16) return {};
  return lowercase(url.substr(0, colon));
}

std::string url_host(std::string_view url) {
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos) return {};
  std::string_view authority = url.substr(colon + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  // Drop "user:password@" so credentials in the URL are never kept.
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority = authority.substr(at + 1);
  return lowercase(authority.substr(0, 253));
}

std::string ssh_key_fingerprint(std::string_view public_key) {
  if (public_key.size() > kMaxPublicKeyBytes) return {};
  const size_t start = public_key.find(' ');
  if (start == std::string_view::npos) return {};
  std::string_view blob = public_key.substr(start + 1);
  blob = blob.substr(0, blob.find(' '));
  const auto decoded = base64_decode(blob);
  if (!decoded || decoded->empty()) return {};
  return "SHA256:" + base64_encode_unpadded(hex_to_bytes(ingest::sha256_hex(*decoded)));
}

std::string redacted_token(std::string_view prefix, std::string_view last_characters) {
  if (last_characters.size() < 4) return {};
  return std::string(prefix) + "\u2026" + std::string(last_characters.substr(last_characters.size() - 4));
}

void report(ParseContext& ctx, const Input& input, const RecordPosition& position, std::string message) {
  ctx.errors.push_back(RecordError{input.path, position.offset, position.line, std::move(message)});
}

}  // namespace keyward::sources::github
