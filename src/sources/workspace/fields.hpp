#pragma once

// Field readers shared by the Workspace sources: Google's JSON mixes booleans, strings and
// int64-as-string, and GAM's CSV writes booleans as True/False.

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keyward::sources::workspace {

inline constexpr std::string_view kPlatform = "workspace";
inline constexpr std::string_view kAppKind = "workspace_oauth_app";
inline constexpr std::string_view kUserKind = "workspace_user";

// Lower-cases an email address, as Google compares them case-insensitively.
inline std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Reads "true"/"false" in any letter case, as GAM and the Reports API write booleans as text.
inline std::optional<bool> parse_bool_text(std::string_view text) {
  const std::string folded = lower(text);
  if (folded == "true" || folded == "yes" || folded == "1") return true;
  if (folded == "false" || folded == "no" || folded == "0") return false;
  return std::nullopt;
}

// Reads a JSON boolean, or a string holding one; nullopt when missing, null or anything else.
inline std::optional<bool> json_bool(simdjson::dom::element object, std::string_view key) {
  simdjson::dom::element value;
  if (object[key].get(value) != simdjson::SUCCESS) return std::nullopt;
  bool flag = false;
  if (value.get(flag) == simdjson::SUCCESS) return flag;
  std::string_view text;
  if (value.get(text) == simdjson::SUCCESS) return parse_bool_text(text);
  return std::nullopt;
}

// Reads a string, or a number written as text (Google sends int64 fields as strings, but
// re-serializing tools sometimes turn them into numbers). "" when missing or null.
inline std::string json_text(simdjson::dom::element object, std::string_view key) {
  simdjson::dom::element value;
  if (object[key].get(value) != simdjson::SUCCESS) return {};
  std::string_view text;
  if (value.get(text) == simdjson::SUCCESS) return std::string(text);
  int64_t integer = 0;
  if (value.get(integer) == simdjson::SUCCESS) return std::to_string(integer);
  uint64_t unsigned_integer = 0;
  if (value.get(unsigned_integer) == simdjson::SUCCESS) return std::to_string(unsigned_integer);
  bool flag = false;
  if (value.get(flag) == simdjson::SUCCESS) return flag ? "true" : "false";
  return {};
}

// Inserts `value` into a sorted, duplicate-free list, up to `max_size` entries.
inline void add_unique(std::vector<std::string>& list, std::string value, size_t max_size = 10000) {
  if (value.empty()) return;
  auto at = std::lower_bound(list.begin(), list.end(), value);
  if (at != list.end() && *at == value) return;
  if (list.size() >= max_size) return;
  list.insert(at, std::move(value));
}

// Splits a list that an export wrote into one field, separated by spaces or commas.
inline std::vector<std::string> split_list(std::string_view text, size_t max_items = 256) {
  std::vector<std::string> items;
  size_t position = 0;
  while (position < text.size() && items.size() < max_items) {
    const size_t end = std::min(text.find_first_of(" ,\t\r\n", position), text.size());
    if (end > position) items.emplace_back(text.substr(position, end - position));
    position = end + 1;
  }
  return items;
}

}  // namespace keyward::sources::workspace
