#include "sources/aws/credential_report_source.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/model_json.hpp"
#include "sources/aws/credential_report_classify.hpp"
#include "sources/aws/credential_report_format.hpp"

namespace keyward::sources::aws {
namespace {

const std::string kTestData = std::string(KEYWARD_SOURCE_DIR) + "/src/sources/aws/testdata/credential_report/";
constexpr std::string_view kAccountArn = "arn:aws:iam::111122223333:";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class NullSink final : public core::EventSink {
 public:
  void on_event(core::Event& /*event*/) override {}
};

// Parses `text` as if read from `path` and keeps everything the source produced.
struct Parsed {
  store::Batch batch;
  NullSink sink;
  std::vector<RecordError> errors;
  std::optional<core::UnixTime> generated_time;
  long long records = 0;
  core::Status status;

  const core::Identity* identity(std::string_view name) const {
    for (const auto& identity : batch.identities) {
      if (identity.name == name) return &identity;
    }
    return nullptr;
  }
  const core::Credential* credential(const std::string& id) const {
    for (const auto& credential : batch.credentials) {
      if (credential.id == id) return &credential;
    }
    return nullptr;
  }
};

std::unique_ptr<Parsed> parse_text(const std::string& text, const std::string& path,
                                   core::UnixTime as_of = *core::parse_time("2025-02-18T00:00:00Z")) {
  auto parsed = std::make_unique<Parsed>();
  ParseContext ctx{parsed->batch, parsed->sink, parsed->errors, as_of, std::nullopt, 0, {}};
  parsed->status = CredentialReportSource().parse(Input{path, text}, ctx);
  parsed->generated_time = ctx.generated_time;
  parsed->records = ctx.records;
  return parsed;
}

std::unique_ptr<Parsed> parse_fixture(const std::string& name) {
  return parse_text(read_file(kTestData + name), name);
}

std::string arn(std::string_view rest) { return std::string(kAccountArn) + std::string(rest); }

TEST(CredentialReport, ReadsEveryRow) {
  auto parsed = parse_fixture("report.csv");
  ASSERT_TRUE(parsed->status.ok()) << parsed->status.error().describe();
  EXPECT_TRUE(parsed->errors.empty());
  EXPECT_EQ(parsed->records, 6);
  EXPECT_EQ(parsed->batch.identities.size(), 6u);
  EXPECT_FALSE(parsed->generated_time.has_value());
}

TEST(CredentialReport, RootRowIsRootKind) {
  auto parsed = parse_fixture("report.csv");
  const core::Identity* root = parsed->identity("<root_account>");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->kind, "root");
  EXPECT_EQ(root->id, arn("root"));
  EXPECT_EQ(root->account, "111122223333");
  EXPECT_EQ(root->attributes["password_enabled"], "not_supported");
  EXPECT_EQ(root->attributes["password_last_changed"], "not_supported");
  EXPECT_EQ(root->classification, core::Classification::unknown);
  EXPECT_EQ(parsed->credential(arn("root#password")), nullptr);

  const core::Credential* key = parsed->credential(arn("root#access_key_1"));
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->status, "active");
  EXPECT_EQ(key->last_used_service, "iam");
}

TEST(CredentialReport, KeySlotsBecomeCredentials) {
  auto parsed = parse_fixture("report.csv");
  const core::Credential* first = parsed->credential(arn("user/svc-deploy#access_key_1"));
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->kind, "aws_access_key");
  EXPECT_EQ(first->identity_id, arn("user/svc-deploy"));
  EXPECT_EQ(first->status, "active");
  EXPECT_EQ(first->created, core::parse_time("2023-06-01T08:00:05Z"));
  EXPECT_EQ(first->last_used, core::parse_time("2025-02-17T23:59:00Z"));
  EXPECT_EQ(first->last_used_region, "eu-west-1");
  EXPECT_EQ(first->last_used_service, "s3");
  EXPECT_EQ(first->attributes["slot"], 1);

  const core::Credential* second = parsed->credential(arn("user/svc-deploy#access_key_2"));
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->created, core::parse_time("2025-01-20T10:00:00Z"));  // fraction dropped
  EXPECT_FALSE(second->last_used.has_value());
  EXPECT_EQ(second->last_used_service, "");
}

