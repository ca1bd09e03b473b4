// Runs the credential-report test cases of three Panther policies (public sample data under
// KEYWARD_SHARED_DATA/aws_iam_resources/panther) through the credential report source and the
// posture engine, and compares each verdict with Panther's expected one. Panther stores a report
// row as JSON with Go zero times ("0001-01-01T00:00:00Z") for N/A, so the test writes the row
// back as the CSV that `aws iam get-credential-report` returns.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "posture/engine.hpp"
#include "sources/aws/credential_report_source.hpp"

namespace keyward::posture {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kHeader =
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
    "cert_2_active,cert_2_last_rotated";

// Panther policy file stem -> keyward rule that judges the same property.
const std::map<std::string, std::string> kRuleOfPolicy = {
    {"aws_access_key_rotation", "aws.access_key.not_rotated"},
    {"aws_access_key_unused", "aws.access_key.unused"},
    {"aws_root_account_access_keys", "aws.root.access_key"},
};

class NullSink final : public core::EventSink {
 public:
  void on_event(core::Event& /*event*/) override {}
};

std::string cell(const json& report, const char* key) {
  const json& value = report.at(key);
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  const std::string text = value.get<std::string>();
  return text.rfind("0001-01-01", 0) == 0 ? "N/A" : text;
}

std::string csv_of(const json& report) {
  std::string row;
  for (const char* key : {"UserName", "ARN", "UserCreationTime", "PasswordEnabled", "PasswordLastUsed",
                          "PasswordLastChanged", "PasswordNextRotation", "MfaActive", "AccessKey1Active",
                          "AccessKey1LastRotated", "AccessKey1LastUsedDate", "AccessKey1LastUsedRegion",
                          "AccessKey1LastUsedService", "AccessKey2Active", "AccessKey2LastRotated",
                          "AccessKey2LastUsedDate", "AccessKey2LastUsedRegion", "AccessKey2LastUsedService",
                          "Cert1Active", "Cert1LastRotated", "Cert2Active", "Cert2LastRotated"}) {
    if (!row.empty()) row += ',';
    row += cell(report, key);
  }
  return std::string(kHeader) + "\n" + row + "\n";
}

// Returns whether `rule` reports anything for the one-row report, as of 2025-02-18.
bool rule_fires(const std::string& csv, const std::string& rule, const std::string& label) {
  store::Batch batch;
  NullSink sink;
  std::vector<sources::RecordError> errors;
  const core::UnixTime as_of = *core::parse_time("2025-02-18T00:00:00Z");
  sources::ParseContext ctx{batch, sink, errors, as_of, std::nullopt, 0, {}};
  EXPECT_TRUE(sources::aws::CredentialReportSource().parse(sources::Input{label, csv}, ctx).ok());
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors.front().message);

  const std::string path = (fs::temp_directory_path() / ("keyward-panther-" + std::to_string(::getpid()) + ".db")).string();
  auto remove = [&path] {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix, ignored);
  };
  remove();
  bool fired = false;
  {
    auto store = store::open_sqlite_store(path);
    EXPECT_TRUE(store.ok());
    if (store.ok()) {
      EXPECT_TRUE((*store)->commit(batch).ok());
      PostureOptions options;
      options.as_of = as_of;
      auto run = run_posture(**store, options);
      EXPECT_TRUE(run.ok());
      if (run.ok()) {
        for (const auto& finding : run->findings) fired = fired || finding.rule == rule;
      }
    }
  }
  remove();
  return fired;
}

TEST(PantherCredentialReport, VerdictsMatch) {
  const fs::path directory = fs::path(KEYWARD_SHARED_DATA) / "aws_iam_resources" / "panther";
  if (!fs::exists(directory)) GTEST_SKIP() << "shared sample data not found at " << directory;

  int cases = 0;
  for (const auto& entry : fs::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json" || name.find(".expect.") != std::string::npos) continue;
    const std::string policy = name.substr(0, name.find("__"));
    auto rule = kRuleOfPolicy.find(policy);
    if (rule == kRuleOfPolicy.end()) continue;

    std::ifstream resource_file(entry.path());
    std::ifstream expect_file(entry.path().parent_path() / (entry.path().stem().string() + ".expect.json"));
    const json resource = json::parse(resource_file);
    const json expect = json::parse(expect_file);
    SCOPED_TRACE(name + ": " + expect.value("case", ""));
    EXPECT_EQ(rule_fires(csv_of(resource.at("CredentialReport")), rule->second, name), expect.at("should_alert").get<bool>());
    ++cases;
  }
  EXPECT_EQ(cases, 18);
}

}  // namespace
}  // namespace keyward::posture
