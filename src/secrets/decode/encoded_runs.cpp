// find_encoded: one linear pass per encoding (standard base64, URL-safe base64, percent-encoding,
// JSON string escapes) over the text, with the decoded output bounded by DecodeLimits.

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "secrets/decode/alphabet_runs.hpp"
#include "secrets/decode/content.hpp"
#include "secrets/decode/utf8.hpp"

namespace keyward::secrets {

namespace {

using namespace std::string_view_literals;

constexpr std::string_view kBase64 = "base64";
constexpr std::string_view kPercent = "percent";
constexpr std::string_view kJsonEscape = "json-escape";

// Base64 tools wrap lines at 64 (PEM, openssl) or 76 (base64, MIME) characters. A run continues on
// the next line only after a full-looking line: at least this long and a multiple of 4.
constexpr std::size_t kMinWrappedLine = 48;
// A run is also tried from just after its first few '/' or '+' (or '-' or '_') characters, so a
// path or name glued to the front of base64 ("secrets/c2VjcmV0...") does not hide it.
constexpr std::size_t kMaxRunStarts = 8;
// Encoded characters decoded first to reject a run early; rejected runs cost no more than this.
constexpr std::size_t kProbeChars = 256;

using DecodeTable = std::array<std::int8_t, 256>;

constexpr DecodeTable make_base64_table(char char62, char char63) {
  DecodeTable table{};
  for (auto& value : table) value = -1;
  for (int i = 0; i < 26; ++i) {
    table['A' + i] = static_cast<std::int8_t>(i);
    table['a' + i] = static_cast<std::int8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i) table['0' + i] = static_cast<std::int8_t>(52 + i);
  table[static_cast<unsigned char>(char62)] = 62;
  table[static_cast<unsigned char>(char63)] = 63;
  return table;
}

constexpr DecodeTable kStandardTable = make_base64_table('+', '/');
constexpr DecodeTable kUrlSafeTable = make_base64_table('-', '_');

constexpr std::array<bool, 256> make_url_char_table() {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (const char c : "-._~:/?#[]@!$&()*+,;=%"sv) table[static_cast<unsigned char>(c)] = true;
  return table;
}

constexpr std::array<bool, 256> kUrlChar = make_url_char_table();

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Collects spans in the order found, within the byte and count limits.
class SpanCollector {
 public:
  explicit SpanCollector(const DecodeLimits& limits) : limits_(limits) {}

  bool full() const { return full_; }
  std::size_t bytes_left() const { return limits_.max_decoded_bytes - decoded_bytes_; }

  bool add(std::size_t begin, std::size_t end, std::string text, std::string_view encoding) {
    if (full_) return false;
    if (spans_.size() >= limits_.max_spans || text.size() > bytes_left()) {
      full_ = true;
      return false;
    }
    decoded_bytes_ += text.size();
    spans_.push_back(DecodedSpan{begin, end, std::move(text), encoding});
    return true;
  }

  // Ends the standard base64 pass, whose spans were added in order of `begin`.
  void end_standard_pass() { standard_end_ = spans_.size(); }

  // Drops standard base64 spans inside [begin, end): a URL-safe run there was split at its '-'
  // and '_' by the standard pass, and its pieces repeat what the whole run decodes to.
  void drop_standard_inside(std::size_t begin, std::size_t end) {
    const auto first = spans_.begin();
    const auto last = first + static_cast<std::ptrdiff_t>(standard_end_);
    auto it = std::lower_bound(first, last, begin, [](const DecodedSpan& span, std::size_t value) { return span.begin < value; });
    for (; it != last && it->begin < end; ++it) {
      if (it->end > end || it->encoding.empty()) continue;
      decoded_bytes_ -= it->text.size();
      it->text.clear();
      it->encoding = {};
    }
  }

  std::vector<DecodedSpan> take() {
    std::erase_if(spans_, [](const DecodedSpan& span) { return span.encoding.empty(); });
    std::stable_sort(spans_.begin(), spans_.end(),
                     [](const DecodedSpan& a, const DecodedSpan& b) { return a.begin < b.begin; });
    return std::move(spans_);
  }

