#include "sources/aws/access_keys_source.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sources/aws/user_placeholder.hpp"

namespace keyward::sources::aws {
namespace {

const std::string kTestData = std::string(KEYWARD_SOURCE_DIR) + "/src/sources/aws/testdata/access_keys/";

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

struct Parsed {
  store::Batch batch;
  NullSink sink;
  std::vector<RecordError> errors;
  long long records = 0;
  core::Status status;

  const core::Credential* credential(const std::string& id) const {
    for (const auto& credential : batch.credentials) {
      if (credential.id == id) return &credential;
    }
    return nullptr;
  }
};

std::unique_ptr<Parsed> parse_text(const std::string& text, const std::string& path) {
  auto parsed = std::make_unique<Parsed>();
  ParseContext ctx{parsed->batch, parsed->sink, parsed->errors, 0, std::nullopt, 0, {}};
  parsed->status = AccessKeysSource().parse(Input{path, text}, ctx);
  parsed->records = ctx.records;
  return parsed;
}

std::unique_ptr<Parsed> parse_fixture(const std::string& name) { return parse_text(read_file(kTestData + name), name); }

TEST(AccessKeys, ReadsSingleOutput) {
  auto parsed = parse_fixture("single.json");
  ASSERT_TRUE(parsed->status.ok()) << parsed->status.error().describe();
  EXPECT_TRUE(parsed->errors.empty());
  ASSERT_EQ(parsed->records, 2);

  const core::Credential* active = parsed->credential("AKIAIOSFODNN7EXAMPLE");
  ASSERT_NE(active, nullptr);
  EXPECT_EQ(active->platform, "aws");
  EXPECT_EQ(active->kind, "aws_access_key");
  EXPECT_EQ(active->status, "active");
  EXPECT_EQ(active->created, core::parse_time("2023-06-01T08:00:05Z"));
  EXPECT_EQ(active->attributes["report_slot"], "unknown");
  EXPECT_EQ(active->attributes["user_name"], "svc-deploy");

  const core::Credential* inactive = parsed->credential("AKIAI44QH8DHBEXAMPLE");
  ASSERT_NE(inactive, nullptr);
  EXPECT_EQ(inactive->status, "inactive");
  EXPECT_EQ(inactive->created, core::parse_time("2025-01-20T10:00:00Z"));
}

TEST(AccessKeys, IdentityIsUserPlaceholder) {
  auto parsed = parse_fixture("single.json");
  const core::Credential* key = parsed->credential("AKIAIOSFODNN7EXAMPLE");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->identity_id, "user/svc-deploy");
  EXPECT_EQ(user_name_of_placeholder(key->identity_id), "svc-deploy");
  EXPECT_EQ(user_name_of_placeholder("arn:aws:iam::111122223333:user/svc-deploy"), "");
}

TEST(AccessKeys, ReadsArrayOfOutputs) {
  auto parsed = parse_fixture("array.json");
  ASSERT_TRUE(parsed->status.ok());
  EXPECT_TRUE(parsed->errors.empty());
  EXPECT_EQ(parsed->records, 2);
  ASSERT_NE(parsed->credential("AKIAJ5EXAMPLE7RUNNER"), nullptr);
  EXPECT_EQ(parsed->credential("AKIAJ5EXAMPLE7RUNNER")->identity_id, "user/ci-runner");
}

TEST(AccessKeys, ReadsShellLoopOutput) {
  auto parsed = parse_fixture("loop_output.json");
  ASSERT_TRUE(parsed->status.ok()) << parsed->status.error().describe();
  EXPECT_TRUE(parsed->errors.empty());
  EXPECT_EQ(parsed->records, 3);
  EXPECT_NE(parsed->credential("AKIAJ5EXAMPLE7RUNNER"), nullptr);
}

TEST(AccessKeys, BadLinesAreSkippedWithLine) {
  auto parsed = parse_fixture("lines.jsonl");
  ASSERT_TRUE(parsed->status.ok());
  EXPECT_EQ(parsed->records, 2);
  EXPECT_NE(parsed->credential("AKIAIOSFODNN7EXAMPLE"), nullptr);
  EXPECT_NE(parsed->credential("AKIAJ5EXAMPLE7RUNNER"), nullptr);
  EXPECT_EQ(parsed->credential("AKIABADDATE000000001"), nullptr);
  EXPECT_EQ(parsed->credential("AKIABADSTATUS0000001"), nullptr);

  ASSERT_EQ(parsed->errors.size(), 4u);
  EXPECT_EQ(parsed->errors[0].line, 2);
  EXPECT_NE(parsed->errors[0].message.find("invalid JSON"), std::string::npos);
  EXPECT_EQ(parsed->errors[1].line, 3);
  EXPECT_NE(parsed->errors[1].message.find("CreateDate"), std::string::npos);
  EXPECT_NE(parsed->errors[1].message.find("AccessKeyMetadata[0]"), std::string::npos);
  EXPECT_EQ(parsed->errors[2].line, 5);
  EXPECT_NE(parsed->errors[2].message.find("Status"), std::string::npos);
  EXPECT_EQ(parsed->errors[3].line, 5);
  EXPECT_NE(parsed->errors[3].message.find("IsTruncated"), std::string::npos);
  EXPECT_GT(parsed->errors[3].offset, 0);
}

TEST(AccessKeys, RejectsNonJson) {
  auto parsed = parse_text("user,arn\n", "x.csv");
  EXPECT_FALSE(parsed->status.ok());
}

TEST(AccessKeys, RejectsMalformedKeyId) {
  auto parsed = parse_text(
      R"({"AccessKeyMetadata": [{"UserName": "u", "AccessKeyId": "akia-lower", "Status": "Active", "CreateDate": "2024-01-01T00:00:00Z"}]})",
      "x.json");
  ASSERT_TRUE(parsed->status.ok());
  EXPECT_EQ(parsed->records, 0);
  ASSERT_EQ(parsed->errors.size(), 1u);
  EXPECT_NE(parsed->errors[0].message.find("AccessKeyId"), std::string::npos);
}

TEST(AccessKeys, Detects) {
  AccessKeysSource source;
  EXPECT_GE(source.detect(read_file(kTestData + "single.json"), "keys.json"), 90);
  EXPECT_GE(source.detect(read_file(kTestData + "lines.jsonl"), "keys.jsonl"), 90);
  EXPECT_EQ(source.detect("user,arn,user_creation_time\n", "report.csv"), 0);
  EXPECT_EQ(source.detect(R"({"Records": [{"eventVersion": "1.08"}]})", "trail.json"), 0);
}

}  // namespace
}  // namespace keyward::sources::aws
