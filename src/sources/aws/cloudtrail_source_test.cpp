#include "sources/aws/cloudtrail_source.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sources/aws/cloudtrail_identity.hpp"

namespace keyward::sources::aws {
namespace {

const std::filesystem::path kTestdata = std::filesystem::path(KEYWARD_SOURCE_DIR) / "src/sources/aws/testdata/cloudtrail";

// An owned copy of the event fields the tests check, because event views die after on_event.
struct SeenEvent {
  std::string name, source, identity_id, identity_type, access_key_id, user_name, source_ip, request_parameters,
      response_elements, additional_event_data, event_id;
  core::UnixTime time = 0;
  long long offset = -1;
  bool mfa = false;
  bool from_console = false;
  bool read_only = false;
  std::string raw_record;
};

class CollectingSink final : public core::EventSink {
 public:
  void on_event(core::Event& event) override {
    events.push_back(SeenEvent{std::string(event.event_name), std::string(event.event_source), event.identity_id,
                               std::string(event.identity_type), std::string(event.access_key_id),
                               std::string(event.user_name), std::string(event.source_ip),
                               std::string(event.request_parameters), std::string(event.response_elements),
                               std::string(event.additional_event_data), std::string(event.event_id), event.time,
                               event.offset, event.mfa_authenticated, event.session_credential_from_console,
                               event.read_only, std::string(event.raw_record)});
  }
  std::vector<SeenEvent> events;
};

struct ParseOutcome {
  core::Status status;
  std::vector<SeenEvent> events;
  std::vector<RecordError> errors;
  long long records = 0;
};

ParseOutcome parse_text(const std::string& text, const std::string& path = "input.json") {
  // The source may read SIMDJSON_PADDING bytes past the data, as ingest guarantees.
  std::string buffer = text;
  buffer.append(simdjson::SIMDJSON_PADDING, '\0');
  store::Batch batch;
  CollectingSink sink;
  ParseOutcome outcome;
  ParseContext ctx{batch, sink, outcome.errors, 0, std::nullopt, 0, {}};
  outcome.status = CloudTrailSource().parse(Input{path, std::string_view(buffer.data(), text.size())}, ctx);
  outcome.events = std::move(sink.events);
  outcome.records = ctx.records;
  EXPECT_TRUE(batch.identities.empty()) << "CloudTrail must not produce inventory records";
  return outcome;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

ParseOutcome parse_fixture(const std::string& name) { return parse_text(read_file(kTestdata / name), name); }

TEST(CloudTrailSource, ReadsDeliveryFile) {
  ParseOutcome outcome = parse_fixture("delivery_file.json");
  ASSERT_TRUE(outcome.status.ok());
  EXPECT_TRUE(outcome.errors.empty());
  ASSERT_EQ(outcome.events.size(), 4u);
  EXPECT_EQ(outcome.records, 4);

  const SeenEvent& key_created = outcome.events[0];
  EXPECT_EQ(key_created.name, "CreateAccessKey");
  EXPECT_EQ(key_created.source, "iam.amazonaws.com");
  EXPECT_EQ(key_created.identity_id, "arn:aws:iam::111122223333:user/ci/deployer");
  EXPECT_EQ(key_created.access_key_id, "AKIAEXAMPLEKEY000001");
  EXPECT_EQ(key_created.user_name, "deployer");
  EXPECT_EQ(key_created.time, *core::parse_time("2024-05-02T10:00:00Z"));
  EXPECT_EQ(key_created.request_parameters, R"({"userName":"backup-agent"})");
  EXPECT_EQ(nlohmann::json::parse(key_created.response_elements)["accessKey"]["accessKeyId"], "AKIAEXAMPLEKEY000002");
  EXPECT_EQ(key_created.offset, 12);
  EXPECT_FALSE(key_created.read_only);
}

TEST(CloudTrailSource, AssumedRoleUsesSessionIssuerArn) {
  ParseOutcome outcome = parse_fixture("delivery_file.json");
  ASSERT_EQ(outcome.events.size(), 4u);
  // The session issuer keeps the role path (/service/) that the session ARN drops.
  EXPECT_EQ(outcome.events[1].identity_id, "arn:aws:iam::111122223333:role/service/app-runner");
  EXPECT_EQ(outcome.events[1].response_elements, "");
  EXPECT_TRUE(outcome.events[1].read_only);
}

TEST(CloudTrailSource, RootAndServiceIdentities) {
  ParseOutcome outcome = parse_fixture("delivery_file.json");
  ASSERT_EQ(outcome.events.size(), 4u);
  EXPECT_EQ(outcome.events[2].identity_id, "arn:aws:iam::111122223333:root");
  EXPECT_TRUE(outcome.events[2].mfa) << "ConsoleLogin with additionalEventData.MFAUsed = Yes";
  EXPECT_NE(outcome.events[2].additional_event_data.find("MFAUsed"), std::string::npos);
  EXPECT_EQ(outcome.events[3].identity_id, "aws-service:ec2.amazonaws.com");
  EXPECT_EQ(outcome.events[3].source_ip, "ec2.amazonaws.com");
}

TEST(CloudTrailSource, ReadsPrettyPrintedArray) {
  ParseOutcome outcome = parse_fixture("records_array.json");
  ASSERT_TRUE(outcome.status.ok());
  EXPECT_TRUE(outcome.errors.empty());
  ASSERT_EQ(outcome.events.size(), 2u);
  EXPECT_EQ(outcome.events[0].name, "GetSecretValue");
  EXPECT_EQ(outcome.events[1].name, "ConsoleLogin");
}

TEST(CloudTrailSource, ReadsSingleRecord) {
  ParseOutcome outcome = parse_fixture("single_record.json");
  ASSERT_TRUE(outcome.status.ok());
  EXPECT_TRUE(outcome.errors.empty());
  ASSERT_EQ(outcome.events.size(), 1u);
  EXPECT_EQ(outcome.events[0].event_id, "4f6a3a52-8f0c-4c5e-9e55-000000000001");
  EXPECT_EQ(outcome.events[0].offset, 0);
}

TEST(CloudTrailSource, RawRecordIsTheWholeRecord) {
  const std::string record =
      R"({"eventTime":"2024-06-03T14:00:00Z","eventName":"ListBuckets","eventSource":"s3.amazonaws.com",)"
      R"("userIdentity":{"type":"AssumedRole","sessionContext":{"ec2RoleDelivery":"2.0"}}})";
  ParseOutcome outcome = parse_text(R"({"Records":[)" + record + "]}");
  ASSERT_TRUE(outcome.status.ok());
  ASSERT_EQ(outcome.events.size(), 1u);
  EXPECT_EQ(outcome.events[0].raw_record, record);
}

TEST(CloudTrailSource, JsonLinesSkipBadLinesAndContinue) {
  // records.jsonl has CRLF line ends: line 1 good, 2 empty, 3 good (console session), 4 without
  // eventTime, 5 cut in the middle, 6 with an invalid eventTime, 7 blank, 8 good.
  ParseOutcome outcome = parse_fixture("records.jsonl");
  ASSERT_TRUE(outcome.status.ok());
  ASSERT_EQ(outcome.events.size(), 3u);
  EXPECT_EQ(outcome.events[0].name, "CreateAccessKey");
  EXPECT_EQ(outcome.events[1].name, "DescribeInstances");
  EXPECT_EQ(outcome.events[2].name, "GetSecretValue");

  ASSERT_EQ(outcome.errors.size(), 3u);
  EXPECT_EQ(outcome.errors[0].line, 4);
  EXPECT_NE(outcome.errors[0].message.find("eventTime"), std::string::npos);
  EXPECT_EQ(outcome.errors[1].line, 5);
  EXPECT_EQ(outcome.errors[2].line, 6);
  EXPECT_NE(outcome.errors[2].message.find("yesterday"), std::string::npos);
  for (const auto& error : outcome.errors) {
    EXPECT_EQ(error.file, "records.jsonl");
    EXPECT_GT(error.offset, 0);
  }
}

TEST(CloudTrailSource, JsonLinesWithCutFirstLine) {
  const std::string record = nlohmann::json::parse(read_file(kTestdata / "single_record.json")).dump();
  ParseOutcome outcome = parse_text(record.substr(0, 40) + "\n" + record + "\n" + record + "\n");
  EXPECT_EQ(outcome.events.size(), 2u);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].line, 1);
}

TEST(CloudTrailSource, DeliveryFileWithOneRecordPerLine) {
  const std::string record = nlohmann::json::parse(read_file(kTestdata / "single_record.json")).dump();
  ParseOutcome outcome = parse_text("{\"Records\":[\n" + record + ",\n" + record + "\n]}\n");
  EXPECT_EQ(outcome.events.size(), 2u);
  EXPECT_TRUE(outcome.errors.empty());
}

TEST(CloudTrailSource, ConsoleSessionFlags) {
  ParseOutcome outcome = parse_fixture("records.jsonl");
  ASSERT_GE(outcome.events.size(), 2u);
  const SeenEvent& console = outcome.events[1];
  EXPECT_TRUE(console.from_console);
  EXPECT_TRUE(console.mfa);
  EXPECT_EQ(console.identity_id,
            "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef");
  EXPECT_FALSE(outcome.events[0].from_console);
}

TEST(CloudTrailSource, TruncatedFileKeepsCompleteRecords) {
  ParseOutcome outcome = parse_fixture("truncated_array.json");
  ASSERT_TRUE(outcome.status.ok());
  EXPECT_EQ(outcome.events.size(), 2u);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_NE(outcome.errors[0].message.find("cut short"), std::string::npos);
}

TEST(CloudTrailSource, TruncatedDeliveryFileBetweenRecords) {
  std::string text = read_file(kTestdata / "delivery_file.json");
  const size_t cut = text.find(",{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\"");
  ASSERT_NE(cut, std::string::npos);
  ParseOutcome outcome = parse_text(text.substr(0, cut));
  EXPECT_EQ(outcome.events.size(), 2u);
  EXPECT_EQ(outcome.errors.size(), 1u);
}

TEST(CloudTrailSource, NonObjectElementsAreReported) {
  const std::string record = read_file(kTestdata / "single_record.json");
  ParseOutcome outcome = parse_text("[42, \"text\", null, " + record + "]");
  ASSERT_EQ(outcome.events.size(), 1u);
  ASSERT_EQ(outcome.errors.size(), 3u);
  EXPECT_EQ(outcome.errors[0].offset, 1);
  EXPECT_NE(outcome.errors[0].message.find("not a JSON object"), std::string::npos);
}

TEST(CloudTrailSource, InvalidJsonInsideRecordIsSkipped) {
  const std::string record = read_file(kTestdata / "single_record.json");
  const std::string broken = R"({"eventTime":"2024-05-02T10:00:00Z","eventName":"ListUsers" "eventSource":"iam.amazonaws.com"})";
  ParseOutcome outcome = parse_text("[" + broken + "," + record + "]");
  ASSERT_EQ(outcome.events.size(), 1u);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_NE(outcome.errors[0].message.find("not valid JSON"), std::string::npos);
}

TEST(CloudTrailSource, InvalidUtf8RecordIsSkipped) {
  const std::string record = read_file(kTestdata / "single_record.json");
  const std::string invalid = "{\"eventTime\":\"2024-05-02T10:00:00Z\",\"eventName\":\"List\xff\"}";
  ParseOutcome outcome = parse_text("[" + invalid + ",\n" + record + "]");
  ASSERT_EQ(outcome.events.size(), 1u);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].offset, 1);
  EXPECT_EQ(outcome.errors[0].line, 1);
  EXPECT_NE(outcome.errors[0].message.find("UTF-8"), std::string::npos) << outcome.errors[0].message;
}

