// End-to-end tests of `keyward scan` as a user runs it: files, git history, stdin, archives,
// baselines, the inventory join, exit codes, and a canary secret that must never appear in any
// output, file or database.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cli_harness.hpp"
#include "secrets/verify/mock_api.hpp"

namespace keyward::testing {
namespace {

// A key id and secret key written for these tests: valid in shape, never issued by AWS. The
// secret key is the canary.
constexpr std::string_view kKeyId = "AKIAQ3EGUXYZW2RTN7PL";
constexpr std::string_view kCanary = "Kw7nQ2xCanaryZ4pL8rT1vB6/mW3yH5jR0sD9+fG";

std::string aws_credentials_file() {
  return "[default]\naws_access_key_id = " + std::string(kKeyId) + "\naws_secret_access_key = " + std::string(kCanary) +
         "\nregion = eu-west-1\n";
}

void expect_no_canary(const std::string& text, const std::string& where) {
  EXPECT_EQ(text.find(kCanary), std::string::npos) << "the canary secret appears in " << where;
}

int git(const std::filesystem::path& repo, const std::string& args) {
  const std::string command = "cd '" + repo.string() +
                              "' && git -c user.name=Test -c user.email=test@example.com -c init.defaultBranch=main " +
                              args + " >/dev/null 2>&1";
  return std::system(command.c_str());
}

TEST(ScanCli, FindsKeyPairAndExitsThree) {
  TempDir dir;
  write_file(dir / "repo/.aws/credentials", aws_credentials_file());
  const CommandResult result = run_keyward(dir.path(), "--db k.db scan repo");
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.out.find("AKIA"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(".aws/credentials"), std::string::npos) << result.out;
  expect_no_canary(result.out + result.err, "stdout or stderr");
}

TEST(ScanCli, CanaryAbsentFromEveryFormatAndTheDatabase) {
  TempDir dir;
  write_file(dir / "repo/.aws/credentials", aws_credentials_file());
  write_file(dir / "repo/deploy.sh", "export AWS_SECRET_ACCESS_KEY=" + std::string(kCanary) + "\n");
  for (const std::string format : {"table", "json", "csv", "sarif", "ocsf", "html"}) {
    const CommandResult result = run_keyward(dir.path(), "--db k.db scan repo --format " + format);
    EXPECT_EQ(result.exit_code, 3) << format << ": " << result.err;
    EXPECT_FALSE(result.out.empty()) << format;
    expect_no_canary(result.out + result.err, "--format " + format);
  }
  const CommandResult files =
      run_keyward(dir.path(), "--db k.db scan repo -o json=out.json -o sarif=out.sarif -o ocsf=out.ocsf");
  EXPECT_EQ(files.exit_code, 3) << files.err;
  for (const std::string name : {"out.json", "out.sarif", "out.ocsf"}) {
    const std::string text = read_file(dir / name);
    EXPECT_FALSE(text.empty()) << name;
    expect_no_canary(text, name);
  }
  for (const std::string name : {"k.db", "k.db-wal"}) {
    if (std::filesystem::exists(dir / name)) expect_no_canary(read_file(dir / name), name);
  }
}

TEST(ScanCli, RescanAddsNoDuplicates) {
  TempDir dir;
  write_file(dir / "repo/creds", aws_credentials_file());
  ASSERT_EQ(run_keyward(dir.path(), "--db k.db scan repo --format json -o json=first.json").exit_code, 3);
  const CommandResult second = run_keyward(dir.path(), "--db k.db scan repo --format json");
  ASSERT_EQ(second.exit_code, 3);
  EXPECT_EQ(read_file(dir / "first.json"), second.out);
}

TEST(ScanCli, ReadsStdin) {
  TempDir dir;
  const CommandResult result = run_keyward(dir.path(), "scan --no-store -" , aws_credentials_file());
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.out.find("AKIA"), std::string::npos);
  expect_no_canary(result.out + result.err, "stdin scan output");
}

TEST(ScanCli, FindsSecretDeletedFromHistoryWithItsCommit) {
  TempDir dir;
  const auto repo = dir / "repo";
  std::filesystem::create_directories(repo);
  ASSERT_EQ(git(repo, "init"), 0);
  write_file(repo / "config.ini", aws_credentials_file());
  ASSERT_EQ(git(repo, "add config.ini"), 0);
  ASSERT_EQ(git(repo, "commit -m add-config"), 0);
  ASSERT_EQ(git(repo, "rm config.ini"), 0);
  ASSERT_EQ(git(repo, "commit -m remove-config"), 0);

  const CommandResult result = run_keyward(dir.path(), "scan --no-store repo --format json");
  ASSERT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.out.find("\"commit\""), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("config.ini"), std::string::npos) << result.out;

  const CommandResult tree_only = run_keyward(dir.path(), "scan --no-store repo --no-history");
  EXPECT_EQ(tree_only.exit_code, 0) << tree_only.out;
}

TEST(ScanCli, BaselineFailsOnlyOnNewSecrets) {
  TempDir dir;
  write_file(dir / "repo/creds", aws_credentials_file());
  const CommandResult written = run_keyward(dir.path(), "scan --no-store repo --write-baseline base.json");
  EXPECT_EQ(written.exit_code, 0) << written.err;
  expect_no_canary(read_file(dir / "base.json"), "the baseline file");

  EXPECT_EQ(run_keyward(dir.path(), "scan --no-store repo --baseline base.json").exit_code, 0);

  write_file(dir / "repo/new.env", "SLACK_WEBHOOK=https://hooks.slack.com/services/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\n");
  const CommandResult added = run_keyward(dir.path(), "scan --no-store repo --baseline base.json --format json");
  EXPECT_EQ(added.exit_code, 3) << added.out;
  EXPECT_NE(added.out.find("new.env"), std::string::npos);
  EXPECT_EQ(added.out.find("\"creds\""), std::string::npos) << added.out;
}

