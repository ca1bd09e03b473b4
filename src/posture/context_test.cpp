#include "posture/context.hpp"

#include <gtest/gtest.h>

namespace keyward::posture {
namespace {

core::Identity service_account(std::string account, std::string name, nlohmann::json tags = nullptr) {
  core::Identity identity;
  identity.platform = "gcp";
  identity.id = name + "@" + account + ".iam.gserviceaccount.com";
  identity.kind = "gcp_service_account";
  identity.name = std::move(name);
  identity.account = std::move(account);
  if (!tags.is_null()) identity.attributes["tags"] = std::move(tags);
  return identity;
}

TEST(FindingContext, EnvironmentFromTagsFirst) {
  EXPECT_EQ(environment_of(service_account("acme-dev", "etl", {{"Environment", "Production"}})), "production");
  EXPECT_EQ(environment_of(service_account("acme-dev", "etl", {{"env", "perf-lab"}})), "perf-lab");
}

TEST(FindingContext, EnvironmentFromNameWords) {
  EXPECT_EQ(environment_of(service_account("prod-reporting", "etl")), "production");
  EXPECT_EQ(environment_of(service_account("payments-stg", "etl")), "staging");
  EXPECT_EQ(environment_of(service_account("analytics", "sandbox_loader")), "development");
  EXPECT_EQ(environment_of(service_account("product-analytics", "etl")), "");
}

TEST(FindingContext, TeamAndConnections) {
  core::Identity identity = service_account("prod-data", "etl", {{"Team", "data-platform"}});
  report::InventoryEntry entry;
  entry.identity = identity;
  entry.vendor = "Fivetran";
  entry.owner_resolution.email = "ana@example.com";
  entry.owner_resolution.status = inventory::OwnerStatus::suspended;
  for (int i = 0; i < 10; ++i) {
    core::Grant grant;
    grant.resources = {"projects/p" + std::to_string(i)};
    entry.grants.push_back(grant);
  }
  core::Grant denied;
  denied.effect = "Deny";
  denied.resources = {"projects/secret"};
  entry.grants.push_back(denied);

  const core::FindingContext context = build_context(&identity, &entry);
  EXPECT_EQ(context.team, "data-platform");
  EXPECT_EQ(context.environment, "production");
  EXPECT_EQ(context.owner, "ana@example.com");
  EXPECT_EQ(context.owner_status, "suspended");
  EXPECT_EQ(context.vendor, "Fivetran");
  ASSERT_EQ(context.connects_to.size(), 9u);
  EXPECT_EQ(context.connects_to.back(), "and 2 more");
  for (const auto& reached : context.connects_to) EXPECT_NE(reached, "projects/secret");
}

TEST(FindingContext, DefaultSafetyFromLastUse) {
  Inventory inventory;
  inventory.as_of = *core::parse_time("2026-06-01T00:00:00Z");
  core::Credential key;
  key.id = "AKIAEXAMPLE";
  key.identity_id = "user";
  key.last_used = *core::parse_time("2026-05-20T00:00:00Z");
  inventory.credentials["user"] = {key};

  core::Finding recent;
  recent.identity.id = "user";
  recent.credential_id = "AKIAEXAMPLE";
  fill_default_safety(recent, inventory, 90);
  ASSERT_TRUE(recent.safe_now.has_value());
  EXPECT_FALSE(*recent.safe_now);
  ASSERT_EQ(recent.check_first.size(), 1u);
  EXPECT_NE(recent.check_first[0].find("2026-05-20"), std::string::npos);

  core::Finding stale = recent;
  stale.check_first.clear();
  stale.safe_now.reset();
  fill_default_safety(stale, inventory, 5);
  ASSERT_TRUE(stale.safe_now.has_value());
  EXPECT_TRUE(*stale.safe_now);

  core::Finding decided = recent;
  decided.safe_now = true;
  decided.safe_reason = "the check knows";
  fill_default_safety(decided, inventory, 90);
  EXPECT_EQ(decided.safe_reason, "the check knows");
}

}  // namespace
}  // namespace keyward::posture
