#include "secrets/scanner.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace keyward::secrets {
namespace {

// Rules written for these tests only, so the matching core is tested apart from the catalogue.
std::vector<SecretRule> test_rules() {
  SecretRule prefixed;
  prefixed.id = "test.prefixed";
  prefixed.name = "Prefixed test token";
  prefixed.pattern = R"(\b(tkn_[A-Za-z0-9]{20})\b)";
  prefixed.max_match_length = 40;
  prefixed.redact_prefix = 4;

  SecretRule keyword;
  keyword.id = "test.keyword";
  keyword.name = "Keyword test secret";
  keyword.pattern = R"((?i)secret_value\s*[:=]\s*["']?([A-Za-z0-9/+]{12,48}))";
  keyword.max_match_length = 80;
  keyword.min_entropy = 3.0;

  SecretRule variable;
  variable.id = "test.variable";
  variable.name = "Variable-length test token";
  variable.pattern = R"(var_[a-z]{8,40})";
  variable.max_match_length = 48;
  return {prefixed, keyword, variable};
}

std::shared_ptr<const Scanner> build_scanner() {
  auto scanner = Scanner::build(test_rules());
  EXPECT_TRUE(scanner.ok()) << scanner.error().message;
  return *scanner;
}

std::string secret_of(std::string_view text, const Match& match) {
  return std::string(text.substr(match.secret_begin, match.secret_end - match.secret_begin));
}

TEST(Scanner, FindsPrefixedTokenAndItsSecretSpan) {
  auto scanner = build_scanner();
  auto scratch = scanner->make_scratch();
  const std::string text = "token = tkn_ABCDEFGHIJ0123456789 # prod\n";
  const auto matches = scanner->scan(text, *scratch);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].rule->id, "test.prefixed");
  EXPECT_EQ(secret_of(text, matches[0]), "tkn_ABCDEFGHIJ0123456789");
}

TEST(Scanner, WordBoundaryUsesRealNeighbours) {
  auto scanner = build_scanner();
  auto scratch = scanner->make_scratch();
  // Glued to a longer word on either side: not a token.
  EXPECT_TRUE(scanner->scan("xtkn_ABCDEFGHIJ0123456789", *scratch).empty());
  EXPECT_TRUE(scanner->scan("tkn_ABCDEFGHIJ0123456789Z", *scratch).empty());
}

TEST(Scanner, CaptureGroupIsTheSecret) {
  auto scanner = build_scanner();
  auto scratch = scanner->make_scratch();
  const std::string text = "SECRET_VALUE: 'aB3dE/6gH+9jK2mN'";
  const auto matches = scanner->scan(text, *scratch);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(secret_of(text, matches[0]), "aB3dE/6gH+9jK2mN");
}

TEST(Scanner, EntropyFloorDropsLowEntropyValues) {
  auto scanner = build_scanner();
  auto scratch = scanner->make_scratch();
  EXPECT_TRUE(scanner->scan("secret_value = aaaaaaaaaaaaaaaa", *scratch).empty());
}

TEST(Scanner, GreedyMatchIsReportedWholeOnce) {
  auto scanner = build_scanner();
  auto scratch = scanner->make_scratch();
  const std::string text = "x var_abcdefghijklmnop y";
  const auto matches = scanner->scan(text, *scratch);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(secret_of(text, matches[0]), "var_abcdefghijklmnop");
}

TEST(Scanner, ReportsEverySameTypeToken) {
  auto scanner = build_scanner();
  auto scratch = scanner->make_scratch();
  std::string text;
  for (int i = 0; i < 500; ++i) text += "t" + std::to_string(i) + " tkn_ABCDEFGHIJ01234567" + std::to_string(10 + i % 90) + "\n";
  const auto matches = scanner->scan(text, *scratch);
  EXPECT_EQ(matches.size(), 500u);
}

TEST(Scanner, TokenAcrossChunkBoundaryIsFoundOnce) {
  auto scanner = build_scanner();
  auto scratch = scanner->make_scratch();
  // Chunks are 1 MiB: place tokens so one straddles each of the first boundaries.
  for (std::size_t offset : {(1u << 20) - 10, (1u << 20) - 24, (1u << 20) - 2, (2u << 20) - 60}) {
    std::string text(3u << 20, ' ');
    const std::string token = "tkn_ABCDEFGHIJ0123456789";
    text.replace(offset, token.size(), token);
    const auto matches = scanner->scan(text, *scratch);
    ASSERT_EQ(matches.size(), 1u) << "token at offset " << offset;
    EXPECT_EQ(matches[0].secret_begin, offset);
  }
}

