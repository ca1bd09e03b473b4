#include "posture/policy/wildcard.hpp"

#include <gtest/gtest.h>

#include <string>

namespace keyward::posture::policy {
namespace {

TEST(WildcardMatch, StarMatchesAnyRun) {
  EXPECT_TRUE(action_matches("*", "iam:CreateUser"));
  EXPECT_TRUE(action_matches("iam:*", "iam:CreateUser"));
  EXPECT_TRUE(action_matches("iam:Create*", "iam:CreateUser"));
  EXPECT_TRUE(action_matches("iam:*User", "iam:CreateUser"));
  EXPECT_TRUE(action_matches("iam:*", "iam:"));
  EXPECT_FALSE(action_matches("iam:Create*", "iam:DeleteUser"));
  EXPECT_FALSE(action_matches("iam:*", "sts:AssumeRole"));
}

TEST(WildcardMatch, QuestionMarkMatchesOneCharacter) {
  EXPECT_TRUE(action_matches("s3:?etObject", "s3:GetObject"));
  EXPECT_FALSE(action_matches("s3:?etObject", "s3:etObject"));
  EXPECT_FALSE(action_matches("s3:Get?", "s3:Get"));
}

TEST(WildcardMatch, ActionsIgnoreCase) {
  EXPECT_TRUE(action_matches("IAM:createaccesskey", "iam:CreateAccessKey"));
  EXPECT_TRUE(action_matches("iam:create*", "IAM:CREATEUSER"));
}

TEST(WildcardMatch, ResourcesKeepCase) {
  EXPECT_TRUE(wildcard_match("arn:aws:s3:::Bucket/*", "arn:aws:s3:::Bucket/key", CaseSensitivity::sensitive));
  EXPECT_FALSE(wildcard_match("arn:aws:s3:::bucket/*", "arn:aws:s3:::Bucket/key", CaseSensitivity::sensitive));
}

TEST(WildcardMatch, StarBacktracksAcrossRepeats) {
  EXPECT_TRUE(action_matches("a*b*c", "aXbYbZc"));
  EXPECT_FALSE(action_matches("a*b*c", "aXbYbZ"));
  EXPECT_TRUE(action_matches("**", ""));
  EXPECT_FALSE(action_matches("", "x"));
}

TEST(WildcardMatch, HostilePatternFinishes) {
  std::string pattern(200, '*');
  pattern += "b";
  std::string text(5000, 'a');
  EXPECT_FALSE(action_matches(pattern, text));
}

TEST(WildcardMatch, PatternsOverlap) {
  EXPECT_TRUE(action_patterns_overlap("iam:*", "iam:Create*"));
  EXPECT_TRUE(action_patterns_overlap("*", "s3:*"));
  EXPECT_TRUE(action_patterns_overlap("IAM:*", "iam:*"));
  EXPECT_FALSE(action_patterns_overlap("iam:*", "s3:*"));
  EXPECT_FALSE(action_patterns_overlap("iam:Create*", "iam:Delete*"));
}

}  // namespace
}  // namespace keyward::posture::policy
