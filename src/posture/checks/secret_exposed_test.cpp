// Runs nhi.secret.exposed through a SQLite store and run_posture. The tests cover severity from
// status, privilege, use and places, evidence and remediation per platform, and the absence of
// any raw secret in a finding.

#include <gtest/gtest.h>

#include <filesystem>

#include <unistd.h>

#include "posture/engine.hpp"
#include "secrets/inventory_join.hpp"
#include "secrets/secret_text.hpp"
#include "store/store.hpp"

namespace keyward::posture {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kRule = "nhi.secret.exposed";
constexpr core::UnixTime kAsOf = 1'739'836'800;  // 2025-02-18T00:00:00Z
constexpr core::UnixTime kDay = core::kSecondsPerDay;
constexpr std::string_view kUserArn = "arn:aws:iam::111122223333:user/ci-deployer";
constexpr std::string_view kKeyId = "AKIAEXAMPLECIDEPLOY1";
constexpr std::string_view kCommit = "9fceb02d0ae598e95dc970b74767f19372d61af8";

class SecretExposedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("keyward-secret-exposed-test-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    remove_files();
    auto opened = store::open_sqlite_store(path_.string());
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    store_ = std::move(opened.value());
  }
  void TearDown() override {
    store_.reset();
    remove_files();
  }
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }

  // Stores an IAM user with one access key, and an admin grant when `admin`.
  void add_aws_user(std::string key_status, std::optional<core::UnixTime> last_used, bool admin) {
    store::Batch batch;
    core::Identity user;
    user.platform = "aws";
    user.id = std::string(kUserArn);
    user.kind = "iam_user";
    user.name = "ci-deployer";
    user.classification = core::Classification::machine;
    batch.identities.push_back(user);
    core::Credential key;
    key.platform = "aws";
    key.id = std::string(kKeyId);
    key.identity_id = std::string(kUserArn);
    key.kind = "aws_access_key";
    key.status = std::move(key_status);
    key.last_used = last_used;
    batch.credentials.push_back(key);
    if (admin) {
      core::Grant grant;
      grant.platform = "aws";
      grant.identity_id = std::string(kUserArn);
      grant.actions = {"*"};
      grant.resources = {"*"};
      grant.source_policy = "arn:aws:iam::aws:policy/AdministratorAccess";
      batch.grant_identities.push_back(std::string(kUserArn));
      batch.grants.push_back(grant);
    }
    ASSERT_TRUE(store_->commit(batch).ok());
  }

  void put(const std::vector<core::Exposure>& exposures) {
    const core::Status status = store_->put_exposures(exposures, kAsOf - kDay);
    ASSERT_TRUE(status.ok()) << status.error().describe();
  }

  std::vector<core::Finding> exposed_findings() {
    PostureOptions options;
    options.as_of = kAsOf;
    auto run = run_posture(*store_, options);
    EXPECT_TRUE(run.ok()) << run.error().describe();
    std::vector<core::Finding> findings;
    if (!run.ok()) return findings;
    for (auto& finding : run->findings) {
      if (finding.rule == kRule) findings.push_back(std::move(finding));
    }
    return findings;
  }

  fs::path path_;
  std::unique_ptr<store::Store> store_;
};

core::ExposureLocation location(std::string path, long long line, std::string commit = "") {
  core::ExposureLocation place;
  place.path = std::move(path);
  place.line = line;
  place.column = 5;
  place.commit = std::move(commit);
  return place;
}

core::Exposure key_id_exposure(std::vector<core::ExposureLocation> locations) {
  core::Exposure exposure;
  exposure.fingerprint = "hmac-sha256:" + std::string(32, 'a');
  exposure.rule_id = "aws.access_key_id";
  exposure.rule_name = "AWS access key id";
  exposure.redacted = "AKIA…PLY1";
  exposure.platform = "aws";
  exposure.identifier = std::string(kKeyId);
  exposure.locations = std::move(locations);
  return exposure;
}

