#include "inventory/removable.hpp"

#include <gtest/gtest.h>

namespace keyward::inventory {
namespace {

const core::UnixTime kAsOf = *core::parse_time("2026-06-01T00:00:00Z");

report::InventoryEntry entry(std::string platform, std::string kind, std::string id,
                             std::optional<std::string> last_used, std::optional<std::string> created) {
  report::InventoryEntry out;
  out.platform = platform;
  out.kind = kind;
  out.id = id;
  out.name = id;
  out.identity.platform = std::move(platform);
  out.identity.kind = std::move(kind);
  out.identity.id = std::move(id);
  out.identity.classification = core::Classification::machine;
  if (last_used) out.last_used = core::parse_time(*last_used);
  if (created) out.identity.created = core::parse_time(*created);
  return out;
}

TEST(Removable, ListsIdleAndNeverUsed) {
  std::vector<report::InventoryEntry> entries = {
      entry("salesforce", "salesforce_oauth_token", "recent", "2026-05-20T00:00:00Z", "2025-01-01T00:00:00Z"),
      entry("salesforce", "salesforce_oauth_token", "idle", "2025-12-01T00:00:00Z", "2025-01-01T00:00:00Z"),
      entry("salesforce", "salesforce_oauth_token", "never", std::nullopt, "2025-01-01T00:00:00Z"),
      entry("salesforce", "salesforce_oauth_token", "new", std::nullopt, "2026-05-25T00:00:00Z"),
  };
  entries[1].owner_resolution.status = OwnerStatus::deprovisioned;
  const RemovalReport report = find_removable(entries, 90, kAsOf);
  ASSERT_EQ(report.candidates.size(), 2u);
  EXPECT_EQ(report.candidates[0].entry->id, "never");  // idle since creation, 516 days
  EXPECT_EQ(report.candidates[1].entry->id, "idle");
  EXPECT_EQ(report.candidates[1].idle_days, 182);
  ASSERT_EQ(report.candidates[1].reasons.size(), 2u);
  EXPECT_EQ(report.candidates[1].reasons[1], "owner deprovisioned");
  const PlatformShare& share = report.platforms.at("salesforce");
  EXPECT_EQ(share.identities, 4u);
  EXPECT_EQ(share.removable, 2u);
  EXPECT_EQ(share.use_unknown, 0u);
}

TEST(Removable, NeverListsKindsWithoutUseData) {
  // No GitHub deploy key records a use, so "no use" means "unknown", not "never used".
  std::vector<report::InventoryEntry> entries = {
      entry("github", "github_deploy_key", "a", std::nullopt, "2020-01-01T00:00:00Z"),
      entry("github", "github_deploy_key", "b", std::nullopt, "2021-01-01T00:00:00Z"),
  };
  const RemovalReport report = find_removable(entries, 90, kAsOf);
  EXPECT_TRUE(report.candidates.empty());
  EXPECT_EQ(report.platforms.at("github").use_unknown, 2u);
}

TEST(Removable, SkipsServiceLinkedRoles) {
  std::vector<report::InventoryEntry> entries = {
      entry("aws", "service_linked_role", "AWSServiceRoleForSupport", "2025-01-01T00:00:00Z", std::nullopt),
      entry("aws", "iam_role", "old-role", "2025-01-01T00:00:00Z", std::nullopt),
  };
  const RemovalReport report = find_removable(entries, 90, kAsOf);
  ASSERT_EQ(report.candidates.size(), 1u);
  EXPECT_EQ(report.candidates[0].entry->id, "old-role");
  EXPECT_EQ(report.platforms.at("aws").identities, 1u);
}

TEST(Removable, SkipsDisabledIdentities) {
  std::vector<report::InventoryEntry> entries = {
      entry("okta", "okta_api_token", "x", "2025-01-01T00:00:00Z", std::nullopt),
  };
  entries[0].identity.status = "disabled";
  const RemovalReport report = find_removable(entries, 90, kAsOf);
  EXPECT_TRUE(report.candidates.empty());
  EXPECT_TRUE(report.platforms.empty());
}

}  // namespace
}  // namespace keyward::inventory
