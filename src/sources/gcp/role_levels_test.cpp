#include "sources/gcp/role_levels.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace keyward::sources::gcp {
namespace {

TEST(GcpRoleLevels, Table) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"roles/owner", "admin"},
      {"roles/editor", "write"},
      {"roles/viewer", "read"},
      {"roles/browser", "read"},
      {"roles/iam.securityAdmin", "admin"},
      {"roles/resourcemanager.projectIamAdmin", "admin"},
      {"roles/storage.admin", "admin"},
      {"roles/storage.objectAdmin", "admin"},
      {"roles/iam.serviceAccountTokenCreator", "admin"},
      {"roles/iam.serviceAccountUser", "admin"},
      {"roles/iam.workloadIdentityUser", "admin"},
      {"roles/iam.securityReviewer", "read"},
      {"roles/storage.objectViewer", "read"},
      {"roles/bigquery.dataViewer", "read"},
      {"roles/secretmanager.secretAccessor", "read"},
      {"roles/storage.legacyBucketReader", "read"},
      {"roles/logging.logWriter", "write"},
      {"roles/bigquery.dataEditor", "write"},
      {"roles/bigquery.jobUser", "write"},
      {"roles/run.invoker", "write"},
      {"roles/pubsub.publisher", "write"},
      {"roles/pubsub.serviceAgent", "write"},
      {"roles/cloudsql.client", "write"},
      {"roles/monitoring.metricWriter", "write"},
      {"roles/compute.osLogin", ""},
      {"projects/example-prod/roles/customDeployer", ""},
      {"organizations/123/roles/securityAdmin", ""},
      {"", ""},
  };
  for (const auto& [role, level] : cases) {
    EXPECT_EQ(role_level(role), level) << role;
  }
}

}  // namespace
}  // namespace keyward::sources::gcp
