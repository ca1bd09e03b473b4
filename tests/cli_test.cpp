// End-to-end tests of the keyward command line: exit codes, idempotent ingest, bad input,
// output shapes, and that no secret from the input reaches the store or the output.

#include <gtest/gtest.h>
#include <libdeflate.h>

#include <nlohmann/json.hpp>

#include "tests/cli_harness.hpp"

namespace keyward::testing {
namespace {

using nlohmann::json;

json cloudtrail_record(const std::string& event_name, const std::string& event_id, const std::string& time,
                       json request_parameters = nullptr) {
  return {
      {"eventVersion", "1.09"},
      {"userIdentity",
       {{"type", "IAMUser"},
        {"principalId", "AIDAEXAMPLEPRINCIPAL1"},
        {"arn", "arn:aws:iam::111122223333:user/ci-deployer"},
        {"accountId", "111122223333"},
        {"accessKeyId", "AKIAEXAMPLEKEY000001"},
        {"userName", "ci-deployer"}}},
      {"eventTime", time},
      {"eventSource", "iam.amazonaws.com"},
      {"eventName", event_name},
      {"awsRegion", "us-east-1"},
      {"sourceIPAddress", "203.0.113.10"},
      {"userAgent", "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.9"},
      {"requestParameters", request_parameters},
      {"responseElements", nullptr},
      {"requestID", "req-" + event_id},
      {"eventID", event_id},
      {"readOnly", false},
      {"eventType", "AwsApiCall"},
      {"managementEvent", true},
      {"recipientAccountId", "111122223333"},
      {"eventCategory", "Management"},
  };
}

// A trail file in the S3 delivery shape: a key created for another user, which every build alerts on.
std::string backdoor_trail() {
  json records = json::array();
  records.push_back(cloudtrail_record("GetUser", "00000000-0000-4000-8000-000000000001", "2026-11-02T10:00:00Z"));
  records.push_back(cloudtrail_record("CreateAccessKey", "00000000-0000-4000-8000-000000000002", "2026-11-02T10:01:00Z",
                                      {{"userName", "admin-alice"}}));
  return json{{"Records", records}}.dump();
}

std::string gzip(const std::string& data) {
  libdeflate_compressor* compressor = libdeflate_alloc_compressor(6);
  std::string out(libdeflate_gzip_compress_bound(compressor, data.size()), '\0');
  out.resize(libdeflate_gzip_compress(compressor, data.data(), data.size(), out.data(), out.size()));
  libdeflate_free_compressor(compressor);
  return out;
}

json parse_json_output(const CommandResult& result) {
  json value = json::parse(result.out, nullptr, false);
  EXPECT_FALSE(value.is_discarded()) << "not JSON: " << result.out.substr(0, 300);
  return value;
}

TEST(Cli, VersionAndHelp) {
  TempDir dir;
  auto version = run_keyward(dir.path(), "--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("keyward "), std::string::npos);

  auto help = run_keyward(dir.path(), "ingest --help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* source : {"aws-cloudtrail", "aws-authorization-details", "aws-credential-report", "aws-access-keys"}) {
    EXPECT_NE(help.out.find(source), std::string::npos) << source;
  }
  for (const char* command : {"ingest", "inventory", "show", "vendors", "findings", "alerts", "timeline", "demo"}) {
    auto command_help = run_keyward(dir.path(), std::string(command) + " --help");
    EXPECT_EQ(command_help.exit_code, 0) << command;
  }
}

TEST(Cli, UsageErrorsExitTwo) {
  TempDir dir;
  EXPECT_EQ(run_keyward(dir.path(), "ingest").exit_code, 2);
  EXPECT_EQ(run_keyward(dir.path(), "findings --format yaml").exit_code, 2);
  EXPECT_EQ(run_keyward(dir.path(), "nonsense").exit_code, 2);
  auto unknown_source = run_keyward(dir.path(), "ingest --source nope trail.json");
  EXPECT_EQ(unknown_source.exit_code, 2);
  EXPECT_NE(unknown_source.err.find("aws-cloudtrail"), std::string::npos) << "the error lists the sources";
  auto bad_date = run_keyward(dir.path(), "findings --as-of 2025-13-40");
  EXPECT_EQ(bad_date.exit_code, 2);
  EXPECT_NE(bad_date.err.find("2025-13-40"), std::string::npos) << bad_date.err;
}

TEST(Cli, IngestTwiceAddsNothing) {
  TempDir dir;
  write_file(dir / "trail.json", backdoor_trail());
  auto first = run_keyward(dir.path(), "ingest trail.json");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto alerts_before = parse_json_output(run_keyward(dir.path(), "alerts --format json"));
  ASSERT_TRUE(alerts_before.is_array());
  ASSERT_GE(alerts_before.size(), 1u);

  auto second = run_keyward(dir.path(), "ingest trail.json");
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("already ingested"), std::string::npos) << second.out;
  auto alerts_after = parse_json_output(run_keyward(dir.path(), "alerts --format json"));
  EXPECT_EQ(alerts_after, alerts_before);

  // The identity is known from activity only; its one day of activity still counts 2 calls.
  auto timeline = run_keyward(dir.path(), "timeline ci-deployer --format json");
  ASSERT_EQ(timeline.exit_code, 0) << timeline.err;
  json entries = parse_json_output(timeline);
  int activity_days = 0;
  for (const auto& entry : entries) {
    if (entry["type"] != "activity") continue;
    ++activity_days;
    EXPECT_EQ(entry["details"]["calls"], 2) << entry.dump();
  }
  EXPECT_EQ(activity_days, 1) << entries.dump(2);
}

TEST(Cli, WrongSourceDoesNotBlockContent) {
  TempDir dir;
  write_file(dir / "tokens.json",
             R"([{"id":"00Tabc0000000000001","name":"sync","userId":"00u1","clientName":"Okta API",)"
             R"("created":"2026-01-01T00:00:00.000Z","expiresAt":"2026-12-31T00:00:00.000Z","network":{"connection":"ANYWHERE"}}])");
  auto wrong = run_keyward(dir.path(), "ingest --source slack-approved-apps tokens.json");
  EXPECT_EQ(run_keyward(dir.path(), "inventory --format json").out.find("00Tabc0000000000001"), std::string::npos);

  auto detected = run_keyward(dir.path(), "ingest tokens.json");
  EXPECT_EQ(detected.exit_code, 0) << detected.err;
  EXPECT_EQ(detected.out.find("already ingested"), std::string::npos) << detected.out;
  EXPECT_NE(run_keyward(dir.path(), "inventory --format json").out.find("00Tabc0000000000001"), std::string::npos);

  auto again = run_keyward(dir.path(), "ingest tokens.json");
  EXPECT_NE(again.out.find("already ingested"), std::string::npos) << again.out;
}

TEST(Cli, AlertJsonHasDocumentedFields) {
  TempDir dir;
  write_file(dir / "trail.json.gz", gzip(backdoor_trail()));
  ASSERT_EQ(run_keyward(dir.path(), "ingest trail.json.gz").exit_code, 0);
  json alerts = parse_json_output(run_keyward(dir.path(), "alerts --format json"));
  ASSERT_TRUE(alerts.is_array());
  bool found = false;
  for (const auto& alert : alerts) {
    for (const char* key : {"detector", "severity", "score", "identity", "time", "evidence", "remediation"}) {
      EXPECT_TRUE(alert.contains(key)) << key;
    }
    EXPECT_TRUE(alert["evidence"].is_array());
    if (alert["detector"] == "aws.iam.credential_created_for_other_principal") {
      found = true;
      EXPECT_EQ(alert["identity"]["id"], "arn:aws:iam::111122223333:user/ci-deployer");
      EXPECT_EQ(alert["time"], "2026-11-02T10:01:00Z");
      ASSERT_FALSE(alert["evidence"].empty());
      EXPECT_EQ(alert["evidence"][0]["file"], "trail.json.gz");
      EXPECT_GE(alert["evidence"][0]["offset"].get<long long>(), 0);
    }
  }
  EXPECT_TRUE(found) << alerts.dump(2);
}

TEST(Cli, UnreadableInputExitsOneAndOthersLand) {
  TempDir dir;
  write_file(dir / "trail.json", backdoor_trail());
  write_file(dir / "notes.txt", "hello, this is not an export\n");
  const std::string gz = gzip(backdoor_trail());
  write_file(dir / "truncated.json.gz", gz.substr(0, gz.size() / 2));

  auto result = run_keyward(dir.path(), "ingest missing.json notes.txt truncated.json.gz trail.json");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("missing.json"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("notes.txt"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("not a recognized format"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("truncated.json.gz"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("truncated"), std::string::npos) << result.err;

  json alerts = parse_json_output(run_keyward(dir.path(), "alerts --format json"));
  EXPECT_GE(alerts.size(), 1u) << "the good input must still be ingested";
}

TEST(Cli, BadRecordIsSkippedWithItsLine) {
  TempDir dir;
  std::string lines = cloudtrail_record("GetUser", "00000000-0000-4000-8000-000000000010", "2026-11-02T09:00:00Z").dump() + "\n";
  lines += "{\"eventVersion\": \"1.09\", \"eventTime\": \"not a time\"\n";
  lines += json(cloudtrail_record("CreateAccessKey", "00000000-0000-4000-8000-000000000011", "2026-11-02T09:05:00Z",
                                  {{"userName", "admin-alice"}}))
               .dump() +
           "\n";
  write_file(dir / "events.jsonl", lines);
  auto result = run_keyward(dir.path(), "ingest --source aws-cloudtrail events.jsonl");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("events.jsonl:2"), std::string::npos) << result.err;
  json alerts = parse_json_output(run_keyward(dir.path(), "alerts --format json"));
  EXPECT_GE(alerts.size(), 1u) << "the record after the bad one must be read";
}

TEST(Cli, StdinIsAnInput) {
  TempDir dir;
  auto result = run_keyward(dir.path(), "ingest -", backdoor_trail());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  json alerts = parse_json_output(run_keyward(dir.path(), "alerts --format json"));
  EXPECT_GE(alerts.size(), 1u);
}

TEST(Cli, DatabaseFromEnvironment) {
  TempDir dir;
  write_file(dir / "trail.json", backdoor_trail());
  auto result = run_keyward(dir.path(), "--db custom.db ingest trail.json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "custom.db"));
  EXPECT_FALSE(std::filesystem::exists(dir / "keyward.db"));
  auto default_store = run_keyward(dir.path(), "alerts --format json");
  EXPECT_EQ(default_store.exit_code, 1) << "a reading command must not create ./keyward.db";
  EXPECT_NE(default_store.err.find("keyward.db not found"), std::string::npos) << default_store.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "keyward.db"));
  setenv("KEYWARD_DB", (dir / "custom.db").c_str(), 1);
  auto with_environment = run_keyward(dir.path(), "alerts --format json");
  unsetenv("KEYWARD_DB");
  EXPECT_GE(parse_json_output(with_environment).size(), 1u);
}

TEST(Cli, TablesFitEightyColumns) {
  TempDir dir;
  write_file(dir / "trail.json", backdoor_trail());
  ASSERT_EQ(run_keyward(dir.path(), "ingest trail.json").exit_code, 0);
  // Piped output is cut only when $COLUMNS names a width.
  setenv("COLUMNS", "80", 1);
  for (const char* command : {"alerts", "findings", "inventory --all"}) {
    auto result = run_keyward(dir.path(), command);
    EXPECT_EQ(result.exit_code, 0) << command << ": " << result.err;
    std::istringstream lines(result.out);
    std::string line;
    while (std::getline(lines, line)) {
      size_t columns = 0;
      for (unsigned char c : line) columns += (c & 0xC0) != 0x80;
      EXPECT_LE(columns, 80u) << command << ": " << line;
    }
  }
  unsetenv("COLUMNS");
}

TEST(Cli, EmptyExportsAreNotErrors) {
  TempDir dir;
  write_file(dir / "quiet-day.json", "[]\n");
  write_file(dir / "empty.json", "");
  write_file(dir / "trail.json", backdoor_trail());
  auto result = run_keyward(dir.path(), "ingest quiet-day.json empty.json trail.json");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("quiet-day.json: the input is empty"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("empty.json: the input is empty"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("not a recognized format"), std::string::npos) << result.err;

  write_file(dir / "garbage.json", "[} not json\n");
  auto garbage = run_keyward(dir.path(), "ingest garbage.json");
  EXPECT_EQ(garbage.exit_code, 1) << "only an empty array counts as empty";
}

TEST(Cli, ActorNameHintsAtTokenIds) {
  TempDir dir;
  const std::filesystem::path example = std::filesystem::path(KEYWARD_SOURCE_DIR) /
                                        "src/detect/detectors/testdata/github.token.mass_clone/positive_token_clones_thirty_repos.json";
  write_file(dir / "audit.json", read_file(example));
  ASSERT_EQ(run_keyward(dir.path(), "ingest audit.json").exit_code, 0);
  // The alert names the token's owner, deploy-bot, which is no identity of its own.
  for (const char* command : {"show deploy-bot", "timeline deploy-bot"}) {
    auto result = run_keyward(dir.path(), command);
    EXPECT_EQ(result.exit_code, 1) << command;
    EXPECT_NE(result.err.find("Alerts name 'deploy-bot' as the actor of: token:9200001"), std::string::npos)
        << command << ": " << result.err;
  }
  EXPECT_EQ(run_keyward(dir.path(), "timeline token:9200001").exit_code, 0);
}

TEST(Cli, EmptyAlertWindowIsExplained) {
  TempDir dir;
  write_file(dir / "trail.json", backdoor_trail());
  ASSERT_EQ(run_keyward(dir.path(), "ingest trail.json").exit_code, 0);
  auto same_day = run_keyward(dir.path(), "alerts --since 2026-11-02 --until 2026-11-02");
  EXPECT_EQ(same_day.exit_code, 0) << same_day.err;
  EXPECT_NE(same_day.err.find("use the next day's date"), std::string::npos) << same_day.err;
  auto whole_day = run_keyward(dir.path(), "alerts --since 2026-11-02 --until 2026-11-03");
  EXPECT_EQ(whole_day.err.find("no alert can match"), std::string::npos) << whole_day.err;
}

TEST(Cli, PipedTablesAreNotCut) {
  TempDir dir;
  write_file(dir / "trail.json", backdoor_trail());
  ASSERT_EQ(run_keyward(dir.path(), "ingest trail.json").exit_code, 0);
  unsetenv("COLUMNS");
  auto result = run_keyward(dir.path(), "rules list");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.find("\u2026"), std::string::npos) << "a cell was cut:\n" << result.out;
  EXPECT_NE(result.out.find("Active credential held by a person who has left"), std::string::npos) << result.out;
}

// Secrets in the input (a password in CreateLoginProfile, a secret string in PutSecretValue) must
// never reach the database or any output.
TEST(Cli, SecretCanaryNeverStoredOrPrinted) {
  TempDir dir;
  const std::string canary = "kwCANARY7f3a9d1e5b2c8a4f6e0d";
  json records = json::array();
  records.push_back(cloudtrail_record("CreateLoginProfile", "00000000-0000-4000-8000-000000000020", "2026-11-02T11:00:00Z",
                                      {{"userName", "admin-alice"}, {"password", canary}, {"passwordResetRequired", false}}));
  json put_secret = cloudtrail_record("PutSecretValue", "00000000-0000-4000-8000-000000000021", "2026-11-02T11:01:00Z",
                                      {{"secretId", "prod/db"}, {"secretString", canary}});
  put_secret["eventSource"] = "secretsmanager.amazonaws.com";
  records.push_back(put_secret);
  write_file(dir / "trail.json", json{{"Records", records}}.dump());

  auto ingest = run_keyward(dir.path(), "ingest -v trail.json");
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  std::string everything = ingest.out + ingest.err;
  for (const char* command : {"alerts --format json", "findings --format json", "inventory --all --format json",
                              "timeline ci-deployer --format json", "alerts", "alerts --format csv"}) {
    auto result = run_keyward(dir.path(), command);
    everything += result.out + result.err;
  }
  EXPECT_EQ(everything.find(canary), std::string::npos) << "a secret from the input was printed";
  for (const char* file : {"keyward.db", "keyward.db-wal"}) {
    if (!std::filesystem::exists(dir / file)) continue;
    EXPECT_EQ(read_file(dir / file).find(canary), std::string::npos) << "a secret from the input was stored in " << file;
  }
}

}  // namespace
}  // namespace keyward::testing
