#include "secrets/suppress/suppressions.hpp"

#include "secrets/suppress/read_limited.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <span>

namespace keyward::secrets {
namespace {

// An ignore file is a short hand-written list, and a longer line is a mistake, so both limits
// are generous bounds rather than tuned values.
constexpr std::size_t kMaxIgnoreFileBytes = 1 << 20;
constexpr std::size_t kMaxIgnoreLineBytes = 4096;
constexpr std::size_t kMaxReportedErrors = 5;
constexpr std::string_view kFingerprintPrefix = "hmac-sha256:";
constexpr std::size_t kFingerprintHexDigits = 32;

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Strips blanks at both ends, but keeps a trailing blank escaped with a backslash as gitignore does.
std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    if (text.size() >= 2 && text[text.size() - 2] == '\\' && text.back() != '\r') break;
    text.remove_suffix(1);
  }
  return text;
}

std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

// Finds the end of the bracket expression that starts at pattern[open] ('['), or npos when it is
// not closed. A ']' right after "[" or "[!" / "[^" is a member, not the end.
std::size_t bracket_end(std::string_view pattern, std::size_t open) {
  std::size_t i = open + 1;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) ++i;
  if (i < pattern.size() && pattern[i] == ']') ++i;
  for (; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;
    } else if (pattern[i] == ']') {
      return i;
    }
  }
  return std::string_view::npos;
}

bool bracket_contains(std::string_view members, char c) {
  bool negate = false;
  std::size_t i = 0;
  if (!members.empty() && (members[0] == '!' || members[0] == '^')) {
    negate = true;
    i = 1;
  }
  bool found = false;
  while (i < members.size()) {
    char low = members[i];
    if (low == '\\' && i + 1 < members.size()) low = members[++i];
    char high = low;
    if (i + 2 < members.size() && members[i + 1] == '-') {
      high = members[i + 2];
      if (high == '\\' && i + 3 < members.size()) high = members[++i + 2];
      i += 2;
    }
    if (c >= low && c <= high) found = true;
    ++i;
  }
  return found != negate;
}

// Matches the pattern element at pattern[p] ('?', "[...]", "\x" or a plain character) against
// `c`. Sets `next` to the index after the element.
bool element_matches(std::string_view pattern, std::size_t p, char c, std::size_t& next) {
  const char head = pattern[p];
  next = p + 1;
  if (head == '?') return true;
  if (head == '\\' && p + 1 < pattern.size()) {
    next = p + 2;
    return pattern[p + 1] == c;
  }
  if (head == '[') {
    const std::size_t end = bracket_end(pattern, p);
    if (end != std::string_view::npos) {
      next = end + 1;
      return bracket_contains(pattern.substr(p + 1, end - p - 1), c);
    }
  }
  return head == c;
}

