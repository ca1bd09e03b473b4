#include "secrets/decode/alphabet_runs.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace keyward::secrets {
namespace {

constexpr std::size_t kBlock = 64;

constexpr std::array<bool, 256> make_union_table() {
  std::array<bool, 256> table{};
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (const char c : {'+', '/', '-', '_'}) table[static_cast<unsigned char>(c)] = true;
  return table;
}

constexpr std::array<bool, 256> kUnionAlphabet = make_union_table();

// Bit i is set when block[i] is in the alphabet; `length` may be short for the last block.
std::uint64_t scalar_mask(const char* block, std::size_t length) {
  std::uint64_t mask = 0;
  for (std::size_t i = 0; i < length; ++i) {
    mask |= static_cast<std::uint64_t>(kUnionAlphabet[static_cast<unsigned char>(block[i])]) << i;
  }
  return mask;
}

#if defined(__SSE2__)
// SSE2 compares are signed, so a range check [low, low + width) subtracts `low` and moves the
// result into the signed range: in range when (c - low - 128) < (width - 128).
inline __m128i in_range(__m128i bytes, char low, int width) {
  const __m128i shifted = _mm_add_epi8(_mm_sub_epi8(bytes, _mm_set1_epi8(low)), _mm_set1_epi8(-128));
  return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(width - 128)));
}

std::uint64_t sse2_mask16(const char* bytes16) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes16));
  const __m128i letters = in_range(_mm_or_si128(bytes, _mm_set1_epi8(0x20)), 'a', 26);
  const __m128i digits = in_range(bytes, '0', 10);
  const __m128i plus = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('+'));
  const __m128i slash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('/'));
  const __m128i minus = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('-'));
  const __m128i underscore = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('_'));
  const __m128i any = _mm_or_si128(_mm_or_si128(_mm_or_si128(letters, digits), _mm_or_si128(plus, slash)),
                                   _mm_or_si128(minus, underscore));
  return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(any)));
}
#endif

std::uint64_t block_mask(const char* block, std::size_t length) {
#if defined(__SSE2__)
  if (length == kBlock) {
    return sse2_mask16(block) | sse2_mask16(block + 16) << 16 | sse2_mask16(block + 32) << 32 |
           sse2_mask16(block + 48) << 48;
  }
#endif
  return scalar_mask(block, length);
}

// Returns the bits that start a run of at least `length` set bits lying wholly inside `mask`.
std::uint64_t run_starts(std::uint64_t mask, std::size_t length) {
  if (length == 0 || length > kBlock) return 0;
  std::uint64_t starts = mask;
  std::size_t covered = 1;
  while (covered < length) {
    const std::size_t shift = std::min(covered, length - covered);
    starts &= starts >> shift;
    covered += shift;
  }
  return starts;
}

}  // namespace

std::vector<ByteRange> base64_alphabet_runs(std::string_view text, std::size_t min_length) {
  min_length = std::max<std::size_t>(min_length, 1);
  std::vector<ByteRange> runs;
  std::size_t carried = 0;  // length of the run that reaches the end of the previous block
  const auto close_run = [&](std::size_t end, std::size_t length) {
    if (length >= min_length) runs.push_back({end - length, end});
  };

  for (std::size_t base = 0; base < text.size(); base += kBlock) {
    const std::size_t length = std::min(kBlock, text.size() - base);
    const std::uint64_t valid = length == kBlock ? ~std::uint64_t{0} : (std::uint64_t{1} << length) - 1;
    const std::uint64_t mask = block_mask(text.data() + base, length) & valid;
    if (mask == valid && length == kBlock) {
      carried += kBlock;
      continue;
    }
    // The run carried in continues through the block's low set bits.
    const auto leading = static_cast<std::size_t>(std::countr_one(mask));
    if (carried + leading > 0 && leading < length) close_run(base + leading, carried + leading);
    if (leading >= length) {  // the last, partial block is all alphabet
      carried += leading;
      break;
    }
    // The run at the top of the block is carried into the next one.
    const std::size_t trailing =
        length == kBlock ? static_cast<std::size_t>(std::countl_one(mask)) : 0;
    std::uint64_t inner = mask & ~((leading == 0 ? 0 : (std::uint64_t{1} << leading) - 1));
    if (trailing > 0) inner &= ~(~std::uint64_t{0} << (kBlock - trailing));
    // Runs wholly inside the block: only walked when one is long enough, which is rare in text.
    if (min_length < kBlock && run_starts(inner, min_length) != 0) {
      while (inner != 0) {
        const auto start = static_cast<std::size_t>(std::countr_zero(inner));
        const auto run = static_cast<std::size_t>(std::countr_one(inner >> start));
        close_run(base + start + run, run);
        inner &= run + start >= kBlock ? 0 : ~std::uint64_t{0} << (start + run);
      }
    }
    carried = trailing;
  }
  close_run(text.size(), carried);
  return runs;
}

}  // namespace keyward::secrets
