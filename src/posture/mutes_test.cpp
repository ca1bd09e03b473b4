#include "posture/mutes.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace keyward::posture {
namespace {

constexpr core::UnixTime kJune1 = 1748736000;  // 2025-06-01T00:00:00Z

core::Finding finding(const std::string& rule, const std::string& platform, const std::string& id, const std::string& name) {
  core::Finding result;
  result.rule = rule;
  result.identity = {platform, id, name};
  return result;
}

std::vector<Mute> parse(std::string_view yaml) {
  auto mutes = parse_mutes(yaml, "mutes.yaml");
  EXPECT_TRUE(mutes.ok()) << mutes.error().describe();
  return mutes.ok() ? *mutes : std::vector<Mute>{};
}

core::Error parse_error(std::string_view yaml) {
  auto mutes = parse_mutes(yaml, "mutes.yaml");
  EXPECT_FALSE(mutes.ok());
  return mutes.ok() ? core::Error{} : mutes.error();
}

TEST(MuteMatching, RuleGlobAndIdentityNameOrId) {
  const auto mutes = parse(R"(
mutes:
  - rule: "aws.access_key.*"
    identity: "ci-*"
    reason: CI keys are rotated by the pipeline
)");
  ASSERT_EQ(mutes.size(), 1u);
  const IdentityTags no_tags;
  EXPECT_TRUE(mute_matches(mutes[0], finding("aws.access_key.unused", "aws", "arn:aws:iam::111122223333:user/ci-deployer", "ci-deployer"), no_tags));
  EXPECT_FALSE(mute_matches(mutes[0], finding("aws.user.console_without_mfa", "aws", "arn:aws:iam::1:user/ci-deployer", "ci-deployer"), no_tags));
  EXPECT_FALSE(mute_matches(mutes[0], finding("aws.access_key.unused", "aws", "arn:aws:iam::1:user/backup", "backup"), no_tags));

  const auto by_id = parse(R"(
mutes:
  - identity: "arn:aws:iam::111122223333:*"
    reason: sandbox account
)");
  EXPECT_TRUE(mute_matches(by_id[0], finding("aws.access_key.unused", "aws", "arn:aws:iam::111122223333:user/x", "x"), no_tags));
  EXPECT_FALSE(mute_matches(by_id[0], finding("aws.access_key.unused", "aws", "arn:aws:iam::444455556666:user/x", "x"), no_tags));
}

TEST(MuteMatching, EveryGivenFieldMustMatch) {
  const auto mutes = parse(R"(
mutes:
  - rule: "*.unused"
    platform: GitHub
    vendor: "acme*"
    reason: vendor app pending removal
)");
  ASSERT_EQ(mutes.size(), 1u);
  EXPECT_EQ(mutes[0].platform, "github");
  core::Finding app = finding("github.app.unused", "github", "12345", "acme-ci");
  app.context.vendor = "ACME Corp";
  EXPECT_TRUE(mute_matches(mutes[0], app, {}));

  core::Finding other_vendor = app;
  other_vendor.context.vendor = "Other";
  EXPECT_FALSE(mute_matches(mutes[0], other_vendor, {}));
  core::Finding other_platform = app;
  other_platform.identity.platform = "slack";
  EXPECT_FALSE(mute_matches(mutes[0], other_platform, {}));
}

TEST(MuteMatching, TagsByKeyOrKeyValue) {
  const auto mutes = parse(R"(
mutes:
  - tags: ["env=sandbox", "temporary"]
    reason: sandbox experiments
)");
  ASSERT_EQ(mutes.size(), 1u);
  ASSERT_EQ(mutes[0].tags.size(), 2u);

  core::Identity tagged;
  tagged.platform = "aws";
  tagged.id = "arn:aws:iam::1:role/experiment";
  tagged.attributes = {{"tags", {{"env", "sandbox"}, {"temporary", "yes"}}}};
  core::Identity production = tagged;
  production.id = "arn:aws:iam::1:role/prod";
  production.attributes = {{"tags", {{"env", "production"}, {"temporary", "yes"}}}};
  const IdentityTags tags = collect_identity_tags({tagged, production});

  EXPECT_TRUE(mute_matches(mutes[0], finding("aws.role.unused", "aws", tagged.id, "experiment"), tags));
  EXPECT_FALSE(mute_matches(mutes[0], finding("aws.role.unused", "aws", production.id, "prod"), tags));
  // Without tag data for the identity, a tag condition cannot hold.
  EXPECT_FALSE(mute_matches(mutes[0], finding("aws.role.unused", "aws", tagged.id, "experiment"), {}));

  const auto as_map = parse("mutes:\n  - tags: {env: sandbox}\n    reason: sandbox\n");
  EXPECT_TRUE(mute_matches(as_map[0], finding("aws.role.unused", "aws", tagged.id, "experiment"), tags));
}

TEST(ApplyMutes, MarksMatchingFindingsMuted) {
  const auto mutes = parse(R"(
mutes:
  - rule: aws.access_key.unused
    reason: first
    expires: 2025-06-30
  - rule: "aws.*"
    reason: second
)");
  std::vector<core::Finding> findings = {
      finding("aws.access_key.unused", "aws", "a", "a"),
      finding("aws.role.unused", "aws", "b", "b"),
      finding("gcp.key.unused", "gcp", "c", "c"),
      finding("aws.access_key.unused", "aws", "d", "d"),
  };
  findings[3].status = core::FindingStatus::resolved;

  const MuteOutcome outcome = apply_mutes(findings, mutes, kJune1);
  EXPECT_EQ(outcome.muted, 2u);
  EXPECT_TRUE(outcome.expired.empty());
  EXPECT_EQ(findings[0].status, core::FindingStatus::muted);
  EXPECT_EQ(findings[0].status_reason, "mute: first");
  // A date expiry mutes through the end of that day.
  EXPECT_EQ(findings[0].status_until, core::parse_time("2025-07-01T00:00:00Z"));
  EXPECT_EQ(findings[1].status_reason, "mute: second");
  EXPECT_FALSE(findings[1].status_until.has_value());
  EXPECT_EQ(findings[2].status, core::FindingStatus::open);
  EXPECT_EQ(findings[3].status, core::FindingStatus::resolved);
}

TEST(ApplyMutes, ExpiredMutesAreReported) {
  const auto mutes = parse(R"(
mutes:
  - rule: aws.access_key.unused
    reason: until end of May
    expires: 2025-05-31
  - rule: aws.role.unused
    reason: until noon
    expires: 2025-06-01T12:00:00Z
)");
  std::vector<core::Finding> findings = {finding("aws.access_key.unused", "aws", "a", "a"),
                                         finding("aws.role.unused", "aws", "b", "b")};
  const MuteOutcome outcome = apply_mutes(findings, mutes, kJune1);
  ASSERT_EQ(outcome.expired.size(), 1u);
  EXPECT_EQ(outcome.expired[0].reason, "until end of May");
  EXPECT_EQ(outcome.expired[0].line, 3);
  EXPECT_EQ(findings[0].status, core::FindingStatus::open);
  EXPECT_EQ(findings[1].status, core::FindingStatus::muted);

  const std::string warning = describe_expired_mute(outcome.expired[0]);
  EXPECT_NE(warning.find("mutes.yaml:3:"), std::string::npos) << warning;
  EXPECT_NE(warning.find("until end of May"), std::string::npos) << warning;
}

TEST(MuteFile, ErrorsNameLineAndFix) {
  const core::Error no_reason = parse_error("mutes:\n  - rule: aws.access_key.unused\n  - rule: aws.role.unused\n    identity: x\n");
  EXPECT_EQ(no_reason.file, "mutes.yaml");
  EXPECT_EQ(no_reason.line, 2);
  EXPECT_NE(no_reason.message.find("no 'reason'"), std::string::npos) << no_reason.message;

  const core::Error unknown_key = parse_error("mutes:\n  - rule: a\n    reason: r\n    rules: b\n");
  EXPECT_EQ(unknown_key.line, 4);
  EXPECT_NE(unknown_key.message.find("unknown key 'rules'"), std::string::npos) << unknown_key.message;

  const core::Error bad_date = parse_error("mutes:\n  - rule: a\n    reason: r\n    expires: next week\n");
  EXPECT_EQ(bad_date.line, 4);
  EXPECT_NE(bad_date.message.find("invalid expires 'next week'"), std::string::npos) << bad_date.message;

  const core::Error match_all = parse_error("mutes:\n  - reason: everything\n");
  EXPECT_EQ(match_all.line, 2);
  EXPECT_NE(match_all.message.find("every finding"), std::string::npos) << match_all.message;

  const core::Error bad_platform = parse_error("mutes:\n  - platform: gihub\n    reason: r\n");
  EXPECT_EQ(bad_platform.line, 2);
  EXPECT_NE(bad_platform.message.find("unknown platform 'gihub'"), std::string::npos) << bad_platform.message;

  const core::Error syntax = parse_error("mutes:\n  - rule: a\n    reason: [unclosed\n");
  EXPECT_GE(syntax.line, 3);
  EXPECT_NE(syntax.message.find("invalid YAML"), std::string::npos) << syntax.message;
  EXPECT_NE(syntax.describe().find("mutes.yaml:"), std::string::npos) << syntax.describe();
}

TEST(MuteFile, LoadsFromDiskAndReportsMissingFile) {
  const auto path = std::filesystem::temp_directory_path() / ("keyward-mutes-" + std::to_string(::getpid()) + ".yaml");
  {
    std::ofstream out(path);
    out << "# accepted risks\nmutes:\n  - rule: aws.access_key.unused\n    reason: known\n";
  }
  auto loaded = load_mutes(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ((*loaded)[0].file, path.string());
  EXPECT_EQ((*loaded)[0].line, 3);

  auto missing = load_mutes(path.string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::io_error);
  EXPECT_EQ(missing.error().file, path.string());
}

TEST(MuteFile, EmptyFileHasNoMutes) {
  EXPECT_TRUE(parse("").empty());
  EXPECT_TRUE(parse("mutes:\n").empty());
}

}  // namespace
}  // namespace keyward::posture