 private:
  const DecodeLimits& limits_;
  std::vector<DecodedSpan> spans_;
  std::size_t standard_end_ = 0;
  std::size_t decoded_bytes_ = 0;
  bool full_ = false;
};

// Returns the length of a valid UTF-8 sequence of two or more bytes at `offset`, or 0.
std::size_t utf8_sequence_length(std::string_view bytes, std::size_t offset) {
  const auto lead = static_cast<unsigned char>(bytes[offset]);
  std::size_t length = 0;
  if (lead >= 0xC2 && lead <= 0xDF) length = 2;
  else if (lead >= 0xE0 && lead <= 0xEF) length = 3;
  else if (lead >= 0xF0 && lead <= 0xF4) length = 4;
  if (length == 0 || offset + length > bytes.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((static_cast<unsigned char>(bytes[offset + i]) & 0xC0) != 0x80) return 0;
  }
  return length;
}

// Counts bytes that are not printable ASCII, tab, line breaks or part of valid UTF-8, looking at
// characters that start before offset `stop`.
std::size_t count_unprintable(std::string_view bytes, std::size_t stop = std::string_view::npos) {
  std::size_t bad = 0;
  std::size_t i = 0;
  while (i < std::min(bytes.size(), stop)) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      const bool ok = (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r';
      if (!ok) ++bad;
      ++i;
      continue;
    }
    const std::size_t length = utf8_sequence_length(bytes, i);
    if (length == 0) {
      ++bad;
      ++i;
    } else {
      i += length;
    }
  }
  return bad;
}

// Returns decoded bytes as text to scan: UTF-16 becomes UTF-8, and anything not mostly printable
// (binary such as DER keys or compressed data) is rejected. PEM and JSON are printable text.
// The first bytes must be clean: decoding from a wrong offset ("kv/prod/c2Vj...") puts garbage
// there, and trying the next start finds the real run.
std::optional<std::string> as_text(std::string bytes) {
  constexpr std::size_t kCleanPrefix = 4;
  const ContentKind kind = classify_content(bytes);
  if (kind == ContentKind::utf16le || kind == ContentKind::utf16be) {
    bytes = utf16_to_utf8(bytes, kind == ContentKind::utf16le);
  }
  if (count_unprintable(bytes, kCleanPrefix) != 0) return std::nullopt;
  if (count_unprintable(bytes) * 10 > bytes.size() || bytes.empty()) return std::nullopt;
  return bytes;
}

// Returns whether the first decoded bytes of `encoded` can begin text, without allocating. Most
// base64-alphabet runs in source code (identifiers, paths) decode to control bytes or broken UTF-8
// right away. Bytes with a NUL or a byte-order mark may be UTF-16 and are left to
// as_text, which applies the same clean-prefix rule after converting them.
bool may_decode_to_text(std::string_view encoded, const DecodeTable& table) {
  constexpr std::size_t kPrefixChars = 12;  // 9 bytes: the 4-byte clean prefix and a UTF-8 tail
  std::array<char, 9> bytes{};
  std::size_t count = 0;
  std::uint32_t bits = 0;
  int bit_count = 0;
  for (std::size_t i = 0; i < encoded.size() && i < kPrefixChars; ++i) {
    const std::int8_t value = table[static_cast<unsigned char>(encoded[i])];
    if (value < 0) continue;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      bytes[count++] = static_cast<char>((bits >> bit_count) & 0xFF);
    }
  }
  const std::string_view prefix(bytes.data(), count);
  if (prefix.find('\0') != std::string_view::npos) return true;
  if (count > 0 && (static_cast<unsigned char>(prefix[0]) == 0xFF || static_cast<unsigned char>(prefix[0]) == 0xFE)) {
    return true;
  }
  return count_unprintable(prefix, 4) == 0;
}

