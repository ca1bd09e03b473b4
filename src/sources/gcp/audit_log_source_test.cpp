#include "sources/gcp/audit_log_source.hpp"

#include <gtest/gtest.h>

#include "sources/testing/source_testing.hpp"

namespace keyward::sources::gcp {
namespace {

using testing::find_credential;
using testing::find_identity;
using testing::parse_with_source;

const std::filesystem::path kTestData = testing::source_testdata("gcp");

const nlohmann::json* find_event(const testing::ParsedInput& parsed, const std::string& event_id) {
  for (const auto& event : parsed.sink.events) {
    if (event["event_id"] == event_id) return &event;
  }
  return nullptr;
}

TEST(GcpAuditLog, Golden) {
  auto parsed = parse_with_source("gcp-audit-log", kTestData / "gcp-audit-log" / "logging_read.json");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  testing::expect_golden(testing::normalized_json(parsed), kTestData / "gcp-audit-log" / "logging_read.golden.json");
}

TEST(GcpAuditLog, KeyUsage) {
  auto parsed = parse_with_source("gcp-audit-log", kTestData / "gcp-audit-log" / "logging_read.json");
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.records, 7);
  EXPECT_EQ(parsed.sink.events.size(), 6u) << "the entry without a principal sends no event";

  const nlohmann::json* read = find_event(parsed, "1a2b3c4d5e6f");
  ASSERT_NE(read, nullptr);
  EXPECT_EQ((*read)["platform"], "gcp");
  EXPECT_EQ((*read)["time"], "2026-11-30T08:00:00Z");
  EXPECT_EQ((*read)["identity_id"], "ci-deployer@example-prod.iam.gserviceaccount.com");
  EXPECT_EQ((*read)["credential_id"], "3f1c2d9a8b7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a");
  EXPECT_EQ((*read)["event_source"], "storage.googleapis.com");
  EXPECT_EQ((*read)["event_name"], "storage.objects.get");
  EXPECT_EQ((*read)["source_ip"], "203.0.113.10");
  EXPECT_EQ((*read)["error_code"], "");
}

TEST(GcpAuditLog, WorkloadIdentityCaller) {
  auto parsed = parse_with_source("gcp-audit-log", kTestData / "gcp-audit-log" / "logging_read.json");
  const std::string principal =
      "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/github/subject/"
      "repo:example/web:ref:refs/heads/main";
  const nlohmann::json* event = find_event(parsed, "3c4d5e6f7a8b");
  ASSERT_NE(event, nullptr);
  EXPECT_EQ((*event)["identity_id"], principal);
  const core::Identity* observed = find_identity(parsed.batch.observed_identities, principal);
  ASSERT_NE(observed, nullptr);
  EXPECT_EQ(observed->kind, "gcp_workload_identity_principal");
}

TEST(GcpAuditLog, DelegationActsAsImpersonatedAccount) {
  auto parsed = parse_with_source("gcp-audit-log", kTestData / "gcp-audit-log" / "logging_read.json");
  const nlohmann::json* event = find_event(parsed, "4d5e6f7a8b9c");
  ASSERT_NE(event, nullptr);
  EXPECT_EQ((*event)["identity_id"], "ci-deployer@example-prod.iam.gserviceaccount.com");
  EXPECT_EQ((*event)["credential_id"], "");
}

TEST(GcpAuditLog, DeniedCallHasErrorCode) {
  auto parsed = parse_with_source("gcp-audit-log", kTestData / "gcp-audit-log" / "logging_read.json");
  const nlohmann::json* event = find_event(parsed, "5e6f7a8b9c0d");
  ASSERT_NE(event, nullptr);
  EXPECT_EQ((*event)["error_code"], "PERMISSION_DENIED");
  EXPECT_EQ((*event)["user_agent"], "");
}

TEST(GcpAuditLog, KeyLifecycle) {
  auto parsed = parse_with_source("gcp-audit-log", kTestData / "gcp-audit-log" / "logging_read.json");
  const core::Credential* created = find_credential(parsed.batch, "5d4c3b2a19080706050403020100ffeeddccbbaa");
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(created->identity_id, "ci-deployer@example-prod.iam.gserviceaccount.com");
  EXPECT_EQ(created->created, 1796025600);
  EXPECT_FALSE(created->expires.has_value());
  EXPECT_EQ(created->attributes["created_by"], "dana.lee@example.com");
  EXPECT_EQ(created->attributes["key_type"], "USER_MANAGED");
  EXPECT_EQ(created->attributes["key_origin"], "GOOGLE_PROVIDED");
  EXPECT_EQ(created->attributes["algorithm"], "KEY_ALG_RSA_2048");

  const core::Credential* deleted = find_credential(parsed.batch, "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567");
  ASSERT_NE(deleted, nullptr);
  EXPECT_EQ(deleted->status, "deleted");
  EXPECT_EQ(deleted->attributes["deleted_by"], "dana.lee@example.com");
}

TEST(GcpAuditLog, AccountLifecycle) {
  auto parsed = parse_with_source("gcp-audit-log", kTestData / "gcp-audit-log" / "logging_read.json");
  const core::Identity* appspot = find_identity(parsed.batch.identities, "example-prod@appspot.gserviceaccount.com");
  ASSERT_NE(appspot, nullptr);
  EXPECT_EQ(appspot->kind, "gcp_default_service_account");
  EXPECT_EQ(appspot->created, core::parse_time("2026-11-30T14:00:00Z"));
  EXPECT_FALSE(appspot->attributes.contains("created_by"));

  auto sink = parse_with_source("gcp-audit-log", kTestData / "gcp-audit-log" / "sink_export.json");
  ASSERT_TRUE(sink.status.ok());
  EXPECT_TRUE(sink.errors.empty());
  EXPECT_EQ(sink.records, 2);
  const core::Identity* loader = find_identity(sink.batch.identities, "loader@example-data.iam.gserviceaccount.com");
  ASSERT_NE(loader, nullptr);
  EXPECT_EQ(loader->attributes["created_by"], "sam.ortiz@example.com");
  EXPECT_EQ(loader->owner, "sam.ortiz@example.com");
  EXPECT_EQ(loader->created, core::parse_time("2026-11-30T10:05:00Z"));
  EXPECT_EQ(loader->attributes["aliases"], nlohmann::json::array({"100000000000000000077"}));
}

TEST(GcpAuditLog, BadEntriesAreReported) {
  auto parsed = parse_with_source("gcp-audit-log", kTestData / "bad" / "bad_audit_entries.json");
  ASSERT_TRUE(parsed.status.ok());
  // Every record that is a JSON object counts, including the ones skipped with an error.
  EXPECT_EQ(parsed.records, 4);
  // The line of plain text is reported once per word by the JSON framing.
  ASSERT_GE(parsed.errors.size(), 4u);
  EXPECT_NE(parsed.errors[0].message.find("protoPayload"), std::string::npos);
  EXPECT_EQ(parsed.errors[0].line, 1);
  EXPECT_NE(parsed.errors[1].message.find("missing timestamp"), std::string::npos);
  EXPECT_NE(parsed.errors[2].message.find("not an RFC 3339 time"), std::string::npos);
  for (size_t index = 3; index < parsed.errors.size(); ++index) {
    EXPECT_EQ(parsed.errors[index].line, 4) << parsed.errors[index].message;
  }
  ASSERT_EQ(parsed.sink.events.size(), 1u);
  EXPECT_EQ(parsed.sink.events[0]["identity_id"], "b@p.iam.gserviceaccount.com");
  EXPECT_EQ(parsed.sink.events[0]["credential_id"], "");
  EXPECT_EQ(parsed.sink.events[0]["error_code"], "99");
}

TEST(GcpAuditLog, Detects) {
  AuditLogSource source;
  EXPECT_GE(source.detect(R"([{"protoPayload": {"@type": "type.googleapis.com/google.cloud.audit.AuditLog"}}])", "x.json"), 90);
  EXPECT_GE(source.detect(R"({"protoPayload": {"methodName": "x"}})", "x.json"), 90);
  EXPECT_EQ(source.detect(R"({"Records": [{"eventVersion": "1.08"}]})", "x.json"), 0);
  EXPECT_EQ(source.detect(R"({"jsonPayload": {"message": "x"}, "logName": "l"})", "x.json"), 0);
}

}  // namespace
}  // namespace keyward::sources::gcp
