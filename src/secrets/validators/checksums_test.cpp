#include "secrets/validators/checksums.hpp"

#include <gtest/gtest.h>

#include <string>

namespace keyward::secrets {
namespace {

// Fake tokens whose checksums were computed with Python's binascii.crc32, an implementation
// independent of the one under test.
constexpr std::string_view kClassicToken = "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";
constexpr std::string_view kRefreshToken =
    "ghr_KwFakeBjMtpsiaOclRz3AwzKsbVRJN9wVGFYGW2WmQzCudiH7YFjS1on43XkMtECqOxSF23XNpmt";
constexpr std::string_view kNpmToken = "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";
constexpr std::string_view kAgeKey = "AGE-SECRET-KEY-1DDJHJAMPWFJZQENPDDJJQCT8V5SXKETE9SSXUMM5YPEX2CTVYYSSZ3XYKN";

TEST(Crc32, MatchesTheStandardCheckValue) { EXPECT_EQ(crc32("123456789"), 0xCBF43926u); }

TEST(Base62, EncodesWithDigitsThenUpperThenLowerCase) {
  EXPECT_EQ(base62_encode(0, 6), "000000");
  EXPECT_EQ(base62_encode(35, 1), "Z");
  EXPECT_EQ(base62_encode(61, 1), "z");
  EXPECT_EQ(base62_encode(62, 2), "10");
  EXPECT_EQ(base62_encode(0xFFFFFFFFu, 6), "4gfFC3");
}

TEST(GithubChecksum, AcceptsClassicRefreshAndNpmTokens) {
  EXPECT_TRUE(underscore_token_checksum_valid(kClassicToken));
  EXPECT_TRUE(underscore_token_checksum_valid(kRefreshToken));
  EXPECT_TRUE(underscore_token_checksum_valid(kNpmToken));
}

TEST(GithubChecksum, ClassicTokenChecksumRejectsOneFlippedChar) {
  for (std::size_t i = 4; i < kClassicToken.size(); ++i) {
    std::string flipped(kClassicToken);
    flipped[i] = flipped[i] == 'a' ? 'b' : 'a';
    EXPECT_FALSE(underscore_token_checksum_valid(flipped)) << "position " << i;
  }
}

TEST(GithubChecksum, RejectsTokensWithoutRoomForAChecksum) {
  EXPECT_FALSE(underscore_token_checksum_valid("ghp_abc"));
  EXPECT_FALSE(underscore_token_checksum_valid("ghpKwFakeoHBvRPOIvGrv5iFlbCBFNOgm0FiVFY"));
  EXPECT_FALSE(underscore_token_checksum_valid(""));
}

// Valid and invalid strings from the BIP 173 test vectors.
TEST(Bech32, AcceptsBip173ValidStrings) {
  EXPECT_TRUE(bech32_valid("A12UEL5L"));
  EXPECT_TRUE(bech32_valid("a12uel5l"));
  EXPECT_TRUE(bech32_valid(
      "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs"));
  EXPECT_TRUE(bech32_valid("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"));
  EXPECT_TRUE(bech32_valid("split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w"));
}

TEST(Bech32, RejectsBip173InvalidStrings) {
  EXPECT_FALSE(bech32_valid("pzry9x0s0muk"));  // no separator
  EXPECT_FALSE(bech32_valid("1pzry9x0s0muk"));  // empty human-readable part
  EXPECT_FALSE(bech32_valid("x1b4n0q5v"));      // 'b' is not a data character
  EXPECT_FALSE(bech32_valid("li1dgmt3"));       // checksum too short
  EXPECT_FALSE(bech32_valid("A1G7SGD8"));       // checksum computed over an upper-case part
  EXPECT_FALSE(bech32_valid("A12uEL5L"));       // mixed case
}

TEST(Bech32, AgeKeyRejectsOneFlippedChar) {
  EXPECT_TRUE(bech32_valid(kAgeKey));
  for (std::size_t i = 16; i < kAgeKey.size(); ++i) {
    std::string flipped(kAgeKey);
    flipped[i] = flipped[i] == 'Q' ? 'P' : 'Q';
    EXPECT_FALSE(bech32_valid(flipped)) << "position " << i;
  }
}

}  // namespace
}  // namespace keyward::secrets
