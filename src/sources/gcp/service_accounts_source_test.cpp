#include "sources/gcp/service_accounts_source.hpp"

#include <gtest/gtest.h>

#include "sources/testing/source_testing.hpp"

namespace keyward::sources::gcp {
namespace {

using testing::find_identity;
using testing::parse_with_source;

const std::filesystem::path kTestData = testing::source_testdata("gcp");

TEST(GcpServiceAccounts, Golden) {
  auto parsed = parse_with_source("gcp-service-accounts", kTestData / "gcp-service-accounts" / "service_accounts.json");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  testing::expect_golden(testing::normalized_json(parsed), kTestData / "gcp-service-accounts" / "service_accounts.golden.json");
}

TEST(GcpServiceAccounts, MapsFields) {
  auto parsed = parse_with_source("gcp-service-accounts", kTestData / "gcp-service-accounts" / "service_accounts.json");
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.records, 4);

  const core::Identity* deployer = find_identity(parsed.batch, "ci-deployer@example-prod.iam.gserviceaccount.com");
  ASSERT_NE(deployer, nullptr);
  EXPECT_EQ(deployer->platform, "gcp");
  EXPECT_EQ(deployer->kind, "gcp_service_account");
  EXPECT_EQ(deployer->name, "CI deployer");
  EXPECT_EQ(deployer->account, "example-prod");
  EXPECT_EQ(deployer->owner, "dana.lee@example.com");
  EXPECT_EQ(deployer->status, "active");
  EXPECT_EQ(deployer->classification, core::Classification::machine);
  EXPECT_EQ(deployer->attributes["aliases"], nlohmann::json::array({"104578934127653410001"}));

  const core::Identity* reporting = find_identity(parsed.batch, "reporting@example-prod.iam.gserviceaccount.com");
  ASSERT_NE(reporting, nullptr);
  EXPECT_EQ(reporting->status, "disabled");

  const core::Identity* compute = find_identity(parsed.batch, "123456789012-compute@developer.gserviceaccount.com");
  ASSERT_NE(compute, nullptr);
  EXPECT_EQ(compute->kind, "gcp_default_service_account");
}

TEST(GcpServiceAccounts, NullFieldsAreEmpty) {
  auto parsed = parse_with_source("gcp-service-accounts", kTestData / "gcp-service-accounts" / "service_accounts.json");
  const core::Identity* batch = find_identity(parsed.batch, "batch@example-prod.iam.gserviceaccount.com");
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(batch->name, "batch");
  EXPECT_EQ(batch->owner, "");
  EXPECT_FALSE(batch->attributes.contains("description"));
}

TEST(GcpServiceAccounts, ReadsRestEnvelope) {
  auto parsed = parse_with_source("gcp-service-accounts", kTestData / "gcp-service-accounts" / "rest_list.json");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.batch.identities.size(), 1u);
  EXPECT_EQ(parsed.batch.identities[0].id, "etl@example-data.iam.gserviceaccount.com");
  EXPECT_EQ(parsed.batch.identities[0].owner, "sam.ortiz@example.com");
}

TEST(GcpServiceAccounts, BadRecordsAreReported) {
  auto parsed = parse_with_source("gcp-service-accounts", kTestData / "bad" / "bad_service_accounts.json");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_EQ(parsed.records, 3) << "the string element is not a record";
  EXPECT_EQ(parsed.batch.identities.size(), 2u);
  ASSERT_NE(find_identity(parsed.batch, "from-name@example-prod.iam.gserviceaccount.com"), nullptr);
  EXPECT_EQ(find_identity(parsed.batch, "from-name@example-prod.iam.gserviceaccount.com")->account, "example-prod");
  ASSERT_EQ(parsed.errors.size(), 2u);
  EXPECT_NE(parsed.errors[0].message.find("missing email"), std::string::npos) << parsed.errors[0].message;
  EXPECT_GT(parsed.errors[0].offset, 0);
}

TEST(GcpServiceAccounts, Detects) {
  ServiceAccountsSource source;
  EXPECT_GE(source.detect(R"([{"email": "a@p.iam.gserviceaccount.com", "uniqueId": "1", "oauth2ClientId": "1"}])", "x.json"), 90);
  EXPECT_EQ(source.detect(R"({"protoPayload": {"response": {"email": "a", "uniqueId": "1"}}})", "x.json"), 0);
  EXPECT_EQ(source.detect("email,uniqueId\n", "x.csv"), 0);
}

}  // namespace
}  // namespace keyward::sources::gcp