// Returns the offset of the first `a` or `b` in text[from, to), or `to`.
std::size_t find_either(std::string_view text, std::size_t from, std::size_t to, char a, char b) {
  for (std::size_t i = from; i < to; ++i) {
    if (text[i] == a || text[i] == b) return i;
  }
  return to;
}

// Decodes the alphabet characters of `encoded`, skipping line breaks and indentation. Trailing
// bits that do not fill a byte are dropped, which also ignores a final lone character.
std::string decode_base64(std::string_view encoded, const DecodeTable& table) {
  std::string out;
  out.reserve(encoded.size() / 4 * 3 + 3);
  std::uint32_t bits = 0;
  int bit_count = 0;
  for (const char ch : encoded) {
    const std::int8_t value = table[static_cast<unsigned char>(ch)];
    if (value < 0) continue;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out.push_back(static_cast<char>((bits >> bit_count) & 0xFF));
    }
  }
  return out;
}

class Base64Finder {
 public:
  Base64Finder(std::string_view text, bool url_safe, const DecodeLimits& limits, SpanCollector& spans)
      : text_(text),
        table_(url_safe ? kUrlSafeTable : kStandardTable),
        separator_a_(url_safe ? '-' : '+'),
        separator_b_(url_safe ? '_' : '/'),
        url_safe_(url_safe),
        limits_(limits),
        spans_(spans) {}

  // Decodes the runs that start inside `regions`: the long runs of the union of both base64
  // alphabets, which contain every run of this pass's alphabet that is long enough.
  void run(const std::vector<ByteRange>& regions) {
    // Inside a region the search skips ahead: it checks the last character of a minimum-length
    // window first and steps backwards, and a character outside this pass's alphabet moves the
    // window past itself. The character before a window that is all alphabet is outside the
    // alphabet (or starts the region), so such a window starts a maximal run.
    const std::size_t min_length = std::max<std::size_t>(limits_.min_base64_length, 1);
    std::size_t i = 0;
    for (const ByteRange& region : regions) {
      // A wrapped run decoded in an earlier region may already reach past this one's start.
      i = std::max(i, region.begin);
      while (i + min_length <= region.end && !spans_.full()) {
        std::size_t j = i + min_length;
        while (j > i && in_alphabet(j - 1)) --j;
        if (j > i) {
          i = j;
          continue;
        }
        decode_run_at(i);
      }
      if (spans_.full()) return;
    }
  }

 private:
  // Decodes the run that starts at `i`, following wrapped lines, and moves `i` past it.
  void decode_run_at(std::size_t& i) {
    const std::size_t begin = i;
    bool wrapped = false;
    const std::size_t end = extend_run(begin, wrapped);
    std::size_t padded_end = end;
    while (padded_end < text_.size() && padded_end - end < 2 && text_[padded_end] == '=') ++padded_end;
    i = padded_end;
    if (end - begin < limits_.min_base64_length) return;
    // A URL-safe run without '-' or '_' decodes the same as standard base64, found in that pass.
    if (url_safe_ && find_either(text_, begin, end, separator_a_, separator_b_) == end) return;
    if (try_run(begin, end, padded_end) || !wrapped) return;
    try_each_line(begin, end);
  }

  bool in_alphabet(std::size_t i) const { return table_[static_cast<unsigned char>(text_[i])] >= 0; }

  // Returns the end of the base64 run starting at `begin`, following wrapped lines.
  std::size_t extend_run(std::size_t begin, bool& wrapped) const {
    std::size_t j = begin;
    std::size_t line_start = begin;
    for (;;) {
      while (j < text_.size() && in_alphabet(j)) ++j;
      const std::size_t line_length = j - line_start;
      if (line_length < kMinWrappedLine || line_length % 4 != 0) return j;
      std::size_t k = j;
      if (k < text_.size() && text_[k] == '\r') ++k;
      if (k >= text_.size() || text_[k] != '\n') return j;
      ++k;
      while (k < text_.size() && (text_[k] == ' ' || text_[k] == '\t')) ++k;
      if (k >= text_.size() || !in_alphabet(k)) return j;
      wrapped = true;
      j = k;
      line_start = k;
    }
  }

