#include "sources/gcp/iam_policy_source.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "sources/testing/source_testing.hpp"

namespace keyward::sources::gcp {
namespace {

using testing::parse_with_source;

const std::filesystem::path kTestData = testing::source_testdata("gcp");

std::vector<const core::Grant*> grants_of(const store::Batch& batch, const std::string& identity_id) {
  std::vector<const core::Grant*> grants;
  for (const auto& grant : batch.grants) {
    if (grant.identity_id == identity_id) grants.push_back(&grant);
  }
  return grants;
}

const core::Identity* find_observed(const store::Batch& batch, const std::string& id) {
  for (const auto& identity : batch.observed_identities) {
    if (identity.id == id) return &identity;
  }
  return nullptr;
}

TEST(GcpIamPolicy, Golden) {
  auto parsed = parse_with_source("gcp-iam-policy", kTestData / "gcp-iam-policy" / "example-prod.iam-policy.json");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  testing::expect_golden(testing::normalized_json(parsed), kTestData / "gcp-iam-policy" / "example-prod.golden.json");
}

TEST(GcpIamPolicy, ProjectPolicyGrants) {
  auto parsed = parse_with_source("gcp-iam-policy", kTestData / "gcp-iam-policy" / "example-prod.iam-policy.json");
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.records, 1);

  auto owner = grants_of(parsed.batch, "ci-deployer@example-prod.iam.gserviceaccount.com");
  ASSERT_EQ(owner.size(), 1u);
  EXPECT_EQ(owner[0]->actions, std::vector<std::string>{"roles/owner"});
  EXPECT_EQ(owner[0]->resources, std::vector<std::string>{"//cloudresourcemanager.googleapis.com/projects/example-prod"});
  EXPECT_EQ(owner[0]->level, "admin");
  EXPECT_EQ(owner[0]->resource_type, "project");
  EXPECT_EQ(owner[0]->origin, "gcp.iam_policy://cloudresourcemanager.googleapis.com/projects/example-prod");
  EXPECT_TRUE(owner[0]->condition.is_null());

  auto conditional = grants_of(parsed.batch, "etl@example-data.iam.gserviceaccount.com");
  ASSERT_EQ(conditional.size(), 1u);
  EXPECT_EQ(conditional[0]->level, "read");
  EXPECT_EQ(conditional[0]->condition["title"], "temporary");

  auto custom = grants_of(parsed.batch,
                          "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/"
                          "github/subject/repo:example/web:ref:refs/heads/main");
  ASSERT_EQ(custom.size(), 1u);
  EXPECT_EQ(custom[0]->level, "");

  // People, groups and public members are not non-human identities.
  EXPECT_TRUE(grants_of(parsed.batch, "dana.lee@example.com").empty());
  EXPECT_TRUE(grants_of(parsed.batch, "engineering@example.com").empty());
  EXPECT_EQ(parsed.batch.grants.size(), 7u);
  EXPECT_EQ(parsed.batch.grant_replacements.size(), 7u);
}

TEST(GcpIamPolicy, ObservedIdentities) {
  auto parsed = parse_with_source("gcp-iam-policy", kTestData / "gcp-iam-policy" / "example-prod.iam-policy.json");
  const core::Identity* agent = find_observed(parsed.batch, "service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->kind, "gcp_service_agent");
  EXPECT_EQ(agent->vendor, "Google");
  const core::Identity* cloudservices = find_observed(parsed.batch, "123456789012@cloudservices.gserviceaccount.com");
  ASSERT_NE(cloudservices, nullptr);
  EXPECT_EQ(cloudservices->kind, "gcp_service_agent");

  const core::Identity* deleted = find_observed(parsed.batch, "old-exporter@example-prod.iam.gserviceaccount.com");
  ASSERT_NE(deleted, nullptr);
  EXPECT_EQ(deleted->status, "deleted");
  EXPECT_EQ(deleted->attributes["deleted_unique_id"], "109876543210987654321");
  auto stale = grants_of(parsed.batch, "old-exporter@example-prod.iam.gserviceaccount.com");
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0]->via, "deleted_member");

  const core::Identity* etl = find_observed(parsed.batch, "etl@example-data.iam.gserviceaccount.com");
  ASSERT_NE(etl, nullptr);
  EXPECT_EQ(etl->account, "example-data") << "the account's own project, not the policy's";
}

TEST(GcpIamPolicy, AssetSearch) {
  auto parsed = parse_with_source("gcp-iam-policy", kTestData / "gcp-iam-policy" / "asset_search.json");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.records, 2);
  auto etl = grants_of(parsed.batch, "etl@example-data.iam.gserviceaccount.com");
  ASSERT_EQ(etl.size(), 2u);
  EXPECT_EQ(etl[0]->level, "write");
  EXPECT_EQ(etl[0]->resource_type, "project");
  auto bucket = grants_of(parsed.batch, "ci-deployer@example-prod.iam.gserviceaccount.com");
  ASSERT_EQ(bucket.size(), 1u);
  EXPECT_EQ(bucket[0]->resources, std::vector<std::string>{"//storage.googleapis.com/example-prod-artifacts"});
  EXPECT_EQ(bucket[0]->resource_type, "bucket");
  EXPECT_EQ(bucket[0]->level, "admin");
}

TEST(GcpIamPolicy, UnknownProjectIsReported) {
  auto parsed = parse_with_source("gcp-iam-policy", kTestData / "bad" / "bad_policy_without_project.json");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_TRUE(parsed.batch.grants.empty());
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_NE(parsed.errors[0].message.find("PROJECT_ID.iam-policy.json"), std::string::npos) << parsed.errors[0].message;
}

TEST(GcpIamPolicy, BadBindingsAreReported) {
  auto parsed = parse_with_source("gcp-iam-policy", kTestData / "bad" / "bad_bindings.iam-policy.json");
  ASSERT_TRUE(parsed.status.ok());
  ASSERT_EQ(parsed.batch.grants.size(), 1u);
  EXPECT_EQ(parsed.batch.grants[0].identity_id, "c@p.iam.gserviceaccount.com");
  EXPECT_EQ(parsed.batch.grants[0].resources[0], "//cloudresourcemanager.googleapis.com/projects/bad_bindings");
  EXPECT_EQ(parsed.errors.size(), 2u);
}

TEST(GcpIamPolicy, Detects) {
  IamPolicySource source;
  const std::string policy = R"({"bindings": [{"role": "roles/owner", "members": ["user:a@b.c"]}], "etag": "x"})";
  EXPECT_GE(source.detect(policy, "p1.iam-policy.json"), 95);
  EXPECT_GE(source.detect(policy, "policy.json"), 80);
  EXPECT_EQ(source.detect(R"({"protoPayload": {"methodName": "SetIamPolicy", "request": {"policy": {"bindings": [{"role": "r", "members": []}], "etag": "x"}}}})", "x.json"), 0);
  // AWS authorization details carry policies but no bindings.
  EXPECT_EQ(source.detect(R"({"UserDetailList": [], "Policies": []})", "authz.json"), 0);
}

}  // namespace
}  // namespace keyward::sources::gcp
