#pragma once

// Splits a JSON export into records, whatever framing the exporting tool used, so each platform
// source only converts one record at a time. Accepted framings:
//   [ {...}, {...} ]                         a top-level array (gcloud --format=json, SOQL tools)
//   {"value": [ ... ], "@odata.nextLink": …}  an envelope object with the records under a key
//                                            (Microsoft Graph pages, Azure diagnostic "records")
//   {...}\n{...}\n                           JSON lines or concatenated values, for example one
//                                            page of API output per line
//   {...}                                    a single object without an envelope key
// Each framing may repeat, so several pages concatenated into one file are read in order.

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/result.hpp"
#include "sources/source.hpp"

namespace keyward::sources {

struct JsonRecordOptions {
  // Keys of an envelope object whose array value contains the records, e.g. {"value"} for
  // Microsoft Graph. An object with none of these keys is one record.
  std::vector<std::string_view> envelope_keys;
  // What a record is called in error messages, e.g. "service account".
  std::string_view record_name = "record";
  size_t max_record_bytes = 16 * 1024 * 1024;
  int max_depth = 64;
};

// Start of a record: byte offset into the input and its 1-based line.
struct RecordPosition {
  long long offset = -1;
  long long line = -1;
};

using JsonRecordHandler = std::function<void(simdjson::dom::element record, const RecordPosition& position)>;

// Calls `handler` for every JSON object record of the input, in input order. Framing problems,
// invalid JSON and array elements that are not objects go to ctx.errors with their offset and
// line, and reading continues with the next record. Returns an error only when the input contains
// no JSON value at all. The element passed to `handler` is valid only during the call.
core::Status for_each_json_record(const Input& input, ParseContext& ctx, const JsonRecordOptions& options,
                                  const JsonRecordHandler& handler);

// Returns true when `head` (the first bytes of an input) contains `key` as a JSON object key,
// that is, the quoted string followed by optional whitespace and ':'. Sources combine a few such
// keys to detect their format.
bool has_json_key(std::string_view head, std::string_view key);

// Reads an optional string member: returns "" when the member is missing, null or not a string.
std::string_view string_or_empty(simdjson::dom::element object, std::string_view key);

}  // namespace keyward::sources
