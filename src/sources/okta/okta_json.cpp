#include "sources/okta/okta_json.hpp"

#include <algorithm>
#include <cctype>

namespace keyward::sources::okta {
namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace

std::optional<simdjson::dom::element> member(simdjson::dom::element object, std::string_view key) {
  simdjson::dom::object fields;
  if (object.get(fields) != simdjson::SUCCESS) return std::nullopt;
  // The exact spelling is the common case and a direct lookup.
  simdjson::dom::element value;
  if (fields[key].get(value) == simdjson::SUCCESS) return value;
  for (auto field : fields) {
    if (equal_ignoring_case(field.key, key)) return field.value;
  }
  return std::nullopt;
}

std::optional<simdjson::dom::element> member_at(simdjson::dom::element object,
                                                std::initializer_list<std::string_view> path) {
  std::optional<simdjson::dom::element> current = object;
  for (std::string_view key : path) {
    current = member(*current, key);
    if (!current) return std::nullopt;
  }
  return current;
}

std::string_view text(simdjson::dom::element object, std::string_view key) {
  auto value = member(object, key);
  std::string_view result;
  if (!value || value->get(result) != simdjson::SUCCESS) return {};
  return result;
}

std::string_view text_at(simdjson::dom::element object, std::initializer_list<std::string_view> path) {
  auto value = member_at(object, path);
  std::string_view result;
  if (!value || value->get(result) != simdjson::SUCCESS) return {};
  return result;
}

std::vector<std::string> strings(simdjson::dom::element object, std::string_view key, size_t max_items) {
  std::vector<std::string> result;
  auto value = member(object, key);
  simdjson::dom::array array;
  if (!value || value->get(array) != simdjson::SUCCESS) return result;
  for (simdjson::dom::element item : array) {
    if (result.size() >= max_items) break;
    std::string_view item_text;
    if (item.get(item_text) == simdjson::SUCCESS) result.emplace_back(item_text);
  }
  return result;
}

TimeField time_field(simdjson::dom::element object, std::string_view key) {
  TimeField field;
  auto value = member(object, key);
  if (!value || value->is_null()) return field;

  std::string_view time_text;
  if (value->get(time_text) == simdjson::SUCCESS) {
    field.raw = std::string(time_text.substr(0, 64));
    if (time_text.empty()) return field;
    field.time = core::parse_time(time_text);
    field.invalid = !field.time.has_value();
    return field;
  }

  // Epoch milliseconds, as some exporters write them. Bounded to years 1970-9999.
  constexpr std::int64_t kMaxMilliseconds = 253402300799000;
  std::int64_t milliseconds = 0;
  double fractional = 0;
  if (value->get(milliseconds) != simdjson::SUCCESS) {
    if (value->get(fractional) != simdjson::SUCCESS || fractional < 0 || fractional > kMaxMilliseconds) {
      field.invalid = true;
      field.raw = "(not a string or number)";
      return field;
    }
    milliseconds = static_cast<std::int64_t>(fractional);
  }
  field.raw = std::to_string(milliseconds);
  if (milliseconds < 0 || milliseconds > kMaxMilliseconds) {
    field.invalid = true;
    return field;
  }
  field.time = milliseconds / 1000;
  return field;
}

bool looks_like_json(std::string_view head) {
  size_t first = head.find_first_not_of(" \t\r\n");
  if (head.substr(0, 3) == "\xEF\xBB\xBF") first = head.find_first_not_of(" \t\r\n", 3);
  return first != std::string_view::npos && (head[first] == '{' || head[first] == '[');
}

bool has_key_ignoring_case(std::string_view head, std::string_view key) {
  std::string lower_head(head);
  std::transform(lower_head.begin(), lower_head.end(), lower_head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string quoted = "\"";
  for (char c : key) quoted.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  quoted.push_back('"');
  size_t pos = 0;
  while ((pos = lower_head.find(quoted, pos)) != std::string::npos) {
    size_t after = lower_head.find_first_not_of(" \t\r\n", pos + quoted.size());
    if (after != std::string::npos && lower_head[after] == ':') return true;
    pos += quoted.size();
  }
  return false;
}

void report(ParseContext& ctx, const Input& input, long long offset, long long line, std::string message) {
  ctx.errors.push_back(RecordError{input.path, offset, line, std::move(message)});
}

}  // namespace keyward::sources::okta