TEST(ScanCli, CorruptArchiveIsReportedNotScanned) {
  TempDir dir;
  write_file(dir / "in/broken.zip", std::string("PK\x03\x04", 4) + std::string(200, '\x7f'));
  const CommandResult result = run_keyward(dir.path(), "scan --no-store in");
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE((result.out + result.err).find("broken.zip"), std::string::npos) << result.out << result.err;
}

TEST(ScanCli, CleanInputExitsZero) {
  TempDir dir;
  write_file(dir / "src/main.py", "def handler(event):\n    return {'statusCode': 200}\n");
  EXPECT_EQ(run_keyward(dir.path(), "scan --no-store src").exit_code, 0);
}

TEST(ScanCli, MatchesIngestedAccessKeyAndRaisesFinding) {
  TempDir dir;
  write_file(dir / "keys.json", "{\"AccessKeyMetadata\": [{\"UserName\": \"svc-deploy\", \"AccessKeyId\": \"" +
                                    std::string(kKeyId) +
                                    "\", \"Status\": \"Active\", \"CreateDate\": \"2024-06-01T08:00:05Z\"}], "
                                    "\"IsTruncated\": false}\n");
  const CommandResult ingest = run_keyward(dir.path(), "--db k.db ingest keys.json");
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  write_file(dir / "repo/.aws/credentials", aws_credentials_file());

  const CommandResult scan = run_keyward(dir.path(), "--db k.db scan repo");
  EXPECT_EQ(scan.exit_code, 3) << scan.err;
  EXPECT_NE(scan.out.find("Matched to the inventory"), std::string::npos) << scan.out;
  EXPECT_NE(scan.out.find("svc-deploy"), std::string::npos) << scan.out;

  const CommandResult findings = run_keyward(dir.path(), "--db k.db findings --format json");
  EXPECT_EQ(findings.exit_code, 0) << findings.err;
  EXPECT_NE(findings.out.find("secret.exposed"), std::string::npos) << findings.out;
  expect_no_canary(findings.out, "findings output");
}

// Two authorized tokens share the last four characters, so only the last eight, which the
// credential-authorizations export gives, tell them apart.
TEST(ScanCli, MatchesGitHubTokenByItsLastEight) {
  TempDir dir;
  const std::string token = "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";  // a rule example, valid checksum
  const auto authorization = [](const std::string& login, long long id, const std::string& last_eight) {
    return "{\"login\": \"" + login + "\", \"credential_id\": " + std::to_string(id) +
           ", \"credential_type\": \"personal access token\", \"token_last_eight\": \"" + last_eight +
           "\", \"credential_authorized_at\": \"2025-03-01T10:00:00Z\", \"credential_accessed_at\": "
           "\"2026-11-30T09:00:00Z\", \"scopes\": [\"repo\"], \"authorized_credential_id\": " +
           std::to_string(id + 1000) + ", \"authorized_credential_expires_at\": null}";
  };
  write_file(dir / "credential-authorizations.json",
             "[" + authorization("release-bot", 501, "FX07xAGb") + ", " + authorization("octocat", 502, "ab12xAGb") + "]\n");
  const CommandResult ingest = run_keyward(dir.path(), "--db k.db ingest credential-authorizations.json");
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  write_file(dir / "repo/.env", "GITHUB_TOKEN=" + token + "\n");

  const CommandResult scan = run_keyward(dir.path(), "--db k.db scan repo --format json");
  EXPECT_EQ(scan.exit_code, 3) << scan.err;
  EXPECT_NE(scan.out.find("release-bot"), std::string::npos) << scan.out;
  EXPECT_EQ(scan.out.find("octocat"), std::string::npos) << scan.out;
  EXPECT_NE(scan.out.find("last eight characters of the token"), std::string::npos) << scan.out;
  EXPECT_EQ(scan.out.find(token), std::string::npos) << "the token appears in the scan output";
  const CommandResult exposures = run_keyward(dir.path(), "--db k.db exposures --matched --format json");
  EXPECT_NE(exposures.out.find("release-bot"), std::string::npos) << exposures.out;
}

TEST(ScanCli, VerifyAsksTheConfiguredEndpoint) {
  TempDir dir;
  secrets::verification::testing::MockApi github;
  github.on("GET", "/user", [](const httplib::Request& request, httplib::Response& response) {
    const bool live = request.get_header_value("Authorization").find("xAGb") != std::string::npos;
    response.status = live ? 200 : 401;
    response.set_content(live ? R"({"login":"ci-bot","id":7})" : R"({"message":"Bad credentials"})", "application/json");
  });
  ASSERT_TRUE(github.start());
  write_file(dir / "keyward.yaml", "secrets:\n  verify:\n    endpoints:\n      github: " + github.url() + "\n");
  write_file(dir / "repo/ci.env", "GITHUB_TOKEN=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\n");

  const CommandResult result = run_keyward(dir.path(), "scan --no-store repo --verify --format json");
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.out.find("\"verification\": \"active\""), std::string::npos) << result.out;

  const CommandResult without = run_keyward(dir.path(), "scan --no-store repo --format json");
  EXPECT_NE(without.out.find("\"verification\": \"\""), std::string::npos) << without.out;
}

}  // namespace
}  // namespace keyward::testing
