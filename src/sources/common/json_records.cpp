#include "sources/common/json_records.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sources/common/json_framing.hpp"

namespace keyward::sources {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string_view next_line(std::string_view data, size_t begin, size_t& next) {
  if (begin >= data.size()) {
    next = data.size() + 1;
    return {};
  }
  size_t end = data.find('\n', begin);
  if (end == std::string_view::npos) end = data.size();
  next = end + 1;
  std::string_view line = data.substr(begin, end - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Walks the framings listed in json_records.hpp. One instance reads one input.
class RecordReader {
 public:
  RecordReader(const Input& input, ParseContext& ctx, const JsonRecordOptions& options, const JsonRecordHandler& handler)
      : input_(input), data_(input.data), ctx_(ctx), options_(options), handler_(handler), lines_(input.data) {}

  core::Status run() {
    size_t begin = data_.substr(0, kUtf8Bom.size()) == kUtf8Bom ? kUtf8Bom.size() : 0;
    if (skip_whitespace(data_, begin) >= data_.size()) {
      core::Error error = core::make_error(core::ErrorCode::invalid_input, "the input is empty; expected JSON");
      error.file = input_.path;
      return error;
    }
    if (looks_like_json_lines(begin)) {
      // Each line is read on its own so a cut line cannot swallow the lines after it.
      size_t next = begin;
      while (next < data_.size() && !stopped_) {
        const size_t line_begin = next;
        const std::string_view line = next_line(data_, line_begin, next);
        if (skip_whitespace(line, 0) >= line.size()) continue;
        read_values(line_begin, line_begin + line.size());
      }
    } else {
      read_values(begin, data_.size());
    }
    return {};
  }

 private:
  bool looks_like_json_lines(size_t begin) const {
    size_t next = begin;
    const std::string_view first = next_line(data_, next, next);
    const std::string_view second = next_line(data_, next, next);
    if (first.size() < 2 || second.size() < 2 || first.front() != '{' || second.front() != '{') return false;
    return first.back() == '}' || second.back() == '}';
  }

  void report(size_t offset, std::string message) {
    ctx_.errors.push_back(RecordError{input_.path, static_cast<long long>(offset),
                                      lines_.line_at(offset), std::move(message)});
  }

  void read_values(size_t begin, size_t end) {
    const std::string_view range = data_.substr(0, end);
    size_t pos = skip_whitespace(range, begin);
    while (pos < end && !stopped_) {
      pos = read_top_level_value(range, pos);
      pos = skip_whitespace(range, pos);
    }
  }

  size_t read_top_level_value(std::string_view range, size_t pos) {
    if (range[pos] == '[') return read_array(range, pos);
    if (range[pos] != '{') {
      // Skip the rest of the line, so a line of stray text gives one error, not one per word.
      report(pos, fmt::format("unexpected text where a JSON object or array should start (expected one JSON object per {}); "
                              "the rest of the line was skipped",
                              options_.record_name));
      const size_t line_end = range.find('\n', pos);
      return line_end == std::string_view::npos ? range.size() : line_end + 1;
    }
    const Frame frame = frame_value(range, pos, options_.max_depth);
    if (frame.status != FrameStatus::complete || options_.envelope_keys.empty()) {
      read_record(range, frame);
      return frame.end;
    }
    std::vector<size_t> arrays = envelope_arrays(range, frame);
    if (arrays.empty()) {
      read_record(range, frame);
      return frame.end;
    }
    for (size_t array : arrays) {
      if (stopped_) break;
      read_array(range.substr(0, frame.end), array);
    }
    return frame.end;
  }

  // Returns the positions of the '[' of every envelope key's array value in the object `frame`.
  std::vector<size_t> envelope_arrays(std::string_view range, const Frame& frame) const {
    std::vector<size_t> arrays;
    const std::string_view object = range.substr(0, frame.end);
    size_t pos = skip_whitespace(object, frame.begin + 1);
    while (pos < object.size() && object[pos] == '"') {
      const size_t key_end = skip_string(object, pos + 1);
      if (key_end == std::string_view::npos) break;
      const std::string_view key = object.substr(pos + 1, key_end - pos - 2);
      pos = skip_whitespace(object, key_end);
      if (pos >= object.size() || object[pos] != ':') break;
      pos = skip_whitespace(object, pos + 1);
      if (pos >= object.size()) break;
      const bool is_envelope_key = std::find(options_.envelope_keys.begin(), options_.envelope_keys.end(), key) !=
                          options_.envelope_keys.end();
      if (is_envelope_key && object[pos] == '[') arrays.push_back(pos);
      const Frame value = frame_value(object, pos, options_.max_depth);
      pos = skip_whitespace(object, value.end);
      if (pos < object.size() && object[pos] == ',') pos = skip_whitespace(object, pos + 1);
    }
    return arrays;
  }

  size_t read_array(std::string_view range, size_t open_bracket) {
    size_t pos = open_bracket + 1;
    while (!stopped_) {
      pos = skip_whitespace(range, pos);
      if (pos >= range.size()) {
        report(pos, "the input ends before the closing ']' of the record array (was the file cut short?)");
        if (range.size() == data_.size()) stopped_ = true;
        return range.size();
      }
      if (range[pos] == ']') return pos + 1;
      if (range[pos] == ',') {
        report(pos, "empty element in the record array (two commas in a row); it was skipped");
        ++pos;
        continue;
      }
      const Frame frame = frame_value(range, pos, options_.max_depth);
      read_record(range, frame);
      pos = skip_whitespace(range, std::max(frame.end, pos + 1));
      if (pos < range.size() && range[pos] == ',') ++pos;
    }
    return range.size();
  }

  void read_record(std::string_view range, const Frame& frame) {
    switch (frame.status) {
      case FrameStatus::truncated:
        if (range.size() < data_.size()) {
          report(frame.begin, fmt::format("the line ends inside this {}, so it was skipped; put each record on one line",
                                          options_.record_name));
          return;
        }
        report(frame.begin, fmt::format("the input ends inside this {} (was the file cut short?); records before it were read",
                                        options_.record_name));
        stopped_ = true;
        return;
      case FrameStatus::too_deep:
        report(frame.begin, fmt::format("{} nests deeper than {} levels; it was skipped", options_.record_name,
                                        options_.max_depth));
        return;
      case FrameStatus::empty:
        report(frame.begin, fmt::format("unexpected '{}' where a {} should start", range[frame.begin], options_.record_name));
        return;
      case FrameStatus::complete:
        break;
    }
    if (range[frame.begin] != '{') {
      report(frame.begin, fmt::format("array element is not a JSON object, so it is not a {}; it was skipped",
                                      options_.record_name));
      return;
    }
    const size_t size = frame.end - frame.begin;
    if (size > options_.max_record_bytes) {
      report(frame.begin, fmt::format("{} is {} bytes, more than the {}-byte limit; it was skipped", options_.record_name,
                                      size, options_.max_record_bytes));
      return;
    }
    // The input buffer is padded (see Input), so the bytes after the record are readable.
    simdjson::dom::element element;
    const auto error = parser_.parse(data_.data() + frame.begin, size, false).get(element);
    if (error != simdjson::SUCCESS) {
      report(frame.begin, fmt::format("{} is not valid JSON ({}); it was skipped", options_.record_name,
                                      simdjson::error_message(error)));
      return;
    }
    ++ctx_.records;
    handler_(element, RecordPosition{static_cast<long long>(frame.begin), lines_.line_at(frame.begin)});
  }

  const Input& input_;
  std::string_view data_;
  ParseContext& ctx_;
  const JsonRecordOptions& options_;
  const JsonRecordHandler& handler_;
  LineCounter lines_;
  simdjson::dom::parser parser_;
  bool stopped_ = false;
};

}  // namespace

core::Status for_each_json_record(const Input& input, ParseContext& ctx, const JsonRecordOptions& options,
                                  const JsonRecordHandler& handler) {
  RecordReader reader(input, ctx, options, handler);
  return reader.run();
}

bool has_json_key(std::string_view head, std::string_view key) {
  size_t search = 0;
  while (true) {
    const size_t found = head.find(key, search);
    if (found == std::string_view::npos) return false;
    search = found + 1;
    if (found == 0 || head[found - 1] != '"') continue;
    size_t after = found + key.size();
    if (after >= head.size() || head[after] != '"') continue;
    after = skip_whitespace(head, after + 1);
    if (after < head.size() && head[after] == ':') return true;
  }
}

std::string_view string_or_empty(simdjson::dom::element object, std::string_view key) {
  std::string_view value;
  if (object[key].get(value) != simdjson::SUCCESS) return {};
  return value;
}

}  // namespace keyward::sources
