#include "secrets/validators/structure.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <vector>

#include "secrets/validators/encoding.hpp"
#include "secrets/validators/placeholder.hpp"

namespace keyward::secrets {
namespace {

constexpr std::string_view kDashes = "-----";
constexpr std::size_t kMinKeyBytes = 48;
constexpr std::size_t kMaxKeyBytes = 12 * 1024;

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
         c == '=';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// Splits armored text into trimmed lines. The two-character escapes "\n" and "\r" of a JSON string
// count as line ends too, so a key copied into a JSON value parses like the original file.
std::vector<std::string_view> armor_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool real_end = i == text.size() || text[i] == '\n';
    const bool escaped_end = i + 1 < text.size() && text[i] == '\\' && (text[i + 1] == 'n' || text[i + 1] == 'r');
    if (!real_end && !escaped_end) continue;
    lines.push_back(trim(text.substr(start, i - start)));
    if (escaped_end) ++i;
    start = i + 1;
  }
  return lines;
}

// Returns the label of a "-----BEGIN <label>-----" or "-----END <label>-----" line, or nullopt.
std::optional<std::string_view> armor_label(std::string_view line, std::string_view keyword) {
  if (!starts_with(line, kDashes) || !ends_with(line, kDashes)) return std::nullopt;
  line = line.substr(kDashes.size(), line.size() - 2 * kDashes.size());
  if (!starts_with(line, keyword) || line.size() <= keyword.size() || line[keyword.size()] != ' ') return std::nullopt;
  return line.substr(keyword.size() + 1);
}

struct Armor {
  std::string_view label;
  std::vector<std::string_view> headers;  // "Name: value" lines before the body
  std::string body;                       // base64 characters of the body lines
  std::string_view checksum;              // OpenPGP "=XXXX" line without the '=', or empty
};

// Parses one armored block: BEGIN line, optional header lines, base64 body lines, an optional
// OpenPGP checksum line and an END line with the same label.
std::optional<Armor> parse_armor(std::string_view text) {
  std::vector<std::string_view> lines = armor_lines(text);
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  if (lines.size() < 3) return std::nullopt;
  const auto begin_label = armor_label(lines.front(), "BEGIN");
  const auto end_label = armor_label(lines.back(), "END");
  if (!begin_label || !end_label || *begin_label != *end_label) return std::nullopt;

  Armor armor;
  armor.label = *begin_label;
  bool in_body = false;
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (line.empty()) continue;
    if (!in_body && line.find(':') != std::string_view::npos) {
      armor.headers.push_back(line);
      continue;
    }
    if (line.front() == '=' && !armor.body.empty()) {
      armor.checksum = line.substr(1);
      continue;
    }
    for (char c : line) {
      if (!is_base64_char(c)) return std::nullopt;
    }
    if (!armor.checksum.empty()) return std::nullopt;  // body after the checksum line
    in_body = true;
    armor.body.append(line);
  }
  return armor;
}

std::uint32_t crc24(std::string_view data) {
  std::uint32_t crc = 0xB704CE;
  for (unsigned char byte : data) {
    crc ^= static_cast<std::uint32_t>(byte) << 16;
    for (int bit = 0; bit < 8; ++bit) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864CFB;
    }
  }
  return crc & 0xFFFFFF;
}

// Returns the string value of `"key": "value"` in JSON-like text, without unescaping.
std::string_view json_string_field(std::string_view text, std::string_view key) {
  const std::string quoted = "\"" + std::string(key) + "\"";
  std::size_t at = text.find(quoted);
  if (at == std::string_view::npos) return {};
  at += quoted.size();
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r')) ++at;
  if (at >= text.size() || text[at] != ':') return {};
  ++at;
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r')) ++at;
  if (at >= text.size() || text[at] != '"') return {};
  const std::size_t close = text.find('"', at + 1);
  if (close == std::string_view::npos) return {};
  return text.substr(at + 1, close - at - 1);
}

bool is_lower_hex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return !text.empty();
}

// Reads a LEB128 varint as macaroons (version 2) encode field types and lengths.
std::optional<std::uint64_t> read_varint(std::string_view bytes, std::size_t& at) {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 35 && at < bytes.size(); shift += 7) {
    const auto byte = static_cast<unsigned char>(bytes[at++]);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return std::nullopt;
}

bool is_printable_text(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool decodes_to_json_object(std::string_view base64) {
  const auto decoded = decode_base64(base64, 16 * 1024);
  return decoded && is_json_object(*decoded);
}

}  // namespace

bool validate_jwt(std::string_view secret, std::string_view /*match*/) {
  const std::size_t first_dot = secret.find('.');
  if (first_dot == std::string_view::npos) return false;
  const std::size_t second_dot = secret.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos || secret.find('.', second_dot + 1) != std::string_view::npos) return false;

  const auto header = decode_base64(secret.substr(0, first_dot), 8 * 1024);
  const auto payload = decode_base64(secret.substr(first_dot + 1, second_dot - first_dot - 1), 16 * 1024);
  if (!header || !payload || header->size() > 8 * 1024) return false;
  const nlohmann::json parsed_header = nlohmann::json::parse(*header, nullptr, /*allow_exceptions=*/false);
  if (parsed_header.is_discarded() || !parsed_header.is_object()) return false;
  const auto alg = parsed_header.find("alg");
  if (alg == parsed_header.end() || !alg->is_string()) return false;
  return is_json_object(*payload);
}

