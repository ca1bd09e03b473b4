#include "sources/gcp/gcp_names.hpp"

#include <gtest/gtest.h>

namespace keyward::sources::gcp {
namespace {

TEST(GcpNames, ServiceAccountKinds) {
  EXPECT_EQ(service_account_kind("ci@example-prod.iam.gserviceaccount.com"), kServiceAccountKind);
  EXPECT_EQ(service_account_kind("123456789012-compute@developer.gserviceaccount.com"), kDefaultServiceAccountKind);
  EXPECT_EQ(service_account_kind("example-prod@appspot.gserviceaccount.com"), kDefaultServiceAccountKind);
  EXPECT_EQ(service_account_kind("service-123@gcp-sa-pubsub.iam.gserviceaccount.com"), kServiceAgentKind);
  EXPECT_EQ(service_account_kind("123@cloudservices.gserviceaccount.com"), kServiceAgentKind);
  EXPECT_EQ(service_account_kind("123@cloudbuild.gserviceaccount.com"), kServiceAgentKind);
  EXPECT_EQ(service_account_kind("service-123@compute-system.iam.gserviceaccount.com"), kServiceAgentKind);
  EXPECT_EQ(service_account_kind("service-org-42@example.iam.gserviceaccount.com"), kServiceAgentKind);
  EXPECT_EQ(service_account_kind("service-desk@example.iam.gserviceaccount.com"), kServiceAccountKind);
}

TEST(GcpNames, ProjectOfServiceAccount) {
  EXPECT_EQ(project_of_service_account("ci@example-prod.iam.gserviceaccount.com"), "example-prod");
  EXPECT_EQ(project_of_service_account("example-prod@appspot.gserviceaccount.com"), "example-prod");
  EXPECT_EQ(project_of_service_account("service-1@gcp-sa-pubsub.iam.gserviceaccount.com"), "");
  EXPECT_EQ(project_of_service_account("dana@example.com"), "");
}

TEST(GcpNames, ParsesKeyNames) {
  auto plain = parse_key_name("projects/p1/serviceAccounts/a@p1.iam.gserviceaccount.com/keys/abc123");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->project, "p1");
  EXPECT_EQ(plain->service_account, "a@p1.iam.gserviceaccount.com");
  EXPECT_EQ(plain->key_id, "abc123");
  auto prefixed = parse_key_name("//iam.googleapis.com/projects/p1/serviceAccounts/a@p1.iam.gserviceaccount.com/keys/abc");
  ASSERT_TRUE(prefixed.has_value());
  EXPECT_EQ(prefixed->key_id, "abc");
  EXPECT_FALSE(parse_key_name("projects/p1/serviceAccounts/a@p1.iam.gserviceaccount.com").has_value());
  EXPECT_FALSE(parse_key_name("projects/p1/serviceAccounts/a/keys/").has_value());
  EXPECT_FALSE(parse_key_name("garbage").has_value());
  EXPECT_FALSE(parse_key_name("").has_value());
}

TEST(GcpNames, OwnerFromDescription) {
  EXPECT_EQ(owner_from_description("Deploys web. Owner: Dana.Lee@example.com"), "dana.lee@example.com");
  EXPECT_EQ(owner_from_description("owner=sam@example.com; loads tables"), "sam@example.com");
  EXPECT_EQ(owner_from_description("(owner: kim@example.com)."), "kim@example.com");
  EXPECT_EQ(owner_from_description("owned by the data team"), "");
  EXPECT_EQ(owner_from_description("owner: data team"), "");
  EXPECT_EQ(owner_from_description(""), "");
}

TEST(GcpNames, KeyExpiry) {
  EXPECT_FALSE(key_expiry(253402300799).has_value());
  EXPECT_EQ(key_expiry(1796025600), 1796025600);
}

}  // namespace
}  // namespace keyward::sources::gcp