  // Tries the run from its start, then from after each of its first separators; adds the first
  // start whose decoded bytes are text.
  bool try_run(std::size_t begin, std::size_t end, std::size_t padded_end) {
    std::size_t start = begin;
    for (std::size_t attempt = 0; attempt < kMaxRunStarts && end - start >= limits_.min_base64_length; ++attempt) {
      if (try_start(start, end, padded_end)) return true;
      const std::size_t separator = find_either(text_, start, end, separator_a_, separator_b_);
      if (separator == end) return false;
      start = separator + 1;
    }
    return false;
  }

  bool try_start(std::size_t start, std::size_t end, std::size_t padded_end) {
    const std::size_t probe_end = std::min(end, start + kProbeChars);
    if (!may_decode_to_text(text_.substr(start, probe_end - start), table_)) return false;
    if (!as_text(decode_base64(text_.substr(start, probe_end - start), table_))) return false;

    // Decode no more than the byte budget allows: 4 characters give 3 bytes.
    const std::size_t max_chars = spans_.bytes_left() / 3 * 4;
    std::size_t run_end = end;
    if (run_end - start > max_chars) run_end = start + max_chars;
    if (run_end - start < limits_.min_base64_length) return false;

    auto text = as_text(decode_base64(text_.substr(start, run_end - start), table_));
    if (!text) return false;
    const std::size_t span_end = run_end == end ? padded_end : run_end;
    if (spans_.add(start, span_end, std::move(*text), kBase64) && url_safe_) spans_.drop_standard_inside(start, span_end);
    return true;
  }

  // A wrapped run that failed as a whole may join unrelated lines; each line gets its own try.
  void try_each_line(std::size_t begin, std::size_t end) {
    std::size_t line_start = begin;
    while (line_start < end && !spans_.full()) {
      std::size_t line_end = line_start;
      while (line_end < end && in_alphabet(line_end)) ++line_end;
      if (line_end - line_start >= limits_.min_base64_length) try_run(line_start, line_end, line_end);
      line_start = line_end;
      while (line_start < end && !in_alphabet(line_start)) ++line_start;
    }
  }

  std::string_view text_;
  const DecodeTable& table_;
  char separator_a_;
  char separator_b_;
  bool url_safe_;
  const DecodeLimits& limits_;
  SpanCollector& spans_;
};

