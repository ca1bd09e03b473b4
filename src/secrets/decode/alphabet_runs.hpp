#pragma once

// Finds the long runs of base64 characters in a text with SIMD, so the base64 decoder looks only
// at the few places where encoded data can be.

#include <cstddef>
#include <string_view>
#include <vector>

namespace keyward::secrets {

struct ByteRange {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Returns, in order, every maximal run of at least `min_length` bytes from the union of the
// standard and URL-safe base64 alphabets (A-Z, a-z, 0-9, '+', '/', '-', '_'). A run of either
// alphabet that is at least `min_length` long lies inside one of them.
std::vector<ByteRange> base64_alphabet_runs(std::string_view text, std::size_t min_length);

}  // namespace keyward::secrets
