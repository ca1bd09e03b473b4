#include "sources/slack/slack_common.hpp"

#include <charconv>

namespace keyward::sources::slack {

std::optional<core::UnixTime> slack_time(simdjson::dom::element value) {
  int64_t integer = 0;
  if (value.get(integer) == simdjson::SUCCESS) return integer;
  uint64_t unsigned_integer = 0;
  if (value.get(unsigned_integer) == simdjson::SUCCESS) {
    if (unsigned_integer > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<core::UnixTime>(unsigned_integer);
  }
  double number = 0;
  if (value.get(number) == simdjson::SUCCESS) {
    if (!(number >= 0 && number < 1e13)) return std::nullopt;
    return static_cast<core::UnixTime>(number);
  }
  std::string_view text;
  if (value.get(text) != simdjson::SUCCESS || text.empty()) return std::nullopt;
  // Some Slack methods write epoch seconds as a string, with a fraction ("1623190575.000200").
  const std::string_view whole = text.substr(0, text.find('.'));
  core::UnixTime seconds = 0;
  const auto [end, error] = std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
  if (error == std::errc() && end == whole.data() + whole.size() && !whole.empty()) return seconds;
  return core::parse_time(text);
}

std::string_view id_or_string(simdjson::dom::element object, std::string_view key) {
  simdjson::dom::element member;
  if (object[key].get(member) != simdjson::SUCCESS) return {};
  std::string_view text;
  if (member.get(text) == simdjson::SUCCESS) return text;
  if (member.is_object() && member["id"].get(text) == simdjson::SUCCESS) return text;
  return {};
}

void add_unique(nlohmann::json& array, std::string_view value) {
  if (value.empty()) return;
  if (!array.is_array()) array = nlohmann::json::array();
  if (array.size() >= kMaxListEntries) return;
  for (const auto& existing : array) {
    if (existing.is_string() && existing.get_ref<const std::string&>() == value) return;
  }
  array.push_back(std::string(value));
}

core::Identity make_app(std::string_view id, std::string_view name) {
  core::Identity identity;
  identity.platform = std::string(kPlatform);
  identity.id = std::string(id);
  identity.kind = std::string(kAppKind);
  identity.name = std::string(name);
  identity.classification = core::Classification::machine;
  identity.classification_reason = "Slack app";
  return identity;
}

}  // namespace keyward::sources::slack
