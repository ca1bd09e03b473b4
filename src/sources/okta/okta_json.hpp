#pragma once

// Helpers shared by the Okta sources. Okta's Management API writes camelCase keys, but SIEM
// exports of the System Log (Panther among them) lower-case some of them ("eventtype",
// "securitycontext"), so members are looked up without regard to case.

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "sources/source.hpp"

namespace keyward::sources::okta {

inline constexpr std::string_view kPlatform = "okta";

// Returns the member `key` of `object`, matched without regard to ASCII case, or nullopt when
// `object` is not an object or has no such member. A JSON null member is returned as is.
std::optional<simdjson::dom::element> member(simdjson::dom::element object, std::string_view key);

// Returns the member at `path` (keys matched as in member()), or nullopt.
std::optional<simdjson::dom::element> member_at(simdjson::dom::element object, std::initializer_list<std::string_view> path);

// Returns the string member `key`, or "" when it is missing, null or not a string.
std::string_view text(simdjson::dom::element object, std::string_view key);
std::string_view text_at(simdjson::dom::element object, std::initializer_list<std::string_view> path);

// Returns at most `max_items` string elements of the array member `key`, skipping other elements.
std::vector<std::string> strings(simdjson::dom::element object, std::string_view key, size_t max_items = 256);

// Result of reading a time member.
struct TimeField {
  std::optional<core::UnixTime> time;  // nullopt when missing, null or invalid
  bool invalid = false;                // present, not null, and not a readable time
  std::string raw;                     // the text read, cut to 64 bytes, for error messages
};

// Reads an Okta time: an ISO 8601 string ("2024-07-30T21:53:13.000Z", and the "2021-01-08
// 21:28:34.875" form of SIEM exports, read as UTC) or epoch milliseconds as a number.
TimeField time_field(simdjson::dom::element object, std::string_view key);

// Returns true when the first non-blank character of `head` opens a JSON object or array.
bool looks_like_json(std::string_view head);

// Returns true when `head` contains `key` as a JSON object key, matched without regard to case.
bool has_key_ignoring_case(std::string_view head, std::string_view key);

// Adds a record error at `offset`/`line` of the input.
void report(ParseContext& ctx, const Input& input, long long offset, long long line, std::string message);

}  // namespace keyward::sources::okta