// Matches one path segment against one pattern segment, where '*' matches any run of
// characters. Greedy with one backtrack point, so the cost is bounded by the product of lengths.
bool segment_matches(std::string_view pattern, std::string_view text) {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star_p = std::string_view::npos;
  std::size_t star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      while (p < pattern.size() && pattern[p] == '*') ++p;
      star_p = p;
      star_t = t;
      continue;
    }
    std::size_t next = 0;
    if (p < pattern.size() && element_matches(pattern, p, text[t], next)) {
      p = next;
      ++t;
      continue;
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// The same greedy walk one level up: a "**" pattern segment matches any run of path segments.
bool segments_match(const std::vector<std::string>& pattern, std::span<const std::string_view> path) {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star_p = std::string::npos;
  std::size_t star_t = 0;
  while (t < path.size()) {
    if (p < pattern.size() && pattern[p] == "**") {
      while (p < pattern.size() && pattern[p] == "**") ++p;
      star_p = p;
      star_t = t;
      continue;
    }
    if (p < pattern.size() && segment_matches(pattern[p], path[t])) {
      ++p;
      ++t;
      continue;
    }
    if (star_p == std::string::npos) return false;
    p = star_p;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == "**") ++p;
  return p == pattern.size();
}

// Returns whether the patterns ignore the path `segments` names, or nothing when none matches.
std::optional<bool> patterns_decide(const std::vector<IgnoreFile::Pattern>& patterns,
                                    std::span<const std::string_view> segments, bool is_directory) {
  std::optional<bool> ignored;
  for (const auto& pattern : patterns) {
    if (pattern.directory_only && !is_directory) continue;
    if (segments_match(pattern.segments, segments)) ignored = !pattern.negated;
  }
  return ignored;
}

// Parses one path pattern line; returns an error message, or empty on success.
std::string parse_pattern(std::string_view line, IgnoreFile::Pattern& pattern) {
  if (line.front() == '!') {
    pattern.negated = true;
    line.remove_prefix(1);
  } else if (line.starts_with("\\!") || line.starts_with("\\#")) {
    line.remove_prefix(1);
  }
  while (!line.empty() && line.back() == '/') {
    pattern.directory_only = true;
    line.remove_suffix(1);
  }
  // A slash at the start or in the middle anchors the pattern to the scan root. Without one, the
  // pattern matches a name at any depth, as if it started with "**/".
  const bool anchored = line.find('/') != std::string_view::npos;
  for (std::string_view segment : split_segments(line)) {
    for (std::size_t i = 0; i < segment.size(); ++i) {
      if (segment[i] == '\\') {
        ++i;
      } else if (segment[i] == '[' && bracket_end(segment, i) == std::string_view::npos) {
        return "unclosed '[' in path pattern; close it with ']' or write \\[ for a literal bracket";
      }
    }
    pattern.segments.emplace_back(segment);
  }
  if (pattern.segments.empty()) return "path pattern matches nothing; write a file or directory name or glob";
  if (!anchored) pattern.segments.insert(pattern.segments.begin(), "**");
  // "dir/**" matches everything inside dir but not dir itself, so the "**" needs one more segment.
  if (anchored && pattern.segments.size() >= 2 && pattern.segments.back() == "**") pattern.segments.emplace_back("*");
  return {};
}

// Parses "fingerprint:" and "rule:" values; returns an error message, or empty on success. The
// messages never repeat the value, because a raw secret pasted by mistake must not be printed.
std::string parse_fingerprint(std::string_view value, std::vector<std::string>& fingerprints) {
  const std::string normalized = lowercase(trim(value));
  const std::string_view digits = std::string_view(normalized).substr(std::min(normalized.size(), kFingerprintPrefix.size()));
  if (!normalized.starts_with(kFingerprintPrefix) || digits.size() != kFingerprintHexDigits || !is_hex(digits)) {
    return fmt::format("invalid fingerprint entry; expected \"fingerprint:{}\" followed by {} hex digits, as keyward "
                       "scan prints it (never the secret itself)",
                       kFingerprintPrefix, kFingerprintHexDigits);
  }
  fingerprints.push_back(normalized);
  return {};
}

std::string parse_rule(std::string_view value, std::vector<std::string>& rules) {
  value = trim(value);
  const bool valid = !value.empty() && value.size() <= 128 && std::all_of(value.begin(), value.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-';
  });
  if (!valid) return "invalid rule entry; expected \"rule:<rule id>\" with a rule id such as github.pat.classic";
  rules.emplace_back(value);
  return {};
}

}  // namespace

core::Result<std::string> read_limited(const std::string& path, std::size_t limit, std::string_view what) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int code = errno;
    core::Error error = core::make_error(code == ENOENT ? core::ErrorCode::not_found : core::ErrorCode::io_error,
                                         fmt::format("failed to open the {}: {}", what, std::strerror(code)));
    error.file = path;
    return error;
  }
  std::string content;
  char buffer[65536];
  while (in) {
    in.read(buffer, sizeof buffer);
    content.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (content.size() > limit) {
      core::Error error = core::make_error(
          core::ErrorCode::limit_exceeded, fmt::format("the {} is larger than {} bytes; check that this is the right file", what, limit));
      error.file = path;
      return error;
    }
  }
  if (in.bad()) {
    core::Error error = core::make_error(core::ErrorCode::io_error, fmt::format("failed to read the {}", what));
    error.file = path;
    return error;
  }
  return content;
}