std::string all_text(const core::Finding& finding) {
  std::string text = finding.title + "\n" + finding.remediation + "\n" + finding.safe_reason + "\n";
  for (const auto& evidence : finding.evidence) text += evidence.description + "\n";
  for (const auto& step : finding.remediation_steps) text += step + "\n";
  for (const auto& line : finding.check_first) text += line + "\n";
  for (const auto& factor : finding.risk_factors) text += factor.detail + "\n";
  return text;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST_F(SecretExposedTest, ActiveAdminKeyInHistoryIsCritical) {
  add_aws_user("active", kAsOf - 2 * kDay, true);
  put({key_id_exposure({location("deploy/vars.tf", 4, std::string(kCommit))})});

  const auto findings = exposed_findings();
  ASSERT_EQ(findings.size(), 1u);
  const core::Finding& finding = findings[0];
  EXPECT_EQ(finding.severity, core::Severity::critical);
  EXPECT_EQ(finding.credential_id, kKeyId);
  EXPECT_EQ(finding.identity.id, kUserArn);
  EXPECT_EQ(finding.owasp, "NHI2");
  const std::string text = all_text(finding);
  EXPECT_TRUE(contains(text, "deploy/vars.tf:4:5 in commit 9fceb02d0ae5")) << text;
  EXPECT_TRUE(contains(text, "by AWS access key id")) << text;
  EXPECT_TRUE(contains(text, "holds admin access")) << text;
  EXPECT_TRUE(contains(text, "update-access-key --user-name ci-deployer --access-key-id AKIAEXAMPLECIDEPLOY1 --status Inactive"))
      << text;
  EXPECT_TRUE(contains(text, "delete-access-key --user-name ci-deployer --access-key-id AKIAEXAMPLECIDEPLOY1")) << text;
  EXPECT_TRUE(contains(text, "git filter-repo")) << text;
  EXPECT_EQ(finding.safe_now, std::optional<bool>(false));
}

TEST_F(SecretExposedTest, ActiveKeyInOneFileIsHigh) {
  add_aws_user("active", kAsOf - 200 * kDay, false);
  put({key_id_exposure({location("notes.txt", 2)})});
  const auto findings = exposed_findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, core::Severity::high);
  EXPECT_FALSE(contains(all_text(findings[0]), "git filter-repo")) << "no location is in git history";
}

TEST_F(SecretExposedTest, ManyPlacesAndRecentUseRaiseToCritical) {
  add_aws_user("active", kAsOf - 2 * kDay, false);
  put({key_id_exposure({location("a.env", 1), location("b.env", 1), location("c.env", 1)})});
  const auto findings = exposed_findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, core::Severity::high) << "recent use and three places are 2 signals of 3";

  core::Exposure verified = key_id_exposure({});
  verified.verification = "active";
  put({verified});
  const auto raised = exposed_findings();
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].severity, core::Severity::critical);
}

TEST_F(SecretExposedTest, InactiveKeyIsLowAndSafe) {
  add_aws_user("inactive", std::nullopt, true);
  put({key_id_exposure({location("deploy/vars.tf", 4, std::string(kCommit))})});
  const auto findings = exposed_findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, core::Severity::low);
  EXPECT_EQ(findings[0].safe_now, std::optional<bool>(true));
  EXPECT_TRUE(contains(findings[0].title, "inactive")) << findings[0].title;
}

TEST_F(SecretExposedTest, RejectedByVerifyIsLow) {
  add_aws_user("active", kAsOf - 2 * kDay, true);
  core::Exposure exposure = key_id_exposure({location("deploy/vars.tf", 4, std::string(kCommit))});
  exposure.verification = "inactive";
  put({exposure});
  const auto findings = exposed_findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, core::Severity::low);
  EXPECT_TRUE(contains(findings[0].title, "rejected by --verify")) << findings[0].title;
}