TEST(CredentialReport, EmptySlotsProduceNothing) {
  auto parsed = parse_fixture("report.csv");
  EXPECT_EQ(parsed->credential(arn("user/alice#access_key_1")), nullptr);
  EXPECT_EQ(parsed->credential(arn("user/alice#access_key_2")), nullptr);
  EXPECT_EQ(parsed->credential(arn("user/alice#cert_1")), nullptr);
  EXPECT_EQ(parsed->credential(arn("user/svc-deploy#password")), nullptr);
}

TEST(CredentialReport, InactiveKeyKeepsItsSlot) {
  auto parsed = parse_fixture("report.csv");
  const core::Credential* key = parsed->credential(arn("user/old-reporting#access_key_1"));
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->status, "inactive");
  EXPECT_EQ(key->last_used, core::parse_time("2016-07-07T00:00:00Z"));
}

TEST(CredentialReport, NoInformationMeansNoRecordedUse) {
  auto parsed = parse_fixture("report.csv");
  const core::Identity* user = parsed->identity("old-reporting");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->attributes["password_last_used"], "no_information");
  const core::Credential* password = parsed->credential(arn("user/old-reporting#password"));
  ASSERT_NE(password, nullptr);
  EXPECT_FALSE(password->last_used.has_value());
  // The identity's last use comes from the key, the only recorded use.
  EXPECT_EQ(user->last_used, core::parse_time("2016-07-07T00:00:00Z"));
}

TEST(CredentialReport, CertificateSlotBecomesCredential) {
  auto parsed = parse_fixture("report.csv");
  const core::Credential* cert = parsed->credential(arn("user/old-reporting#cert_1"));
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(cert->kind, "x509_certificate");
  EXPECT_EQ(cert->status, "active");
  EXPECT_EQ(cert->created, core::parse_time("2014-01-01T00:00:00Z"));
  const core::Identity* user = parsed->identity("old-reporting");
  EXPECT_EQ(user->attributes["cert_1_active"], true);
  EXPECT_EQ(user->attributes["cert_2_last_rotated"], nullptr);
}

TEST(CredentialReport, ConsolePasswordIsCredential) {
  auto parsed = parse_fixture("report.csv");
  const core::Credential* password = parsed->credential(arn("user/alice#password"));
  ASSERT_NE(password, nullptr);
  EXPECT_EQ(password->kind, "aws_console_password");
  EXPECT_EQ(password->created, core::parse_time("2024-11-01T09:00:00Z"));
  EXPECT_EQ(password->last_used, core::parse_time("2025-02-17T16:20:00Z"));
  EXPECT_EQ(password->expires, core::parse_time("2025-05-01T09:00:00Z"));
  EXPECT_EQ(password->attributes["mfa_active"], true);
}

TEST(CredentialReport, ClassifiesFromEvidence) {
  auto parsed = parse_fixture("report.csv");
  const std::vector<std::pair<std::string, core::Classification>> expected = {
      {"alice", core::Classification::human},
      {"svc-deploy", core::Classification::machine},
      {"old-reporting", core::Classification::machine},
      {"bob", core::Classification::unknown},
      {"ci-runner", core::Classification::machine},
  };
  for (const auto& [name, classification] : expected) {
    const core::Identity* identity = parsed->identity(name);
    ASSERT_NE(identity, nullptr) << name;
    EXPECT_EQ(identity->classification, classification) << name << ": " << identity->classification_reason;
    EXPECT_FALSE(identity->classification_reason.empty()) << name;
  }
  EXPECT_NE(parsed->identity("ci-runner")->classification_reason.find("'ci'"), std::string::npos);
}

