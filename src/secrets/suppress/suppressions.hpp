#pragma once

// Ways to silence a finding without editing rules: an ignore file (path patterns and
// fingerprints), inline allow comments, and a baseline of accepted findings so only new ones
// fail CI.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"

namespace keyward::secrets {

// The ignore file (`.keywardignore` at the scan root, or --ignore-file): one entry per line,
// '#' comments. A line is a gitignore-style path pattern, or "fingerprint:<value>" for one
// secret, or "rule:<rule id>" for a whole rule.
class IgnoreFile {
 public:
  // An error names the file and line of an invalid entry.
  static core::Result<IgnoreFile> load(const std::string& path);
  static IgnoreFile empty();

  // `path` is relative to the scan root and '/'-separated; a trailing '/' marks a directory. A
  // path is also ignored when a directory above it is, and "!" patterns cannot re-include it then.
  bool path_ignored(std::string_view path) const;
  bool fingerprint_ignored(std::string_view fingerprint) const;
  bool rule_ignored(std::string_view rule_id) const;

  struct Pattern;
 private:
  std::vector<Pattern> path_patterns_;  // in file order: the last pattern that matches decides
  std::vector<std::string> fingerprints_;  // sorted
  std::vector<std::string> rules_;         // sorted
};

// One path pattern of the ignore file, split at '/'.
struct IgnoreFile::Pattern {
  std::vector<std::string> segments;  // a "**" segment matches zero or more directories
  bool negated = false;               // "!pattern" re-includes what an earlier pattern ignored
  bool directory_only = false;        // "pattern/" matches directories only
};

// True when the line around a match carries an allow comment: "keyward:allow", also accepting
// "gitleaks:allow" and "pragma: allowlist secret" so existing annotations keep working.
bool line_allows(std::string_view line);

// A baseline file lists accepted findings by a hash keyed with the baseline's own random salt,
// so it can be committed and checked on any machine without the store's fingerprint key.
class Baseline {
 public:
  static core::Result<Baseline> load(const std::string& path);
  // Starts an empty baseline with a new salt.
  static Baseline create();

  // `secret` is the raw value, in memory only.
  bool contains(std::string_view rule_id, std::string_view secret) const;
  void add(std::string_view rule_id, std::string_view secret, const core::Exposure& exposure);
  // Writes JSON (owner-only permissions): version, salt, and per entry the keyed hash, rule id,
  // redacted form and first location. No secret values.
  core::Status save(const std::string& path) const;

 private:
  std::string salt_;  // 64 hex digits; the HMAC key is this text
  struct Entry {
    std::string hash;
    std::string rule_id;
    std::string redacted;
    std::string path;
    long long line = 0;
  };
  std::vector<Entry> entries_;
  std::unordered_set<std::string> hashes_;  // the hash of every entry, for contains()

  std::string hash(std::string_view rule_id, std::string_view secret) const;
};

}  // namespace keyward::secrets