std::string decode_percent(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%' && i + 2 < encoded.size()) {
      const int high = hex_value(encoded[i + 1]);
      const int low = hex_value(encoded[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(encoded[i]);
  }
  return out;
}

// Finds each run of URL characters that contains a valid %XX escape, starting from the '%' signs
// so text without them costs one memchr-like search.
void find_percent(std::string_view text, const DecodeLimits& limits, SpanCollector& spans) {
  std::size_t search_from = 0;
  std::size_t previous_end = 0;
  while (!spans.full()) {
    const std::size_t percent = text.find('%', search_from);
    if (percent == std::string_view::npos) return;
    const bool valid = percent + 2 < text.size() && hex_value(text[percent + 1]) >= 0 && hex_value(text[percent + 2]) >= 0;
    if (!valid) {
      search_from = percent + 1;
      continue;
    }
    std::size_t begin = percent;
    while (begin > previous_end && kUrlChar[static_cast<unsigned char>(text[begin - 1])]) --begin;
    std::size_t end = percent;
    while (end < text.size() && kUrlChar[static_cast<unsigned char>(text[end])]) ++end;

    std::string decoded = decode_percent(text.substr(begin, end - begin));
    if (decoded.size() >= limits.min_decoded_length) spans.add(begin, end, std::move(decoded), kPercent);
    search_from = previous_end = end;
  }
}

// Reads the 4 hex digits of a \uXXXX escape at body[offset] (the backslash); -1 when invalid.
long read_unicode_escape(std::string_view body, std::size_t offset) {
  if (offset + 6 > body.size() || body[offset + 1] != 'u') return -1;
  long value = 0;
  for (std::size_t i = offset + 2; i < offset + 6; ++i) {
    const int digit = hex_value(body[i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

// Decodes JSON escapes in a string body; unknown escapes stay as written. `changed` is set when
// any escape was decoded.
std::string decode_json_string(std::string_view body, bool& changed) {
  std::string out;
  out.reserve(body.size());
  changed = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\' || i + 1 >= body.size()) {
      out.push_back(body[i]);
      continue;
    }
    const char escape = body[i + 1];
    const std::string_view simple_from = "nrtbf\"\\/";
    const std::string_view simple_to = "\n\r\t\b\f\"\\/";
    if (const std::size_t index = simple_from.find(escape); index != std::string_view::npos) {
      out.push_back(simple_to[index]);
      changed = true;
      ++i;
      continue;
    }
    const long unit = read_unicode_escape(body, i);
    if (unit < 0) {
      out.push_back(body[i]);
      continue;
    }
    std::uint32_t code_point = static_cast<std::uint32_t>(unit);
    std::size_t consumed = 6;
    const long low = read_unicode_escape(body, i + 6);
    if (unit >= 0xD800 && unit <= 0xDBFF && low >= 0xDC00 && low <= 0xDFFF) {
      code_point = 0x10000 + ((static_cast<std::uint32_t>(unit) - 0xD800) << 10) + (static_cast<std::uint32_t>(low) - 0xDC00);
      consumed = 12;
    } else if (unit >= 0xD800 && unit <= 0xDFFF) {
      code_point = 0xFFFD;
    }
    append_utf8(out, code_point);
    changed = true;
    i += consumed - 1;
  }
  return out;
}

// Finds "..." strings on one line that contain a backslash escape. A quote with no closing quote on
// its line ends the search on that line, which keeps the pass linear.
void find_json_escapes(std::string_view text, const DecodeLimits& limits, SpanCollector& spans) {
  std::size_t search_from = 0;
  std::size_t next_backslash = 0;
  bool backslash_ahead = false;
  while (!spans.full()) {
    // Only a string with a backslash is decoded, so the search jumps to the line of the next
    // backslash. No string is open at a line start there: without a backslash in between, no
    // escape can carry a string over a line break. Each stretch is searched backwards once.
    if (!backslash_ahead || next_backslash < search_from) {
      next_backslash = text.find('\\', search_from);
      if (next_backslash == std::string_view::npos) return;
      const std::size_t line_break = text.substr(search_from, next_backslash - search_from).rfind('\n');
      if (line_break != std::string_view::npos) search_from += line_break + 1;
      backslash_ahead = true;
    }

    const std::size_t open = text.find('"', search_from);
    if (open == std::string_view::npos) return;
    std::size_t i = open + 1;
    bool has_escape = false;
    bool closed = false;
    while (i < text.size()) {
      const char c = text[i];
      if (c == '\\') {
        has_escape = true;
        i += 2;
        continue;
      }
      if (c == '"') {
        closed = true;
        break;
      }
      if (c == '\n') break;
      ++i;
    }
    if (!closed) {
      search_from = std::min(i, text.size());
      continue;
    }
    search_from = i + 1;
    if (!has_escape) continue;

    bool changed = false;
    std::string decoded = decode_json_string(text.substr(open + 1, i - open - 1), changed);
    if (changed && decoded.size() >= limits.min_decoded_length) spans.add(open, i + 1, std::move(decoded), kJsonEscape);
  }
}

}  // namespace

std::vector<DecodedSpan> find_encoded(std::string_view text, const DecodeLimits& limits) {
  SpanCollector spans(limits);
  const std::vector<ByteRange> regions = base64_alphabet_runs(text, limits.min_base64_length);
  Base64Finder(text, false, limits, spans).run(regions);
  spans.end_standard_pass();
  Base64Finder(text, true, limits, spans).run(regions);
  find_percent(text, limits, spans);
  find_json_escapes(text, limits, spans);
  return spans.take();
}

}  // namespace keyward::secrets