// Uses the whole catalogue: Vectorscan 5.4.9 on AVX-512 misses matches in some two-pattern
// databases after a long run of one letter (see the NOTE in scanner.cpp).
TEST(Scanner, LongSingleLineIsScannedToTheEnd) {
  auto scanner = Scanner::build(builtin_rules());
  ASSERT_TRUE(scanner.ok());
  auto scratch = (*scanner)->make_scratch();
  for (std::size_t mib : {4u, 50u}) {
    std::string text(mib << 20, 'a');
    text += " 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";
    const auto matches = (*scanner)->scan(text, *scratch);
    ASSERT_EQ(matches.size(), 1u) << mib << " MiB";
    EXPECT_EQ(matches[0].rule->id, "github.pat.classic");
  }
}

TEST(Scanner, RunOfRepeatsMatchesEveryEndButConfirmsBounded) {
  auto scanner = build_scanner();
  auto scratch = scanner->make_scratch();
  // "var_" followed by a long lowercase run: the variable rule ends at every offset. RE2 takes the
  // longest match from each start, so the run yields a bounded number of matches.
  std::string text = "var_" + std::string(4u << 20, 'q');
  const auto matches = scanner->scan(text, *scratch);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].secret_end - matches[0].secret_begin, 44u);
}

TEST(Scanner, RejectsPatternNeitherEngineAccepts) {
  SecretRule broken;
  broken.id = "test.broken";
  broken.pattern = "(unclosed";
  auto scanner = Scanner::build({broken});
  ASSERT_FALSE(scanner.ok());
  EXPECT_NE(scanner.error().message.find("test.broken"), std::string::npos);
}

// A scratch directory under the system temporary directory, removed at the end of the test.
class CacheDirectory {
 public:
  CacheDirectory() {
    path_ = std::filesystem::temp_directory_path() /
            ("keyward-hscache-" + std::to_string(std::random_device{}()) + "-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path_);
  }
  ~CacheDirectory() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::vector<std::filesystem::path> cache_files(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) files.push_back(entry.path());
  return files;
}

TEST(Scanner, CachedDatabaseScansLikeACompiledOne) {
  CacheDirectory cache;
  const std::string text = "token = tkn_ABCDEFGHIJ0123456789\nsecret_value = 'Zx9/Qw8+Lm7Kp6Jn'\n";
  auto first = Scanner::build(test_rules(), cache.path());
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(cache_files(cache.path()).size(), 1u);
  const auto file = cache_files(cache.path())[0];
  const auto written = std::filesystem::last_write_time(file);

  auto second = Scanner::build(test_rules(), cache.path());
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(std::filesystem::last_write_time(file), written);  // loaded, not rewritten
  auto first_scratch = (*first)->make_scratch();
  auto second_scratch = (*second)->make_scratch();
  const auto expected = (*first)->scan(text, *first_scratch);
  const auto actual = (*second)->scan(text, *second_scratch);
  ASSERT_EQ(expected.size(), 2u);
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(actual[i].rule->id, expected[i].rule->id);
    EXPECT_EQ(actual[i].secret_begin, expected[i].secret_begin);
    EXPECT_EQ(actual[i].secret_end, expected[i].secret_end);
  }
}

TEST(Scanner, CorruptCacheFileIsRecompiled) {
  CacheDirectory cache;
  ASSERT_TRUE(Scanner::build(test_rules(), cache.path()).ok());
  const auto file = cache_files(cache.path()).at(0);
  {
    // Flip the last byte of the serialized database: the stored digest no longer matches.
    std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
    io.seekg(-1, std::ios::end);
    const char last = static_cast<char>(io.get());
    io.seekp(-1, std::ios::end);
    io.put(static_cast<char>(last ^ 0x5A));
  }
  auto rebuilt = Scanner::build(test_rules(), cache.path());
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.error().message;
  auto scratch = (*rebuilt)->make_scratch();
  EXPECT_EQ((*rebuilt)->scan("tkn_ABCDEFGHIJ0123456789", *scratch).size(), 1u);

  // The rewritten file loads again; a truncated one is ignored too.
  std::filesystem::resize_file(file, 10);
  auto after_truncation = Scanner::build(test_rules(), cache.path());
  ASSERT_TRUE(after_truncation.ok());
  auto scratch2 = (*after_truncation)->make_scratch();
  EXPECT_EQ((*after_truncation)->scan("tkn_ABCDEFGHIJ0123456789", *scratch2).size(), 1u);
  EXPECT_GT(std::filesystem::file_size(file), 10u);
}

TEST(Scanner, CacheKeyChangesWithThePatterns) {
  CacheDirectory cache;
  ASSERT_TRUE(Scanner::build(test_rules(), cache.path()).ok());
  auto changed = test_rules();
  changed[0].pattern = R"(\b(tkn_[A-Za-z0-9]{21})\b)";
  ASSERT_TRUE(Scanner::build(changed, cache.path()).ok());
  EXPECT_EQ(cache_files(cache.path()).size(), 2u);
}

}  // namespace
}  // namespace keyward::secrets
