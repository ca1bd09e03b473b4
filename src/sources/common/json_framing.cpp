#include "sources/common/json_framing.hpp"

#include <array>
#include <cstring>

namespace keyward::sources {
namespace {

constexpr std::string_view kRecordsKey = "\"Records\"";

// Bytes the container scanner must stop at; everything else is skipped in a tight loop.
constexpr std::array<bool, 256> make_stop_table() {
  std::array<bool, 256> table{};
  for (unsigned char c : {'"', '{', '}', '[', ']'}) table[c] = true;
  return table;
}
constexpr std::array<bool, 256> kContainerStops = make_stop_table();

bool is_whitespace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

bool ends_scalar(char c) { return is_whitespace(c) || c == ',' || c == ']' || c == '}' || c == ':'; }

Frame frame_scalar(std::string_view data, size_t pos) {
  Frame frame{pos, pos, FrameStatus::complete};
  const char first = data[pos];
  if (first == '"') {
    const size_t end = skip_string(data, pos + 1);
    frame.end = end == std::string_view::npos ? data.size() : end;
    if (end == std::string_view::npos) frame.status = FrameStatus::truncated;
    return frame;
  }
  if (ends_scalar(first)) {
    frame.end = pos + 1;
    frame.status = FrameStatus::empty;
    return frame;
  }
  size_t end = pos + 1;
  while (end < data.size() && !ends_scalar(data[end])) ++end;
  frame.end = end;
  return frame;
}

}  // namespace

size_t skip_whitespace(std::string_view data, size_t pos) {
  while (pos < data.size() && is_whitespace(data[pos])) ++pos;
  return pos;
}

size_t skip_string(std::string_view data, size_t pos) {
  const char* base = data.data();
  size_t search = pos;
  while (search < data.size()) {
    const void* found = std::memchr(base + search, '"', data.size() - search);
    if (found == nullptr) return std::string_view::npos;
    const size_t quote = static_cast<size_t>(static_cast<const char*>(found) - base);
    // The quote is escaped when an odd number of backslashes precede it.
    size_t backslashes_begin = quote;
    while (backslashes_begin > pos && data[backslashes_begin - 1] == '\\') --backslashes_begin;
    if ((quote - backslashes_begin) % 2 == 0) return quote + 1;
    search = quote + 1;
  }
  return std::string_view::npos;
}

Frame frame_value(std::string_view data, size_t pos, int max_depth, int depth) {
  if (depth == 0 && data[pos] != '{' && data[pos] != '[') return frame_scalar(data, pos);

  Frame frame{pos, data.size(), FrameStatus::truncated};
  bool too_deep = false;
  size_t i = pos;
  const size_t size = data.size();
  while (i < size) {
    const char c = data[i];
    if (!kContainerStops[static_cast<unsigned char>(c)]) {
      ++i;
      continue;
    }
    if (c == '"') {
      i = skip_string(data, i + 1);
      if (i == std::string_view::npos) return frame;
      continue;
    }
    ++i;
    if (c == '{' || c == '[') {
      if (++depth > max_depth) too_deep = true;
      continue;
    }
    if (--depth == 0) {
      frame.end = i;
      frame.status = too_deep ? FrameStatus::too_deep : FrameStatus::complete;
      return frame;
    }
  }
  return frame;
}

size_t find_leading_records_key(std::string_view data, size_t object_begin) {
  size_t pos = skip_whitespace(data, object_begin + 1);
  if (data.substr(pos, kRecordsKey.size()) != kRecordsKey) return std::string_view::npos;
  pos = skip_whitespace(data, pos + kRecordsKey.size());
  if (pos >= data.size() || data[pos] != ':') return std::string_view::npos;
  return skip_whitespace(data, pos + 1);
}

long long LineCounter::line_at(size_t offset) {
  if (offset < position_) {
    position_ = 0;
    line_ = 1;
  }
  if (offset > data_.size()) offset = data_.size();
  const char* base = data_.data();
  while (position_ < offset) {
    const void* found = std::memchr(base + position_, '\n', offset - position_);
    if (found == nullptr) {
      position_ = offset;
      break;
    }
    position_ = static_cast<size_t>(static_cast<const char*>(found) - base) + 1;
    ++line_;
  }
  return line_;
}

}  // namespace keyward::sources