TEST(CredentialReport, UserPathKeepsShortName) {
  auto parsed = parse_fixture("report.csv");
  const core::Identity* user = parsed->identity("ci-runner");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->id, arn("user/division/ci-runner"));
  const core::Credential* key = parsed->credential(arn("user/division/ci-runner#access_key_1"));
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->status, "active");  // "TRUE" in capitals
}

TEST(CredentialReport, UnwrapsGetCredentialReportJson) {
  auto parsed = parse_fixture("get_credential_report.json");
  ASSERT_TRUE(parsed->status.ok()) << parsed->status.error().describe();
  EXPECT_TRUE(parsed->errors.empty());
  EXPECT_EQ(parsed->records, 6);
  ASSERT_TRUE(parsed->generated_time.has_value());
  EXPECT_EQ(*parsed->generated_time, *core::parse_time("2025-02-18T00:00:00Z"));
  ASSERT_EQ(parsed->batch.settings.size(), 1u);
  EXPECT_EQ(parsed->batch.settings[0].first, "aws.credential_report.generated_time");
  EXPECT_EQ(parsed->batch.settings[0].second, "2025-02-18T00:00:00Z");
  EXPECT_NE(parsed->credential(arn("user/svc-deploy#access_key_2")), nullptr);
}

TEST(CredentialReport, BadRowsAreSkippedWithLine) {
  auto parsed = parse_fixture("bad_rows.csv");
  ASSERT_TRUE(parsed->status.ok());
  EXPECT_EQ(parsed->records, 2);
  EXPECT_NE(parsed->identity("first-ok"), nullptr);
  EXPECT_NE(parsed->identity("last-ok"), nullptr);
  ASSERT_EQ(parsed->errors.size(), 4u);
  EXPECT_EQ(parsed->errors[0].line, 3);
  EXPECT_NE(parsed->errors[0].message.find("columns"), std::string::npos);
  EXPECT_EQ(parsed->errors[1].line, 4);
  EXPECT_NE(parsed->errors[1].message.find("access_key_1_last_rotated"), std::string::npos);
  EXPECT_EQ(parsed->errors[2].line, 5);
  EXPECT_NE(parsed->errors[2].message.find("password_enabled"), std::string::npos);
  EXPECT_EQ(parsed->errors[3].line, 6);
  EXPECT_NE(parsed->errors[3].message.find("arn"), std::string::npos);
  EXPECT_EQ(parsed->errors[3].file, "bad_rows.csv");
  EXPECT_GT(parsed->errors[3].offset, 0);
  // No record of a skipped row leaks into the batch.
  EXPECT_EQ(parsed->identity("bad-time"), nullptr);
  for (const auto& credential : parsed->batch.credentials) {
    EXPECT_EQ(credential.id.find("bad-time"), std::string::npos) << credential.id;
  }
}

TEST(CredentialReport, MissingHeaderColumnFails) {
  auto parsed = parse_text("name,arn\nx,arn:aws:iam::1:user/x\n", "x.csv");
  EXPECT_FALSE(parsed->status.ok());
}

TEST(CredentialReport, InvalidBase64Fails) {
  auto parsed = parse_text(R"({"Content": "dXNlcixh*", "ReportFormat": "text/csv"})", "x.json");
  ASSERT_FALSE(parsed->status.ok());
  EXPECT_NE(parsed->status.error().message.find("base64"), std::string::npos);
}

