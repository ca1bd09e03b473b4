#pragma once

// Mute files: accepted risks, kept in version control, that mark matching findings muted with
// the reason given, until an optional expiry. docs/tuning.md describes the format.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"

namespace keyward::posture {

// An identity tag a mute requires: the key alone matches any value.
struct TagMatch {
  std::string key;
  std::optional<std::string> value;
};

// One entry of a mute file. Every field that is set must match; unset fields match anything, and
// at least one field is set.
struct Mute {
  std::string rule;            // glob on Finding::rule, e.g. "aws.access_key.*"
  std::string platform;        // platform name, e.g. "aws"
  std::string identity;        // glob on the identity's id or name
  std::string vendor;          // glob on the identity's vendor, case-insensitive
  std::vector<TagMatch> tags;  // every one must be on the identity
  std::string reason;          // why the risk is accepted; required
  // The first time the mute no longer applies. A date without a time ("2025-09-30") mutes
  // through the end of that UTC day.
  std::optional<core::UnixTime> expires;
  std::string file;            // where the entry is, for messages
  long long line = -1;         // 1-based
};

// Parses a mute expiry: a date ("2025-09-30") mutes through the end of that UTC day, an RFC 3339
// time until that instant. Returns nullopt for anything else.
std::optional<core::UnixTime> parse_mute_expiry(std::string_view text);

// Tags of each identity, keyed by (platform, identity id); values are strings.
using IdentityTags = std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>>;

// Collects the "tags" attribute object of each identity (string values only).
IdentityTags collect_identity_tags(const std::vector<core::Identity>& identities);

// Loads a mute file. Errors name the file and line and say how to fix the entry.
core::Result<std::vector<Mute>> load_mutes(const std::string& path);
// Parses mute file text; `file` names it in errors and in Mute::file.
core::Result<std::vector<Mute>> parse_mutes(std::string_view yaml, const std::string& file);

// Returns whether every field the mute sets matches the finding. Tag conditions fail when `tags`
// has no entry for the finding's identity.
bool mute_matches(const Mute& mute, const core::Finding& finding, const IdentityTags& tags);

struct MuteOutcome {
  size_t muted = 0;            // findings this call marked muted
  std::vector<Mute> expired;   // mutes whose expiry is at or before `as_of`, in file order
};

// Marks each open or acknowledged finding that an unexpired mute matches as muted, with
// status_reason "mute: <reason>" and status_until set to the mute's expiry. The first matching
// mute in file order applies. Resolved findings and findings already muted in the store are left
// as they are. Expired mutes apply to nothing and are returned so the caller can warn.
// `as_of` is the time expiry is judged against: pass the current time, not the data's as-of time.
MuteOutcome apply_mutes(std::vector<core::Finding>& findings, const std::vector<Mute>& mutes, core::UnixTime as_of,
                        const IdentityTags& tags = {});

// Returns a warning about an expired mute: "FILE:LINE: mute expired at TIME (reason: ...); ...".
std::string describe_expired_mute(const Mute& mute);

}  // namespace keyward::posture
