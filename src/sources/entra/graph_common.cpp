#include "sources/entra/graph_common.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

namespace keyward::sources::entra {
namespace {

// Microsoft Graph documents passwordCredential.hint as the first three characters of the secret.
constexpr size_t kSecretHintLength = 3;

void read_credential_array(simdjson::dom::element record, std::string_view key, std::string_view kind,
                           const std::string& identity_id, std::string_view owner_object, std::string_view source_name,
                           std::vector<core::Credential>& out) {
  simdjson::dom::array items;
  if (record[key].get(items) != simdjson::SUCCESS) return;
  size_t count = 0;
  for (simdjson::dom::element item : items) {
    if (++count > kMaxArrayItems) break;
    if (!item.is_object()) continue;
    const std::string_view key_id = string_or_empty(item, "keyId");
    if (key_id.empty()) continue;

    core::Credential credential;
    credential.platform = std::string(kPlatform);
    credential.id = clipped(key_id, 128);
    credential.identity_id = identity_id;
    credential.kind = std::string(kind);
    credential.created = optional_time(item, "startDateTime");
    credential.last_rotated = credential.created;
    credential.expires = optional_time(item, "endDateTime");
    credential.attributes["source"] = std::string(source_name);
    credential.attributes["object"] = std::string(owner_object);
    const std::string_view display_name = string_or_empty(item, "displayName");
    if (!display_name.empty()) credential.attributes["display_name"] = clipped(display_name);
    if (kind == "entra_client_secret") {
      const std::string_view hint = string_or_empty(item, "hint");
      if (!hint.empty()) credential.attributes["hint"] = std::string(hint.substr(0, kSecretHintLength));
    } else {
      const std::string_view type = string_or_empty(item, "type");
      const std::string_view usage = string_or_empty(item, "usage");
      const std::string_view key_identifier = string_or_empty(item, "customKeyIdentifier");
      if (!type.empty()) credential.attributes["type"] = clipped(type, 64);
      if (!usage.empty()) credential.attributes["usage"] = clipped(usage, 64);
      if (!key_identifier.empty()) credential.attributes["custom_key_identifier"] = clipped(key_identifier, 256);
    }
    out.push_back(std::move(credential));
  }
}

}  // namespace

bool is_microsoft_tenant(std::string_view tenant_id) {
  return tenant_id == kMicrosoftServicesTenant || tenant_id == kMicrosoftCorporateTenant;
}

std::string clipped(std::string_view text, size_t limit) { return std::string(text.substr(0, limit)); }

std::optional<core::UnixTime> optional_time(simdjson::dom::element object, std::string_view key, bool* invalid) {
  std::string_view text;
  if (object[key].get(text) != simdjson::SUCCESS || text.empty()) return std::nullopt;
  auto parsed = core::parse_time(text);
  if (!parsed && invalid != nullptr) *invalid = true;
  return parsed;
}

std::optional<bool> optional_bool(simdjson::dom::element object, std::string_view key) {
  bool value = false;
  if (object[key].get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

std::vector<std::string> string_array(simdjson::dom::element object, std::string_view key) {
  std::vector<std::string> values;
  simdjson::dom::array items;
  if (object[key].get(items) != simdjson::SUCCESS) return values;
  for (simdjson::dom::element item : items) {
    if (values.size() >= kMaxArrayItems) break;
    std::string_view text;
    if (item.get(text) == simdjson::SUCCESS) values.push_back(clipped(text));
  }
  return values;
}

void report(ParseContext& ctx, const Input& input, const RecordPosition& position, std::string message) {
  ctx.errors.push_back(RecordError{input.path, position.offset, position.line, std::move(message)});
}

void read_password_and_key_credentials(simdjson::dom::element record, const std::string& identity_id,
                                       std::string_view owner_object, std::string_view source_name,
                                       std::vector<core::Credential>& out) {
  read_credential_array(record, "passwordCredentials", "entra_client_secret", identity_id, owner_object, source_name, out);
  read_credential_array(record, "keyCredentials", "entra_certificate", identity_id, owner_object, source_name, out);
}

std::string vendor_name(std::string_view publisher) {
  static constexpr std::array<std::string_view, 12> kSuffixes = {
      ", Inc.", ", Inc", " Inc.", " Inc", ", LLC", " LLC", " Ltd.", " Ltd", " Corporation", " Corp.", " GmbH", " B.V."};
  std::string name(publisher.substr(0, kMaxTextBytes));
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.pop_back();
  for (std::string_view suffix : kSuffixes) {
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      name.resize(name.size() - suffix.size());
      break;
    }
  }
  return name;
}

JsonRecordOptions graph_record_options(std::string_view record_name) {
  JsonRecordOptions options;
  options.envelope_keys = {"value"};
  options.record_name = record_name;
  return options;
}

bool starts_like_json(std::string_view head) {
  size_t first = 0;
  if (head.substr(0, 3) == "\xEF\xBB\xBF") first = 3;
  first = head.find_first_not_of(" \t\r\n", first);
  return first != std::string_view::npos && (head[first] == '{' || head[first] == '[');
}

}  // namespace keyward::sources::entra