TEST(CredentialReport, DetectsBothForms) {
  CredentialReportSource source;
  EXPECT_EQ(source.detect(read_file(kTestData + "report.csv"), "report.csv"), 100);
  EXPECT_GE(source.detect(read_file(kTestData + "get_credential_report.json"), "x.json"), 90);
  // Only the start of a large report fits in the head: "ReportFormat" is past its end.
  EXPECT_EQ(source.detect(R"({"Content": "dXNlcixhcm4sdXNlcl9jcmVhdGlvbl90aW1l)", "x.json"), 95);
  EXPECT_EQ(source.detect(R"({"AccessKeyMetadata": []})", "keys.json"), 0);
  EXPECT_EQ(source.detect(R"({"Content": "aGVsbG8="})", "x.json"), 0);
  EXPECT_EQ(source.detect("eventVersion,time\n", "x.csv"), 0);
}

// Compares the normalized records with report.expected.json; KEYWARD_UPDATE_GOLDEN=1 rewrites it.
TEST(CredentialReport, MatchesGoldenRecords) {
  auto parsed = parse_fixture("report.csv");
  nlohmann::json actual = nlohmann::json::array();
  for (const auto& identity : parsed->batch.identities) {
    std::vector<core::Credential> credentials;
    for (const auto& credential : parsed->batch.credentials) {
      if (credential.identity_id == identity.id) credentials.push_back(credential);
    }
    nlohmann::json entry = core::to_json(identity, credentials);
    // The shared JSON form leaves attributes out; the golden file keeps them.
    entry["attributes"] = identity.attributes;
    for (size_t i = 0; i < credentials.size(); ++i) entry["credentials"][i]["attributes"] = credentials[i].attributes;
    actual.push_back(std::move(entry));
  }
  const std::string golden_path = kTestData + "report.expected.json";
  if (const char* update = std::getenv("KEYWARD_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    std::ofstream(golden_path) << actual.dump(2) << "\n";
  }
  const std::string golden = read_file(golden_path);
  ASSERT_FALSE(golden.empty()) << "missing " << golden_path << "; run with KEYWARD_UPDATE_GOLDEN=1";
  EXPECT_EQ(actual, nlohmann::json::parse(golden));
}

TEST(CredentialReportFormat, Base64RejectsBadPadding) {
  EXPECT_EQ(*decode_base64("aGk="), "hi");
  EXPECT_EQ(*decode_base64("aGk=\n"), "hi");
  EXPECT_FALSE(decode_base64("aGk").ok());
  EXPECT_FALSE(decode_base64("a===").ok());
  EXPECT_FALSE(decode_base64("aG=k").ok());
}

TEST(CredentialReportFormat, CsvQuotedFields) {
  auto fields = split_csv_record(R"(a,"b,c","d""e",)");
  ASSERT_TRUE(fields.has_value());
  ASSERT_EQ(fields->size(), 4u);
  EXPECT_EQ((*fields)[1], "b,c");
  EXPECT_EQ((*fields)[2], "d\"e");
  EXPECT_EQ((*fields)[3], "");
  EXPECT_FALSE(split_csv_record(R"(a,"b)").has_value());
}

TEST(CredentialReportClassify, NameHints) {
  EXPECT_EQ(find_machine_name_hint("svc-data-sync"), "svc");
  EXPECT_EQ(find_machine_name_hint("DeployBot"), "deploy");
  EXPECT_EQ(find_machine_name_hint("prodterraformrunner"), "terraform");
  EXPECT_EQ(find_machine_name_hint("github_ci"), "ci");
  EXPECT_FALSE(find_machine_name_hint("lucia").has_value());
  EXPECT_FALSE(find_machine_name_hint("abbott").has_value());
}

TEST(CredentialReportClassify, OldConsoleUseIsNotHuman) {
  const core::UnixTime reference = *core::parse_time("2025-02-18T00:00:00Z");
  UsageFacts facts;
  facts.user_name = "carol";
  facts.password_enabled = true;
  facts.mfa_active = true;
  facts.password_last_used = reference - 200 * core::kSecondsPerDay;
  EXPECT_EQ(classify_report_user(facts, reference).classification, core::Classification::unknown);
  facts.password_last_used = reference - 10 * core::kSecondsPerDay;
  EXPECT_EQ(classify_report_user(facts, reference).classification, core::Classification::human);
}

}  // namespace
}  // namespace keyward::sources::aws