TEST(CloudTrailSource, DeepRecordIsRejected) {
  const std::string record = read_file(kTestdata / "single_record.json");
  std::string deep = R"({"eventTime":"2024-05-02T10:00:00Z","eventName":"X","requestParameters":)";
  deep += std::string(100, '[') + std::string(100, ']') + "}";
  ParseOutcome outcome = parse_text("[" + deep + "," + record + "]");
  ASSERT_EQ(outcome.events.size(), 1u);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_NE(outcome.errors[0].message.find("deeper"), std::string::npos);
}

TEST(CloudTrailSource, OversizedRecordIsRejected) {
  const std::string record = read_file(kTestdata / "single_record.json");
  std::string huge = R"({"eventTime":"2024-05-02T10:00:00Z","eventName":"X","errorMessage":")";
  huge += std::string(size_t{1} << 20, 'a') + "\"}";
  ParseOutcome outcome = parse_text("[" + huge + "," + record + "]");
  ASSERT_EQ(outcome.events.size(), 1u);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_NE(outcome.errors[0].message.find("limit"), std::string::npos);
}

TEST(CloudTrailSource, NonJsonInputIsAnInputError) {
  ParseOutcome outcome = parse_text("user,arn,password_enabled\nroot,arn:aws:iam::1:root,true\n");
  EXPECT_FALSE(outcome.status.ok());
  EXPECT_EQ(outcome.status.error().code, core::ErrorCode::unsupported_format);
  EXPECT_TRUE(outcome.events.empty());
}

