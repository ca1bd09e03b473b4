// GCP cases of nhi.privilege.unused_permissions. The check examples can only add AWS activity
// summaries, so these tests build the inventory directly.

#include <gtest/gtest.h>

#include <memory>

#include "core/time.hpp"
#include "posture/check.hpp"

namespace keyward::posture {
namespace {

constexpr std::string_view kRule = "nhi.privilege.unused_permissions";
constexpr std::string_view kAccount = "etl@example-data.iam.gserviceaccount.com";
constexpr core::UnixTime kDay = 86400;

std::unique_ptr<Check> find_check() {
  for (auto& check : make_checks()) {
    if (check->id() == kRule) return std::move(check);
  }
  return nullptr;
}

core::Grant binding(std::string role, std::string level) {
  core::Grant grant;
  grant.platform = "gcp";
  grant.identity_id = std::string(kAccount);
  grant.actions = {std::move(role)};
  grant.resources = {"//cloudresourcemanager.googleapis.com/projects/example-data"};
  grant.resource_type = "project";
  grant.level = std::move(level);
  grant.via = "member";
  return grant;
}

core::ActivitySummary call(std::string identity, std::string action, core::UnixTime time) {
  core::ActivitySummary summary;
  summary.platform = "gcp";
  summary.identity_id = std::move(identity);
  summary.action = std::move(action);
  summary.day = core::day_start(time);
  summary.count = 1;
  summary.first_seen = summary.last_seen = time;
  return summary;
}

// An ETL account with storage.admin and bigquery.dataEditor, active for `days` days, calling
// BigQuery only; another account's storage calls show the logs cover Cloud Storage.
Inventory etl_inventory(int days) {
  const core::UnixTime start = *core::parse_time("2026-06-01T00:00:00Z");
  Inventory inventory;
  core::Identity identity;
  identity.platform = "gcp";
  identity.id = std::string(kAccount);
  identity.name = std::string(kAccount);
  identity.kind = "gcp_service_account";
  identity.account = "example-data";
  identity.classification = core::Classification::machine;
  inventory.identities.push_back(identity);
  inventory.grants[identity.id] = {binding("roles/storage.admin", "admin"), binding("roles/bigquery.dataEditor", "write")};
  inventory.activity = {
      call(identity.id, "bigquery.googleapis.com:google.cloud.bigquery.v2.JobService.InsertJob", start),
      call(identity.id, "bigquery.googleapis.com:google.cloud.bigquery.v2.JobService.InsertJob", start + days * kDay),
      call("uploader@example-data.iam.gserviceaccount.com", "storage.googleapis.com:storage.buckets.create", start),
  };
  ActivityProfile profile;
  profile.events = 2;
  profile.first_seen = start;
  profile.last_seen = start + days * kDay;
  profile.actions = {"bigquery.googleapis.com:google.cloud.bigquery.v2.JobService.InsertJob"};
  inventory.activity_by_identity[identity.id] = profile;
  inventory.as_of = start + (days + 1) * kDay;
  return inventory;
}

std::vector<core::Finding> run_check(const Inventory& inventory) {
  auto check = find_check();
  EXPECT_NE(check, nullptr);
  std::vector<core::Finding> findings;
  if (check) check->run(inventory, PostureOptions{}, findings);
  return findings;
}

TEST(UnusedPermissionsGcp, ReportsRoleOfUncalledService) {
  const auto findings = run_check(etl_inventory(120));
  ASSERT_EQ(findings.size(), 1u);
  const core::Finding& finding = findings.front();
  EXPECT_EQ(finding.identity.id, kAccount);
  EXPECT_EQ(finding.severity, core::Severity::medium);
  bool names_storage_admin = false;
  bool names_bigquery = false;
  for (const auto& evidence : finding.evidence) {
    if (evidence.description.find("roles/storage.admin") != std::string::npos) names_storage_admin = true;
    if (evidence.description.find("roles/bigquery.dataEditor") != std::string::npos) names_bigquery = true;
  }
  EXPECT_TRUE(names_storage_admin);
  EXPECT_FALSE(names_bigquery) << "BigQuery was called, so its role is in use";
  ASSERT_FALSE(finding.remediation_steps.empty());
  EXPECT_NE(finding.remediation_steps.front().find("gcloud projects remove-iam-policy-binding example-data"), std::string::npos);
  EXPECT_EQ(finding.safe_now, std::optional<bool>(false));
}

TEST(UnusedPermissionsGcp, ShortWindowIsNotJudged) {
  EXPECT_TRUE(run_check(etl_inventory(30)).empty());
}

TEST(UnusedPermissionsGcp, ServiceAbsentFromLogsIsNotJudged) {
  Inventory inventory = etl_inventory(120);
  // Without any Cloud Storage call in the logs, they may simply not cover the service.
  inventory.activity.pop_back();
  EXPECT_TRUE(run_check(inventory).empty());
}

TEST(UnusedPermissionsGcp, IdentityWithoutActivityIsNotJudged) {
  Inventory inventory = etl_inventory(120);
  inventory.activity_by_identity.clear();
  EXPECT_TRUE(run_check(inventory).empty());
}

}  // namespace
}  // namespace keyward::posture
