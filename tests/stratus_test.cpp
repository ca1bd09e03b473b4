// End-to-end: the CloudTrail records that Stratus Red Team captured while detonating each AWS
// attack technique go through the real ingest path (CloudTrail source, detection engine, SQLite
// store). The table below lists the detector each technique must raise.
//
// The samples' user agents name the attack tool ("stratus-red-team_<uuid>"). They are replaced
// with an ordinary SDK user agent first, so a detection here never rests on the tool's name.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "ingest/ingest.hpp"
#include "store/store.hpp"

namespace keyward {
namespace {

const std::filesystem::path kStratusFolder = std::filesystem::path(KEYWARD_SHARED_DATA) / "aws_cloudtrail/stratus";
constexpr std::string_view kNotCovered = "";
constexpr std::string_view kOrdinaryUserAgent =
    "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/iam#1.34.3";

struct Technique {
  std::string_view file;      // sample name without .json
  std::string_view detector;  // detector that must raise, or kNotCovered
};

// NOTE: "not covered" rows still must ingest cleanly. Move a row to its detector when one
// covers the technique.
constexpr Technique kTechniques[] = {
    {"aws.credential-access.ec2-get-password-data", "aws.api.access_denied_burst"},
    {"aws.credential-access.secretsmanager-retrieve-secrets", "aws.secrets.read_burst"},
    {"aws.credential-access.ssm-retrieve-securestring-parameters", "aws.secrets.read_burst"},
    {"aws.defense-evasion.cloudtrail-delete", "aws.cloudtrail.logging_tampered"},
    {"aws.defense-evasion.cloudtrail-event-selectors", "aws.cloudtrail.logging_tampered"},
    {"aws.defense-evasion.cloudtrail-stop", "aws.cloudtrail.logging_tampered"},
    {"aws.defense-evasion.dns-delete-logs", "aws.cloudtrail.logging_tampered"},
    {"aws.defense-evasion.organizations-leave", "aws.cloudtrail.logging_tampered"},
    {"aws.defense-evasion.vpc-remove-flow-logs", "aws.cloudtrail.logging_tampered"},
    {"aws.discovery.ec2-download-user-data", "aws.api.access_denied_burst"},
    {"aws.execution.ec2-launch-unusual-instances", "aws.ec2.gpu_instance_launch"},
    {"aws.execution.ec2-user-data", "aws.ec2.user_data_modified"},
    {"aws.execution.ssm-send-command", "aws.ec2.remote_access_by_machine"},
    {"aws.execution.ssm-start-session", "aws.ec2.remote_access_by_machine"},
    {"aws.exfiltration.ec2-security-group-open-port-22-ingress", "aws.ec2.admin_port_open_to_internet"},
    {"aws.exfiltration.ec2-share-ami", "aws.exfiltration.resource_shared_externally"},
    {"aws.exfiltration.ec2-share-ebs-snapshot", "aws.exfiltration.resource_shared_externally"},
    {"aws.exfiltration.rds-share-snapshot", "aws.exfiltration.resource_shared_externally"},
    {"aws.impact.bedrock-invoke-model", "aws.bedrock.model_abuse"},
    {"aws.initial-access.console-login-without-mfa", kNotCovered},
    {"aws.lateral-movement.ec2-instance-connect", "aws.ec2.remote_access_by_machine"},
    {"aws.lateral-movement.ec2-serial-console-send-ssh-public-key", "aws.ec2.remote_access_by_machine"},
    {"aws.persistence.iam-backdoor-role", "aws.iam.write_by_machine"},
    {"aws.persistence.iam-backdoor-user", "aws.iam.credential_created_for_other_principal"},
    {"aws.persistence.iam-create-backdoor-role", "aws.iam.write_by_machine"},
    {"aws.persistence.iam-create-user-login-profile", "aws.iam.credential_created_for_other_principal"},
    {"aws.persistence.lambda-backdoor-function", "aws.lambda.public_access_granted"},
    {"aws.persistence.lambda-layer-extension", "aws.lambda.code_changed_by_new_principal"},
    {"aws.persistence.lambda-overwrite-code", "aws.lambda.code_changed_by_new_principal"},
    {"aws.privilege-escalation.iam-update-user-login-profile", "aws.iam.credential_created_for_other_principal"},
};

// Names the technique in test failure messages.
void PrintTo(const Technique& technique, std::ostream* out) { *out << technique.file; }

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "keyward-stratus-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Replaces the attack tool's user agent in every record; returns how many records there are.
size_t neutralize_user_agents(nlohmann::json& records) {
  for (auto& record : records) {
    auto agent = record.find("userAgent");
    if (agent != record.end() && agent->is_string() && agent->get<std::string>().starts_with("stratus-red-team_")) {
      *agent = kOrdinaryUserAgent;
    }
  }
  return records.size();
}

class StratusSample : public testing::TestWithParam<Technique> {};

TEST_P(StratusSample, IngestsAndRaisesExpectedDetector) {
  if (!std::filesystem::is_directory(kStratusFolder)) {
    GTEST_SKIP() << "Stratus samples not found at " << kStratusFolder << "; they ship with the shared test data";
  }
  const Technique technique = GetParam();
  const std::string file_name = std::string(technique.file) + ".json";
  std::ifstream in(kStratusFolder / file_name);
  ASSERT_TRUE(in) << "missing sample " << file_name;
  nlohmann::json records = nlohmann::json::parse(in, nullptr, false);
  ASSERT_TRUE(records.is_array()) << file_name << " is not a JSON array";
  const size_t record_count = neutralize_user_agents(records);
  ASSERT_EQ(records.dump().find("stratus-red-team_"), std::string::npos);

  TempDir temp;
  const std::filesystem::path sample = temp.path() / file_name;
  std::ofstream(sample) << records.dump(2);
  auto store = store::open_sqlite_store((temp.path() / "store.db").string());
  ASSERT_TRUE(store.ok()) << store.error().describe();

  const ingest::IngestReport report = ingest::ingest_paths(**store, {sample.string()}, ingest::IngestOptions{});
  ASSERT_EQ(report.inputs.size(), 1u);
  const ingest::InputReport& input = report.inputs[0];
  ASSERT_FALSE(input.error.has_value()) << input.error->describe();
  EXPECT_EQ(input.source, "aws-cloudtrail");
  EXPECT_EQ(input.records, static_cast<long long>(record_count));
  EXPECT_TRUE(report.record_errors.empty()) << report.record_errors[0].message;

  auto alerts = (*store)->list_alerts();
  ASSERT_TRUE(alerts.ok()) << alerts.error().describe();
  std::set<std::string> raised;
  for (const auto& alert : *alerts) raised.insert(alert.detector);
  std::string raised_list;
  for (const auto& detector : raised) raised_list += (raised_list.empty() ? "" : ", ") + detector;
  std::cout << "[stratus] " << technique.file << ": " << (raised_list.empty() ? "no alerts" : raised_list) << "\n";

  if (technique.detector != kNotCovered) {
    EXPECT_TRUE(raised.count(std::string(technique.detector)))
        << technique.file << " should raise " << technique.detector << "; raised: " << raised_list;
  }
}

std::string test_name(const testing::TestParamInfo<Technique>& info) {
  std::string name(info.param.file.substr(4));  // drop "aws."
  for (char& c : name) {
    if (c == '.' || c == '-') c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Techniques, StratusSample, testing::ValuesIn(kTechniques), test_name);

TEST(StratusSamples, EverySampleIsInTheTable) {
  if (!std::filesystem::is_directory(kStratusFolder)) {
    GTEST_SKIP() << "Stratus samples not found at " << kStratusFolder << "; they ship with the shared test data";
  }
  std::set<std::string> listed;
  for (const auto& technique : kTechniques) listed.insert(std::string(technique.file) + ".json");
  for (const auto& entry : std::filesystem::directory_iterator(kStratusFolder)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json" || name.ends_with(".expect.json")) continue;
    EXPECT_TRUE(listed.count(name)) << name << " has no row in kTechniques";
  }
}

}  // namespace
}  // namespace keyward
