// Checks the built-in secret rule catalogue as data: every pattern compiles in both engines, every
// rule is well formed, and every example behaves as stated when run through the real Scanner.

#include <gtest/gtest.h>
#include <hs/hs.h>
#include <re2/re2.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "secrets/rule.hpp"
#include "secrets/scanner.hpp"

namespace keyward::secrets {
namespace {

// Rules whose pattern Vectorscan accepts only in prefilter mode. Keep this list empty unless a
// format cannot be written in the subset both engines share.
const std::set<std::string> kPrefilterRules = {};

// Builds the catalogue once for all tests, because building takes seconds.
const core::Result<std::shared_ptr<const Scanner>>& catalogue_build() {
  static const core::Result<std::shared_ptr<const Scanner>> built = Scanner::build(builtin_rules());
  return built;
}

std::shared_ptr<const Scanner> catalogue_scanner() {
  return catalogue_build().ok() ? catalogue_build().value() : nullptr;
}

std::vector<Match> scan(std::string_view text) {
  auto scanner = catalogue_scanner();
  if (!scanner) return {};
  auto scratch = scanner->make_scratch();
  return scanner->scan(text, *scratch);
}

std::vector<Match> matches_of(const std::vector<Match>& matches, std::string_view rule_id) {
  std::vector<Match> own;
  for (const Match& match : matches) {
    if (match.rule->id == rule_id) own.push_back(match);
  }
  return own;
}

// Compiles the pattern alone, so a failure names its rule.
bool compiles_with_vectorscan(const std::string& pattern, unsigned flags) {
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile(pattern.c_str(), flags, HS_MODE_BLOCK, nullptr, &database, &error) != HS_SUCCESS) {
    hs_free_compile_error(error);
    return false;
  }
  hs_free_database(database);
  return true;
}

bool is_generic(const SecretRule& rule) { return rule.category == Category::generic; }

TEST(RuleCatalogue, HasAtLeast150Rules) { EXPECT_GE(builtin_rules().size(), 150u); }

TEST(RuleCatalogue, IdsAreUniqueAndWellFormed) {
  const RE2 id_shape(R"([a-z0-9_]+(\.[a-z0-9_]+)+)");
  std::set<std::string_view> seen;
  for (const SecretRule& rule : builtin_rules()) {
    EXPECT_TRUE(RE2::FullMatch(std::string(rule.id), id_shape)) << rule.id;
    EXPECT_TRUE(seen.insert(rule.id).second) << "duplicate id " << rule.id;
    EXPECT_FALSE(rule.name.empty()) << rule.id;
    EXPECT_FALSE(rule.service.empty()) << rule.id;
    EXPECT_FALSE(rule.pattern.empty()) << rule.id;
  }
}

TEST(RuleCatalogue, Re2CompilesEveryPattern) {
  for (const SecretRule& rule : builtin_rules()) {
    RE2 pattern(std::string(rule.pattern), RE2::Quiet);
    ASSERT_TRUE(pattern.ok()) << rule.id << ": " << pattern.error();
    EXPECT_EQ(pattern.NumberOfCapturingGroups(), 1) << rule.id;
    EXPECT_TRUE(pattern.NamedCapturingGroups().empty()) << rule.id;
  }
}

TEST(RuleCatalogue, VectorscanCompilesEveryPattern) {
  std::set<std::string> needed_prefilter;
  for (const SecretRule& rule : builtin_rules()) {
    const std::string pattern(rule.pattern);
    if (compiles_with_vectorscan(pattern, 0)) continue;
    EXPECT_TRUE(compiles_with_vectorscan(pattern, HS_FLAG_PREFILTER)) << rule.id;
    needed_prefilter.insert(std::string(rule.id));
  }
  EXPECT_EQ(needed_prefilter, kPrefilterRules);
}

TEST(RuleCatalogue, EveryRuleHasExamples) {
  for (const SecretRule& rule : builtin_rules()) {
    EXPECT_FALSE(rule.examples.empty()) << rule.id;
    EXPECT_FALSE(rule.negative_examples.empty()) << rule.id;
  }
}

TEST(RuleCatalogue, FieldsAreConsistent) {
  for (const SecretRule& rule : builtin_rules()) {
    EXPECT_TRUE(!rule.checksum || rule.validate != nullptr) << rule.id << ": checksum without a validator";
    EXPECT_TRUE(rule.credential_kind.empty() || !rule.platform.empty()) << rule.id;
    EXPECT_GE(rule.min_entropy, 0.0) << rule.id;
    EXPECT_LE(rule.min_entropy, 5.0) << rule.id;
    if (is_generic(rule)) {
      EXPECT_TRUE(rule.placeholder_filter) << rule.id;
      EXPECT_GE(rule.min_entropy, 3.0) << rule.id;
    }
  }
}

// The confirmer looks back max_match_length bytes from each Vectorscan end, so a longer match
// than declared would be cut off.
TEST(RuleCatalogue, MaxMatchLengthCoversEveryExample) {
  for (const SecretRule& rule : builtin_rules()) {
    const RE2 pattern(std::string(rule.pattern), RE2::Quiet);
    for (std::string_view example : rule.examples) {
      re2::StringPiece whole;
      ASSERT_TRUE(pattern.Match(example, 0, example.size(), RE2::UNANCHORED, &whole, 1)) << rule.id;
      EXPECT_LE(whole.size(), rule.max_match_length) << rule.id;
    }
  }
}

TEST(RuleCatalogue, ScannerBuildsFromTheCatalogue) {
  ASSERT_TRUE(catalogue_build().ok()) << catalogue_build().error().describe();
}

TEST(RuleCatalogue, ExamplesMatchExactlyOnce) {
  ASSERT_NE(catalogue_scanner(), nullptr);
  for (const SecretRule& rule : builtin_rules()) {
    const RE2 pattern(std::string(rule.pattern), RE2::Quiet);
    for (std::size_t i = 0; i < rule.examples.size(); ++i) {
      const std::string_view example = rule.examples[i];
      const auto own = matches_of(scan(example), rule.id);
      ASSERT_EQ(own.size(), 1u) << rule.id << " example " << i + 1;

      // The secret is capture group 1 of the first match, without surrounding quotes or spaces.
      re2::StringPiece groups[2];
      ASSERT_TRUE(pattern.Match(example, 0, example.size(), RE2::UNANCHORED, groups, 2)) << rule.id;
      const std::string_view secret = example.substr(own[0].secret_begin, own[0].secret_end - own[0].secret_begin);
      EXPECT_EQ(secret, std::string_view(groups[1].data(), groups[1].size())) << rule.id << " example " << i + 1;
      EXPECT_GE(secret.size(), 8u) << rule.id;
      const std::string_view edges = " \t\r\n\"'`,;";
      EXPECT_EQ(edges.find(secret.front()), std::string_view::npos) << rule.id << " example " << i + 1;
      EXPECT_EQ(edges.find(secret.back()), std::string_view::npos) << rule.id << " example " << i + 1;
      EXPECT_EQ(own[0].checksum_valid, rule.checksum) << rule.id;
    }
  }
}

TEST(RuleCatalogue, NegativeExamplesNeverMatch) {
  ASSERT_NE(catalogue_scanner(), nullptr);
  for (const SecretRule& rule : builtin_rules()) {
    for (std::size_t i = 0; i < rule.negative_examples.size(); ++i) {
      EXPECT_TRUE(matches_of(scan(rule.negative_examples[i]), rule.id).empty())
          << rule.id << " negative example " << i + 1;
    }
  }
}

TEST(RuleCatalogue, IdentifiersAreNotSecrets) {
  for (const SecretRule& rule : builtin_rules()) {
    if (rule.identifier == nullptr) continue;
    const RE2 pattern(std::string(rule.pattern), RE2::Quiet);
    for (std::string_view example : rule.examples) {
      re2::StringPiece groups[2];
      ASSERT_TRUE(pattern.Match(example, 0, example.size(), RE2::UNANCHORED, groups, 2)) << rule.id;
      const std::string identifier = rule.identifier(std::string_view(groups[1].data(), groups[1].size()),
                                                     std::string_view(groups[0].data(), groups[0].size()));
      EXPECT_FALSE(identifier.empty()) << rule.id;
      if (rule.id != "aws.access_key_id") {
        EXPECT_NE(identifier, std::string_view(groups[1].data(), groups[1].size())) << rule.id;
      }
    }
  }
}

// Keyword-anchored values that are common in real files and are not secrets.
TEST(GenericRules, IgnoreNonSecretValues) {
  const std::vector<std::string_view> inputs = {
      R"(password = "changeme")",
      R"(api_key: "${API_KEY}")",
      R"(secret: "{{ vault_secret }}")",
      R"(token = "<your-token-here>")",
      R"(PASSWORD=xxxxxxxxxxxxxxxx)",
      R"(client_secret = "your_client_secret_here")",
      R"(password = "abcdefgh12345678")",
      R"(password: "aaaaaaaaaaaaaaaa")",
      R"(token = getAccessTokenFromHeader)",
      R"(password = self.database_password)",
      R"(apiKey = "MY_SERVICE_API_KEY")",
      R"(secret = process.env.SESSION_SECRET)",
      R"("integrity": "sha512-9wKq3bT0JxYpR2vLm4sN8cD1fG6hZ5aE7uI0oP3qW2eR4tY6uI8oP0aS2dF4gH6jK8lZ0xC2vB4nM6qW8eR0tA==",)",
      R"(token: sha256-Xb8uI2oP4aS6dF8gH0jK2lZ4xC6vB8nM0qW2eR4tY6u=)",
      R"(password: ENC[AES256_GCM,data:9kE2mQ7xLp4R,iv:3vNq8Zt1Ws6Yb0Hc5Jd2Kf7Rg4Ue9Xa1Sm3Ln6Po8=,tag:Qa1Ws2Ed3Rf4Tg5Yh6Uj7Ik8w==,type:str])",
      R"(api_key: ENC[AES256_GCM,data:Zp0Xo9Ci8Vu7Bm6Nl5Kj4Hg3Fd2Sa1Qw==,iv:Mn8Bv7Cx6Za5Lk4Jh3Gf2Ds1Aq0Wp9Oe8Ir7Uy6Tt=,type:str])",
      R"(ssl_key_password_file = /etc/keyward/tls/server-key.pass)",
      R"(secret_file: "./config/production-secrets.yaml")",
      R"(<xmpMM:DocumentID>xmp.did:8F3A1B2C4D5E11E9A6B7C8D9E0F1A2B3</xmpMM:DocumentID> token=uuid:5f2b8c1e-3d4a-4b6c-9e8f-7a1b2c3d4e5f)",
      R"(/Producer (Adobe PDF Library 15.0) /Secret (xmp.iid:7C2D9E4F1A3B11EBB8C6D4E2F0A1B3C5))",
      R"(token = "0123456789")",
      R"(password: null)",
  };
  for (std::string_view input : inputs) {
    for (const Match& match : scan(input)) {
      EXPECT_FALSE(is_generic(*match.rule)) << match.rule->id << " matched: " << input;
    }
  }
}

TEST(GenericRules, FindBase64WithSlashAndPlus) {
  const auto matches = scan(R"(db_password = "Qm7/xT2+vL9kR4wZ")");
  ASSERT_EQ(matches_of(matches, "generic.password").size(), 1u);
}

TEST(RuleCatalogue, ManySameTypeTokensAllReported) {
  std::string text;
  std::vector<std::string> tokens;
  for (const SecretRule& rule : builtin_rules()) {
    if (rule.id != "slack.bot_token") continue;
    // Take the bot token out of the rule's first example and repeat it with varied separators.
    const RE2 pattern(std::string(rule.pattern), RE2::Quiet);
    std::string token;
    ASSERT_TRUE(RE2::PartialMatch(rule.examples.front(), pattern, &token));
    for (int i = 0; i < 40; ++i) {
      std::string variant = token;
      variant[variant.size() - 1 - static_cast<std::size_t>(i % 10)] = static_cast<char>('a' + i % 26);
      variant[variant.size() - 12] = static_cast<char>('A' + i / 10);
      tokens.push_back(variant);
      text += variant;
      text += (i % 3 == 0) ? "\n" : (i % 3 == 1 ? " " : ",");
    }
  }
  ASSERT_EQ(tokens.size(), 40u);
  const auto own = matches_of(scan(text), "slack.bot_token");
  std::set<std::string> found;
  for (const Match& match : own) found.insert(text.substr(match.secret_begin, match.secret_end - match.secret_begin));
  EXPECT_EQ(found, std::set<std::string>(tokens.begin(), tokens.end()));
}

TEST(RuleCatalogue, AdjacentTokensAllFound) {
  std::map<std::string_view, std::string> first_example;
  for (const SecretRule& rule : builtin_rules()) {
    if (rule.id != "github.pat.classic" && rule.id != "gitlab.pat") continue;
    const RE2 pattern(std::string(rule.pattern), RE2::Quiet);
    std::string token;
    ASSERT_TRUE(RE2::PartialMatch(rule.examples.front(), pattern, &token));
    first_example[rule.id] = token;
  }
  for (const auto& [id, token] : first_example) {
    const std::string text = token + "\n" + token + " " + token;
    EXPECT_EQ(matches_of(scan(text), id).size(), 3u) << id;
  }
}

// docs/secret-rules.md lists the catalogue, so a rule added without a row there fails this test.
TEST(RuleCatalogue, DocsListEveryRule) {
  std::ifstream file(std::string(KEYWARD_SOURCE_DIR) + "/docs/secret-rules.md");
  ASSERT_TRUE(file.good()) << "docs/secret-rules.md is missing";
  std::stringstream contents;
  contents << file.rdbuf();
  for (const SecretRule& rule : builtin_rules()) {
    EXPECT_NE(contents.str().find("| `" + std::string(rule.id) + "` |"), std::string::npos)
        << rule.id << " is not listed in docs/secret-rules.md";
  }
}

}  // namespace
}  // namespace keyward::secrets
