#pragma once

// Reads Snowflake query results as rows of named columns, whatever the export: a Snowsight CSV
// download, `snowsql -o output_format=csv|json`, or JSON objects from a log pipeline (Panther
// adds p_* fields). Column names are matched without regard to letter case, because SHOW
// commands name columns in lower case and ACCOUNT_USAGE views in upper case.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "sources/source.hpp"

namespace keyward::sources::snowflake {

inline constexpr std::string_view kPlatform = "snowflake";

class Row {
 public:
  // Adds a column; `name` is lower-cased.
  void add(std::string_view name, std::string value);
  // The value of column `name` (lower case), or "" when it is missing or null.
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const;
  // "true"/"false" (also TRUE, Y, YES, 1, 0), or nullopt when missing or anything else.
  std::optional<bool> flag(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> columns_;
};

struct RowPosition {
  long long offset = -1;
  long long line = -1;
};

using RowHandler = std::function<void(const Row& row, const RowPosition& position)>;

// Calls `handler` for every row of a CSV or JSON input, in input order, and counts the rows in
// ctx.records. Nested JSON values
// (arrays, objects) are passed as minified JSON text. Returns an error only when the input is
// neither. `record_name` names a row in error messages.
core::Status for_each_row(const Input& input, ParseContext& ctx, std::string_view record_name, const RowHandler& handler);

// The column names of the first row of `head` (CSV header or the keys of the first JSON object),
// lower-cased, for detection.
std::vector<std::string> column_names_of(std::string_view head);

// Parses a Snowflake timestamp as exports write it: "2024-10-08 14:38:46.061000000" (no zone,
// read as UTC), "2024-10-08 14:38:46.061 -0700" (the snowsql default), RFC 3339, or epoch
// seconds with an optional fraction.
std::optional<core::UnixTime> parse_snowflake_time(std::string_view text);

}  // namespace keyward::sources::snowflake
