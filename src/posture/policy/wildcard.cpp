#include "posture/policy/wildcard.hpp"

#include <cstddef>

namespace keyward::posture::policy {
namespace {

char fold(char c, CaseSensitivity sensitivity) {
  if (sensitivity == CaseSensitivity::insensitive && c >= 'A' && c <= 'Z') {
    return static_cast<char>(c - 'A' + 'a');
  }
  return c;
}

}  // namespace

bool wildcard_match(std::string_view pattern, std::string_view text, CaseSensitivity sensitivity) {
  std::size_t p = 0;
  std::size_t t = 0;
  // Position of the last `*` seen and the text position it currently absorbs up to. On a
  // mismatch the star absorbs one more character and matching resumes after it.
  std::size_t star = std::string_view::npos;
  std::size_t star_text = 0;

  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (p < pattern.size() &&
               (pattern[p] == '?' || fold(pattern[p], sensitivity) == fold(text[t], sensitivity))) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool action_patterns_overlap(std::string_view left, std::string_view right) {
  return action_matches(left, right) || action_matches(right, left);
}

}  // namespace keyward::posture::policy
