#pragma once

// Glob matching as IAM applies it to actions and resource ARNs: `*` matches any run of
// characters (including none and including `:` and `/`), `?` matches exactly one character.

#include <string_view>

namespace keyward::posture::policy {

enum class CaseSensitivity { sensitive, insensitive };

// Returns true when `text` matches `pattern` as a whole. Runs in O(pattern * text) time in the
// worst case and without recursion, so hostile patterns cannot exhaust the stack.
bool wildcard_match(std::string_view pattern, std::string_view text, CaseSensitivity sensitivity);

// Matches an IAM action pattern ("iam:Create*", "*") against an action name. Action names are
// case-insensitive in IAM.
inline bool action_matches(std::string_view pattern, std::string_view action) {
  return wildcard_match(pattern, action, CaseSensitivity::insensitive);
}

// Returns true when the two action patterns can match at least one common action, judged by
// matching each against the other as text. This finds the overlaps that occur in practice
// ("iam:*" with "iam:Create*", "*" with anything).
// NOTE: two patterns with wildcards on opposite ends ("*Policy" and "iam:*") overlap but are
// reported as disjoint.
bool action_patterns_overlap(std::string_view left, std::string_view right);

}  // namespace keyward::posture::policy