TEST(CloudTrailSource, EmptyInputsReadNothing) {
  EXPECT_TRUE(parse_text("").status.ok());
  ParseOutcome empty_delivery = parse_text("{\"Records\":[]}");
  EXPECT_TRUE(empty_delivery.status.ok());
  EXPECT_TRUE(empty_delivery.events.empty());
  EXPECT_TRUE(empty_delivery.errors.empty());
}

TEST(CloudTrailSource, OddSourceIpIsKeptAsText) {
  std::string record = read_file(kTestdata / "single_record.json");
  const size_t ip = record.find("198.51.100.7");
  ASSERT_NE(ip, std::string::npos);
  record.replace(ip, 12, "211.9.016.253");
  ParseOutcome outcome = parse_text(record);
  ASSERT_EQ(outcome.events.size(), 1u);
  EXPECT_EQ(outcome.events[0].source_ip, "211.9.016.253");
}

TEST(CloudTrailSource, DetectsCloudTrailShapes) {
  CloudTrailSource source;
  EXPECT_GE(source.detect(read_file(kTestdata / "delivery_file.json"), "x.json"), 90);
  EXPECT_GE(source.detect(read_file(kTestdata / "records.jsonl"), "x.jsonl"), 80);
  EXPECT_GE(source.detect(read_file(kTestdata / "records_array.json"), "x.json"), 80);
  EXPECT_GE(source.detect("{\"Records\":[]}", "111122223333_CloudTrail_us-east-1_20240502T1000Z_abcdEFGH1234.json.gz"),
            90);
  EXPECT_EQ(source.detect("{\"UserDetailList\":[],\"RoleDetailList\":[]}", "authz.json"), 0);
  EXPECT_EQ(source.detect("user,arn,user_creation_time\n", "credential-report.csv"), 0);
}