bool validate_pem_private_key(std::string_view secret, std::string_view /*match*/) {
  const auto armor = parse_armor(secret);
  if (!armor || !ends_with(armor->label, "PRIVATE KEY")) return false;
  const auto der = decode_base64(armor->body, kMaxKeyBytes);
  if (!der || der->size() < kMinKeyBytes) return false;
  if (armor->label == "OPENSSH PRIVATE KEY") {
    return starts_with(*der, std::string_view("openssh-key-v1\0", 15));
  }
  // RFC 1421 encryption (Proc-Type/DEK-Info headers) leaves the body as ciphertext with no ASN.1.
  if (!armor->headers.empty()) return true;
  return static_cast<unsigned char>((*der)[0]) == 0x30;
}

bool validate_pgp_private_key(std::string_view secret, std::string_view /*match*/) {
  const auto armor = parse_armor(secret);
  if (!armor || armor->label != "PGP PRIVATE KEY BLOCK") return false;
  const auto packets = decode_base64(armor->body, 64 * 1024);
  if (!packets || packets->size() < kMinKeyBytes) return false;
  if (armor->checksum.empty()) return true;
  const auto checksum = decode_base64(armor->checksum, 3);
  if (!checksum || checksum->size() != 3) return false;
  const std::uint32_t expected = (static_cast<std::uint32_t>(static_cast<unsigned char>((*checksum)[0])) << 16) |
                                 (static_cast<std::uint32_t>(static_cast<unsigned char>((*checksum)[1])) << 8) |
                                 static_cast<std::uint32_t>(static_cast<unsigned char>((*checksum)[2]));
  return crc24(*packets) == expected;
}

bool validate_gcp_service_account_key(std::string_view secret, std::string_view match) {
  if (!validate_pem_private_key(secret, match)) return false;
  const std::string_view key_id = json_string_field(match, "private_key_id");
  const std::string_view email = json_string_field(match, "client_email");
  const std::size_t at = email.find('@');
  return key_id.size() == 40 && is_lower_hex(key_id) && at != std::string_view::npos && at > 0 &&
         ends_with(email, ".gserviceaccount.com");
}

std::string gcp_private_key_id(std::string_view /*secret*/, std::string_view match) {
  const std::string_view key_id = json_string_field(match, "private_key_id");
  return key_id.size() == 40 && is_lower_hex(key_id) ? std::string(key_id) : std::string();
}

std::string secret_as_identifier(std::string_view secret, std::string_view /*match*/) { return std::string(secret); }

bool validate_pypi_token(std::string_view secret, std::string_view /*match*/) {
  constexpr std::string_view kPrefix = "pypi-";
  if (!starts_with(secret, kPrefix)) return false;
  const auto macaroon = decode_base64(secret.substr(kPrefix.size()), 8 * 1024);
  if (!macaroon || macaroon->size() < 4 || (*macaroon)[0] != 0x02) return false;

  // Fields are (type, length, bytes); version 2 macaroons start with the location (type 1) here,
  // then the identifier (type 2).
  std::size_t at = 1;
  const auto location_type = read_varint(*macaroon, at);
  const auto location_length = read_varint(*macaroon, at);
  if (!location_type || *location_type != 1 || !location_length || *location_length > macaroon->size() - at) {
    return false;
  }
  const std::string_view location = std::string_view(*macaroon).substr(at, *location_length);
  if (location != "pypi.org" && location != "test.pypi.org") return false;
  at += *location_length;
  const auto identifier_type = read_varint(*macaroon, at);
  const auto identifier_length = read_varint(*macaroon, at);
  return identifier_type && *identifier_type == 2 && identifier_length && *identifier_length > 0 &&
         *identifier_length <= macaroon->size() - at;
}

bool validate_basic_credentials(std::string_view secret, std::string_view /*match*/) {
  const auto decoded = decode_base64(secret, 1024);
  if (!decoded || !is_printable_text(*decoded)) return false;
  const std::size_t colon = decoded->find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= decoded->size()) return false;
  return !is_placeholder(std::string_view(*decoded).substr(colon + 1));
}

bool validate_discord_bot_token(std::string_view secret, std::string_view /*match*/) {
  const auto user_id = decode_base64(secret.substr(0, secret.find('.')), 64);
  if (!user_id || user_id->size() < 17 || user_id->size() > 20) return false;
  for (char c : *user_id) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool validate_sentry_org_token(std::string_view secret, std::string_view /*match*/) {
  constexpr std::string_view kPrefix = "sntrys_";
  const std::size_t last = secret.rfind('_');
  if (!starts_with(secret, kPrefix) || last == std::string_view::npos || last <= kPrefix.size()) return false;
  return decodes_to_json_object(secret.substr(kPrefix.size(), last - kPrefix.size()));
}

bool validate_onepassword_service_account_token(std::string_view secret, std::string_view /*match*/) {
  constexpr std::string_view kPrefix = "ops_";
  return starts_with(secret, kPrefix) && decodes_to_json_object(secret.substr(kPrefix.size()));
}

bool validate_grafana_api_key(std::string_view secret, std::string_view /*match*/) {
  const auto decoded = decode_base64(secret, 4 * 1024);
  if (!decoded) return false;
  const nlohmann::json parsed = nlohmann::json::parse(*decoded, nullptr, /*allow_exceptions=*/false);
  return !parsed.is_discarded() && parsed.is_object() && parsed.contains("k");
}

bool validate_azure_sas_signature(std::string_view secret, std::string_view /*match*/) {
  const auto unescaped = decode_percent(secret);
  if (!unescaped) return false;
  const auto signature = decode_base64(*unescaped, 64);
  return signature && signature->size() == 32;
}

}  // namespace keyward::secrets