core::Result<IgnoreFile> IgnoreFile::load(const std::string& path) {
  auto content = read_limited(path, kMaxIgnoreFileBytes, "ignore file");
  if (!content) return content.error();

  IgnoreFile file;
  std::vector<std::pair<long long, std::string>> errors;
  std::string_view rest = *content;
  long long line_number = 0;
  while (!rest.empty()) {
    ++line_number;
    const std::size_t newline = rest.find('\n');
    std::string_view raw = rest.substr(0, newline);
    rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);

    std::string problem;
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (raw.size() > kMaxIgnoreLineBytes) {
      problem = fmt::format("line is longer than {} bytes", kMaxIgnoreLineBytes);
    } else if (line.starts_with("fingerprint:")) {
      problem = parse_fingerprint(line.substr(12), file.fingerprints_);
    } else if (line.starts_with("rule:")) {
      problem = parse_rule(line.substr(5), file.rules_);
    } else {
      Pattern pattern;
      problem = parse_pattern(line, pattern);
      if (problem.empty()) file.path_patterns_.push_back(std::move(pattern));
    }
    if (!problem.empty()) errors.emplace_back(line_number, std::move(problem));
  }

  if (!errors.empty()) {
    // Every line was read, so one error lists all the invalid entries, not only the first.
    std::string message = errors.front().second;
    for (std::size_t i = 1; i < errors.size() && i <= kMaxReportedErrors; ++i) {
      message += fmt::format("; line {}: {}", errors[i].first, errors[i].second);
    }
    if (errors.size() > kMaxReportedErrors + 1) message += fmt::format("; and {} more", errors.size() - kMaxReportedErrors - 1);
    core::Error error = core::make_error(core::ErrorCode::invalid_input, std::move(message));
    error.file = path;
    error.line = errors.front().first;
    return error;
  }
  std::sort(file.fingerprints_.begin(), file.fingerprints_.end());
  std::sort(file.rules_.begin(), file.rules_.end());
  return file;
}

IgnoreFile IgnoreFile::empty() { return IgnoreFile(); }

bool IgnoreFile::path_ignored(std::string_view path) const {
  if (path_patterns_.empty()) return false;
  while (path.starts_with("./")) path.remove_prefix(2);
  const bool is_directory = path.ends_with('/');
  const std::vector<std::string_view> segments = split_segments(path);
  if (segments.empty()) return false;

  // Directories above the path first: once one is ignored, nothing inside can be re-included.
  const std::span<const std::string_view> all(segments);
  for (std::size_t depth = 1; depth < segments.size(); ++depth) {
    if (patterns_decide(path_patterns_, all.first(depth), true).value_or(false)) return true;
  }
  return patterns_decide(path_patterns_, all, is_directory).value_or(false);
}

bool IgnoreFile::fingerprint_ignored(std::string_view fingerprint) const {
  return std::binary_search(fingerprints_.begin(), fingerprints_.end(), lowercase(fingerprint));
}

bool IgnoreFile::rule_ignored(std::string_view rule_id) const {
  return std::binary_search(rules_.begin(), rules_.end(), rule_id, std::less<>());
}

namespace {

// Case-insensitive search for `needle` (lowercase) in `haystack` from `from`; npos when absent.
std::size_t find_lowercase(std::string_view haystack, std::string_view needle, std::size_t from = 0) {
  if (from > haystack.size()) return std::string_view::npos;
  auto found = std::search(haystack.begin() + static_cast<std::ptrdiff_t>(from), haystack.end(), needle.begin(),
                           needle.end(), [](char a, char b) {
                             return std::tolower(static_cast<unsigned char>(a)) == static_cast<unsigned char>(b);
                           });
  return found == haystack.end() ? std::string_view::npos : static_cast<std::size_t>(found - haystack.begin());
}

bool starts_with_lowercase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && find_lowercase(text.substr(0, prefix.size()), prefix) == 0;
}

// detect-secrets writes "pragma: allowlist secret"; its filter (detect_secrets/filters/allowlist.py)
// also accepts no space after the colon, "-" before "secret" and the older "whitelist".
bool has_pragma_allowlist(std::string_view line) {
  std::size_t at = find_lowercase(line, "pragma:");
  while (at != std::string_view::npos) {
    std::string_view rest = line.substr(at + 7);
    if (rest.starts_with(' ')) rest.remove_prefix(1);
    const bool list_word = starts_with_lowercase(rest, "allowlist") || starts_with_lowercase(rest, "whitelist");
    if (list_word && rest.size() >= 16 && (rest[9] == ' ' || rest[9] == '-') &&
        starts_with_lowercase(rest.substr(10), "secret")) {
      return true;
    }
    at = find_lowercase(line, "pragma:", at + 1);
  }
  return false;
}

}  // namespace

bool line_allows(std::string_view line) {
  return find_lowercase(line, "keyward:allow") != std::string_view::npos ||
         find_lowercase(line, "gitleaks:allow") != std::string_view::npos || has_pragma_allowlist(line);
}

}  // namespace keyward::secrets
