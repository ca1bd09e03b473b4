#pragma once

// Typed reads of Identity and Credential attributes. Sources write the shared keys of namespace
// core::attribute, but an export may carry a string where a list is expected ("a b" scopes) or a
// "true" string for a bool, so the readers accept both shapes.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keyward::inventory {

// Returns the string value of `key`, or "" when it is missing or not a string.
std::string string_attribute(const nlohmann::json& attributes, std::string_view key);

// Returns the strings of an array attribute. A single string counts as a one-element list;
// other element types are skipped.
std::vector<std::string> string_list_attribute(const nlohmann::json& attributes, std::string_view key);

// Returns the bool value of `key`: a JSON bool, or the strings "true"/"false" in any case.
// Missing or other values give std::nullopt.
std::optional<bool> bool_attribute(const nlohmann::json& attributes, std::string_view key);

// Returns `text` in lower case (ASCII only: emails, logins and ids are compared this way).
std::string lower_ascii(std::string_view text);

}  // namespace keyward::inventory
