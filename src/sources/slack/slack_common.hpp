#pragma once

// Helpers shared by the Slack sources.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "core/model.hpp"
#include "core/time.hpp"

namespace keyward::sources::slack {

inline constexpr std::string_view kPlatform = "slack";
inline constexpr std::string_view kAppKind = "slack_app";

// Maximum entries kept in one identity's list attribute (scopes, connected_by), so a hostile
// input cannot grow one identity without bound.
inline constexpr size_t kMaxListEntries = 1000;

// Reads a Slack time: epoch seconds as a number or a string of digits ("1623190575"), or a
// date-time text ("2021-06-08 22:16:15", as log pipelines rewrite it). nullopt otherwise.
std::optional<core::UnixTime> slack_time(simdjson::dom::element value);

// Returns the member as text when it is a string, or the "id" of an object member ("team" is
// either form in admin API responses); "" otherwise.
std::string_view id_or_string(simdjson::dom::element object, std::string_view key);

// Appends `value` to the JSON string array `array` when not empty, not present and below
// kMaxListEntries entries.
void add_unique(nlohmann::json& array, std::string_view value);

// A Slack app identity with the fields every Slack source sets the same way.
core::Identity make_app(std::string_view id, std::string_view name);

}  // namespace keyward::sources::slack