TEST(CloudTrailIdentity, MapsSessionArnToRoleArn) {
  EXPECT_EQ(role_arn_from_session_arn("arn:aws:sts::111122223333:assumed-role/app/session-1"),
            "arn:aws:iam::111122223333:role/app");
  EXPECT_EQ(role_arn_from_session_arn("arn:aws-cn:sts::111122223333:assumed-role/app/s"),
            "arn:aws-cn:iam::111122223333:role/app");
  // Anonymized samples can drop the session part; the role name is still usable.
  EXPECT_EQ(role_arn_from_session_arn("arn:aws:sts::111122223333:assumed-role/only-role"),
            "arn:aws:iam::111122223333:role/only-role");
  EXPECT_EQ(role_arn_from_session_arn("arn:aws:iam::111122223333:user/bob"), "");
  EXPECT_EQ(role_arn_from_session_arn("garbage"), "");
}

TEST(CloudTrailIdentity, NormalizesEachIdentityType) {
  UserIdentityFields role;
  role.type = "AssumedRole";
  role.arn = "arn:aws:sts::111122223333:assumed-role/app/s1";
  role.account_id = "111122223333";
  EXPECT_EQ(normalize_identity_id(role), "arn:aws:iam::111122223333:role/app");

  UserIdentityFields user;
  user.type = "IAMUser";
  user.account_id = "111122223333";
  user.user_name = "bob";
  EXPECT_EQ(normalize_identity_id(user), "arn:aws:iam::111122223333:user/bob");

  UserIdentityFields root;
  root.type = "Root";
  root.account_id = "111122223333";
  EXPECT_EQ(normalize_identity_id(root), "arn:aws:iam::111122223333:root");

  UserIdentityFields account;
  account.type = "AWSAccount";
  account.account_id = "444455556666";
  account.principal_id = "AROA9EXAMPLE:session-7";
  EXPECT_EQ(normalize_identity_id(account), "aws-account:444455556666:AROA9EXAMPLE");

  UserIdentityFields service;
  service.type = "AWSService";
  service.invoked_by = "lambda.amazonaws.com";
  EXPECT_EQ(normalize_identity_id(service), "aws-service:lambda.amazonaws.com");

  UserIdentityFields federated;
  federated.type = "FederatedUser";
  federated.arn = "arn:aws:sts::111122223333:federated-user/tool";
  federated.issuer_type = "IAMUser";
  federated.issuer_arn = "arn:aws:iam::111122223333:user/tool-owner";
  EXPECT_EQ(normalize_identity_id(federated), "arn:aws:iam::111122223333:user/tool-owner");

  UserIdentityFields web;
  web.type = "WebIdentityUser";
  web.principal_id = "token.actions.githubusercontent.com:repo:org/app";
  EXPECT_EQ(normalize_identity_id(web), "WebIdentityUser:token.actions.githubusercontent.com:repo:org/app");

  EXPECT_EQ(normalize_identity_id(UserIdentityFields{}), "");
}

// Every Stratus Red Team detonation log parses completely: the records are real CloudTrail and
// include anonymized, syntactically odd source IPs.
TEST(CloudTrailSource, ReadsEveryStratusSample) {
  const std::filesystem::path folder = std::filesystem::path(KEYWARD_SHARED_DATA) / "aws_cloudtrail/stratus";
  if (!std::filesystem::is_directory(folder)) GTEST_SKIP() << "shared sample data not found at " << folder;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json" || name.ends_with(".expect.json")) continue;
    const std::string text = read_file(entry.path());
    ParseOutcome outcome = parse_text(text, name);
    EXPECT_TRUE(outcome.status.ok()) << name;
    EXPECT_TRUE(outcome.errors.empty()) << name << ": " << (outcome.errors.empty() ? "" : outcome.errors[0].message);
    EXPECT_EQ(outcome.events.size(), nlohmann::json::parse(text).size()) << name;
    for (const auto& event : outcome.events) EXPECT_FALSE(event.identity_id.empty()) << name << " " << event.name;
    ++files;
  }
  EXPECT_GE(files, 30);
}

}  // namespace
}  // namespace keyward::sources::aws
