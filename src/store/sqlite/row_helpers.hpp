#pragma once

// Helpers shared by the SqliteStore source files for reading columns and reporting errors.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "core/model.hpp"
#include "core/result.hpp"

namespace keyward::store::sqlite {

inline core::Error store_error(std::string_view what, std::string_view detail) {
  return core::make_error(core::ErrorCode::store_error, fmt::format("{} failed: {}", what, detail));
}

// Parses a JSON column, tolerating corruption: a bad value reads as `fallback`.
inline nlohmann::json parse_json_column(const std::string& text, nlohmann::json fallback) {
  nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
  return value.is_discarded() ? fallback : value;
}

// Reads a status column written with core::to_string; anything else reads as open.
inline core::FindingStatus parse_status(std::string_view text) {
  if (text == "acknowledged") return core::FindingStatus::acknowledged;
  if (text == "resolved") return core::FindingStatus::resolved;
  if (text == "muted") return core::FindingStatus::muted;
  return core::FindingStatus::open;
}

}  // namespace keyward::store::sqlite
