#include "inventory/aliases.hpp"

#include <gtest/gtest.h>

#include "inventory/inventory_testing.hpp"
#include "posture/inventory.hpp"

namespace keyward::inventory {
namespace {

using testing::machine;

core::Identity with_aliases(core::Identity identity, std::vector<std::string> aliases) {
  identity.attributes["aliases"] = aliases;
  return identity;
}

TEST(Aliases, ResolvesAliasOnSamePlatform) {
  const AliasIndex index({with_aliases(machine("entra", "app-1", "entra_application", "App"), {"sp-1", "client-1"})});
  EXPECT_EQ(index.resolve("entra", "sp-1"), "app-1");
  EXPECT_EQ(index.resolve("entra", "client-1"), "app-1");
  EXPECT_EQ(index.resolve("entra", "app-1"), "app-1");
  EXPECT_EQ(index.resolve("gcp", "sp-1"), "sp-1");
  EXPECT_EQ(index.resolve("entra", "other"), "other");
  EXPECT_EQ(index.size(), 2u);
}

TEST(Aliases, AmbiguousAliasStaysUnresolved) {
  const AliasIndex index({with_aliases(machine("entra", "app-1", "entra_application", "A"), {"shared"}),
                          with_aliases(machine("entra", "app-2", "entra_application", "B"), {"shared"})});
  EXPECT_EQ(index.resolve("entra", "shared"), "shared");
  EXPECT_EQ(index.size(), 0u);
}

TEST(Aliases, OwnIdIsNeverTakenOver) {
  const AliasIndex index({machine("gcp", "sa-1", "gcp_service_account", "one"),
                          with_aliases(machine("gcp", "sa-2", "gcp_service_account", "two"), {"sa-1"})});
  EXPECT_EQ(index.resolve("gcp", "sa-1"), "sa-1");
}

TEST(Aliases, RewritesCredentialsGrantsActivity) {
  const AliasIndex index({with_aliases(machine("entra", "app-1", "entra_application", "App"), {"sp-1"})});
  core::Credential credential;
  credential.platform = "entra";
  credential.identity_id = "sp-1";
  std::vector<core::Credential> credentials{credential};
  EXPECT_EQ(resolve_aliases(index, credentials), 1u);
  EXPECT_EQ(credentials[0].identity_id, "app-1");

  std::vector<core::Grant> grants{testing::grant("entra", "sp-1", "read", "User.Read", "tenant"),
                                  testing::grant("okta", "sp-1", "read", "okta.users.read", "org")};
  EXPECT_EQ(resolve_aliases(index, grants), 1u);
  EXPECT_EQ(grants[0].identity_id, "app-1");
  EXPECT_EQ(grants[1].identity_id, "sp-1");

  std::vector<core::ActivitySummary> activity{testing::activity("entra", "sp-1", "2026-11-01", 3)};
  EXPECT_EQ(resolve_aliases(index, activity), 1u);
  EXPECT_EQ(activity[0].identity_id, "app-1");
}

TEST(Aliases, IdentityMatchesQuery) {
  core::Identity alice = testing::person("okta", "00u1", "Alice@Example.com", "active", "alice.smith", {"legacy-1"});
  EXPECT_TRUE(identity_matches(alice, "00u1"));
  EXPECT_TRUE(identity_matches(alice, "Alice"));  // the name
  EXPECT_TRUE(identity_matches(alice, "legacy-1"));
  EXPECT_TRUE(identity_matches(alice, "alice@example.com"));
  EXPECT_TRUE(identity_matches(alice, "ALICE.SMITH"));
  EXPECT_FALSE(identity_matches(alice, "LEGACY-1"));  // ids are compared exactly
  EXPECT_FALSE(identity_matches(alice, ""));
  EXPECT_FALSE(identity_matches(alice, "bob"));
}

TEST(Aliases, PostureInventoryAttachesAliasRecords) {
  testing::TempStore temp;
  ASSERT_TRUE(temp.store().commit(testing::sample_batch()).ok());
  auto loaded = posture::load_inventory(temp.store());
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();

  ASSERT_TRUE(loaded->credentials.contains("app-zapier"));
  EXPECT_EQ(loaded->credentials["app-zapier"].size(), 1u);
  EXPECT_FALSE(loaded->credentials.contains("sp-zapier"));
  ASSERT_TRUE(loaded->grants.contains("app-zapier"));
  EXPECT_EQ(loaded->grants["app-zapier"].front().actions.front(), "Mail.ReadWrite");
  ASSERT_TRUE(loaded->grants.contains("etl@proj.iam.gserviceaccount.com"));
  EXPECT_FALSE(loaded->grants.contains("1234567890"));
  ASSERT_TRUE(loaded->activity_by_identity.contains("app-zapier"));
  EXPECT_EQ(loaded->activity_by_identity["app-zapier"].events, 12);
  EXPECT_FALSE(loaded->activity_by_identity.contains("sp-zapier"));
}

}  // namespace
}  // namespace keyward::inventory
