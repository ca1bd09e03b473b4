#include "secrets/decode/alphabet_runs.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace keyward::secrets {
namespace {

bool in_union_alphabet(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
         c == '-' || c == '_';
}

// The definition, one byte at a time.
std::vector<ByteRange> expected_runs(std::string_view text, std::size_t min_length) {
  std::vector<ByteRange> runs;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !in_union_alphabet(text[i])) ++i;
    const std::size_t begin = i;
    while (i < text.size() && in_union_alphabet(text[i])) ++i;
    if (i > begin && i - begin >= min_length) runs.push_back({begin, i});
  }
  return runs;
}

void expect_same(std::string_view text, std::size_t min_length) {
  const auto actual = base64_alphabet_runs(text, min_length);
  const auto expected = expected_runs(text, min_length);
  ASSERT_EQ(actual.size(), expected.size()) << "length " << text.size() << ", min " << min_length;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(actual[i].begin, expected[i].begin) << "run " << i;
    EXPECT_EQ(actual[i].end, expected[i].end) << "run " << i;
  }
}

TEST(Base64AlphabetRuns, FindsRunsAroundBlockBoundaries) {
  // Runs that start, end or cross the 64-byte blocks, and one longer than a block.
  std::string text(200, ' ');
  text.replace(10, 30, std::string(30, 'A'));   // inside the first block
  text.replace(50, 40, std::string(40, 'b'));   // crosses into the second
  text.replace(100, 90, std::string(90, '9'));  // spans a whole block
  expect_same(text, 24);
  expect_same(text, 1);
  expect_same(text, 64);
  expect_same(text, 100);
}

TEST(Base64AlphabetRuns, RunAtTheEndOfTheText) {
  expect_same(std::string(64, 'x') + std::string(30, 'Q'), 24);
  expect_same(std::string(128, 'x'), 24);
  expect_same("  " + std::string(127, 'x'), 24);
  expect_same("", 24);
}

TEST(Base64AlphabetRuns, MatchesByteByByteOnRandomText) {
  std::mt19937 random(20261205);
  const std::string characters = "AZaz09+/-_ .=\n\"'\t:\x80\xff";
  for (int round = 0; round < 400; ++round) {
    const std::size_t length = random() % 700;
    // Mostly alphabet, so long runs are common: a run continues with probability `density`.
    const double density = 0.5 + 0.5 * static_cast<double>(random() % 100) / 100.0;
    std::string text;
    for (std::size_t i = 0; i < length; ++i) {
      const bool alphabet = static_cast<double>(random() % 1000) / 1000.0 < density;
      text.push_back(alphabet ? characters[random() % 10] : characters[10 + random() % (characters.size() - 10)]);
    }
    for (const std::size_t min_length : {1u, 8u, 24u, 63u, 64u, 65u, 200u}) expect_same(text, min_length);
  }
}

}  // namespace
}  // namespace keyward::secrets
