#include "inventory/attribute_values.hpp"

#include <cctype>

namespace keyward::inventory {

std::string string_attribute(const nlohmann::json& attributes, std::string_view key) {
  if (!attributes.is_object()) return {};
  auto found = attributes.find(key);
  if (found == attributes.end() || !found->is_string()) return {};
  return found->get<std::string>();
}

std::vector<std::string> string_list_attribute(const nlohmann::json& attributes, std::string_view key) {
  std::vector<std::string> values;
  if (!attributes.is_object()) return values;
  auto found = attributes.find(key);
  if (found == attributes.end()) return values;
  if (found->is_string()) {
    if (!found->get_ref<const std::string&>().empty()) values.push_back(found->get<std::string>());
    return values;
  }
  if (!found->is_array()) return values;
  for (const auto& element : *found) {
    if (element.is_string() && !element.get_ref<const std::string&>().empty()) values.push_back(element.get<std::string>());
  }
  return values;
}

std::optional<bool> bool_attribute(const nlohmann::json& attributes, std::string_view key) {
  if (!attributes.is_object()) return std::nullopt;
  auto found = attributes.find(key);
  if (found == attributes.end()) return std::nullopt;
  if (found->is_boolean()) return found->get<bool>();
  if (found->is_string()) {
    const std::string text = lower_ascii(found->get_ref<const std::string&>());
    if (text == "true") return true;
    if (text == "false") return false;
  }
  return std::nullopt;
}

std::string lower_ascii(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lowered;
}

}  // namespace keyward::inventory