TEST_F(SecretExposedTest, KeyIdAndSecretKeyGiveOneFinding) {
  add_aws_user("active", std::nullopt, false);
  core::Exposure key_id = key_id_exposure({location("deploy/vars.tf", 4)});
  core::Exposure secret_key;
  secret_key.fingerprint = "hmac-sha256:" + std::string(32, 'b');
  secret_key.rule_id = "aws.secret_access_key";
  secret_key.rule_name = "AWS secret access key";
  secret_key.redacted = "…Q2xZ";
  secret_key.platform = "aws";
  secret_key.paired_fingerprint = key_id.fingerprint;
  secret_key.locations = {location("deploy/vars.tf", 5)};
  put({key_id, secret_key});

  const auto findings = exposed_findings();
  ASSERT_EQ(findings.size(), 1u);
  const std::string text = all_text(findings[0]);
  EXPECT_TRUE(contains(text, "AKIA…PLY1 at deploy/vars.tf:4:5")) << text;
  EXPECT_TRUE(contains(text, "…Q2xZ at deploy/vars.tf:5:5")) << text;
}

TEST_F(SecretExposedTest, UnmatchedExposureRaisesNothing) {
  add_aws_user("active", std::nullopt, true);
  core::Exposure other = key_id_exposure({location("notes.txt", 2)});
  other.identifier = "AKIAEXAMPLEOTHER0001";
  put({other});
  EXPECT_TRUE(exposed_findings().empty());
}

TEST_F(SecretExposedTest, LocationEvidenceIsBounded) {
  add_aws_user("active", std::nullopt, false);
  std::vector<core::ExposureLocation> places;
  for (int i = 0; i < 25; ++i) places.push_back(location("copy" + std::to_string(i) + ".env", 1));
  put({key_id_exposure(places)});
  const auto findings = exposed_findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_LT(findings[0].evidence.size(), 20u);
  EXPECT_TRUE(contains(all_text(findings[0]), "and 15 more locations")) << all_text(findings[0]);
}

TEST_F(SecretExposedTest, GithubTokenCanaryNeverInFinding) {
  // A made-up classic token: the format only, no real credential.
  const std::string canary = "ghp_CANARYzq81Lm0Xv6TtPbW3nRk9YcJ2hGdF4sAe";
  store::Batch batch;
  core::Identity token;
  token.platform = "github";
  token.id = "token:12345678";
  token.kind = "github_pat_classic";
  token.name = "ci release token";
  token.owner = "octocat";
  token.attributes["sso_credential_id"] = "161195";
  batch.identities.push_back(token);
  core::Credential credential;
  credential.platform = "github";
  credential.id = "token:12345678";
  credential.identity_id = "token:12345678";
  credential.kind = "github_pat_classic";
  // What the credential-authorizations source keeps of token_last_eight.
  credential.attributes["token_redacted"] = "ghp_…" + canary.substr(canary.size() - 4);
  batch.credentials.push_back(credential);
  ASSERT_TRUE(store_->commit(batch).ok());

  auto key = store_->fingerprint_key();
  ASSERT_TRUE(key.ok());
  core::Exposure exposure;
  exposure.fingerprint = secrets::fingerprint(*key, canary);
  exposure.rule_id = "github.pat.classic";
  exposure.rule_name = "GitHub personal access token (classic)";
  exposure.redacted = secrets::redact(canary, 4);
  exposure.checksum_valid = true;
  exposure.platform = "github";
  exposure.join_key = secrets::github_join_key(*key, canary);
  exposure.locations = {location("tools/release.cfg", 12, std::string(kCommit))};
  put({exposure});

  const auto findings = exposed_findings();
  ASSERT_EQ(findings.size(), 1u);
  const std::string text = all_text(findings[0]);
  EXPECT_TRUE(contains(text, exposure.redacted)) << "control: the redacted form is shown";
  EXPECT_TRUE(contains(text, "https://api.github.com/credentials/revoke")) << text;
  EXPECT_TRUE(contains(text, "credential-authorizations/161195")) << text;
  EXPECT_TRUE(contains(text, "token prefix and last four characters")) << text;
  EXPECT_FALSE(contains(text, canary));
  EXPECT_FALSE(contains(text, canary.substr(4, canary.size() - 8)));
  EXPECT_FALSE(contains(text, canary.substr(canary.size() - 8)));
}

}  // namespace
}  // namespace keyward::posture
