#pragma once

// Finds where JSON values begin and end without parsing them, so that each record
// can be parsed (and rejected) on its own. The scanner understands strings, escapes and
// bracket nesting only. Full validation happens when simdjson parses the framed record.

#include <cstddef>
#include <string_view>

namespace keyward::sources {

enum class FrameStatus {
  complete,   // the value ends inside the data
  truncated,  // the data ends inside the value
  too_deep,   // the value nests deeper than the depth limit (its end was still found)
  empty,      // no value at this position: a stray ',', ':', ']' or '}'
};

struct Frame {
  size_t begin = 0;
  size_t end = 0;  // one past the last byte of the value, or data.size() when truncated
  FrameStatus status = FrameStatus::complete;
};

// Returns the position of the first byte at or after `pos` that is not JSON whitespace.
size_t skip_whitespace(std::string_view data, size_t pos);

// Returns the position after the closing quote of the string whose opening quote is at
// `pos - 1`, or std::string_view::npos when the data ends inside the string.
size_t skip_string(std::string_view data, size_t pos);

// Frames the JSON value that starts at `pos` (a non-whitespace byte). `depth` is the nesting
// depth already open at `pos`: 0 for a whole value, 1 to find the end of an object or array
// whose opening bracket was already passed. Containers nested deeper than `max_depth` are
// reported as too_deep.
Frame frame_value(std::string_view data, size_t pos, int max_depth, int depth = 0);

// If the object starting at `object_begin` has "Records" as its first key, returns the position
// of that key's value; otherwise returns std::string_view::npos.
size_t find_leading_records_key(std::string_view data, size_t object_begin);

// Counts 1-based line numbers for byte offsets that only move forward, so reporting the line of
// each bad record costs one pass over the data in total.
class LineCounter {
 public:
  explicit LineCounter(std::string_view data) : data_(data) {}

  // Returns the line that contains `offset`. Offsets below an earlier call restart the count.
  long long line_at(size_t offset);

 private:
  std::string_view data_;
  size_t position_ = 0;
  long long line_ = 1;
};

}  // namespace keyward::sources
