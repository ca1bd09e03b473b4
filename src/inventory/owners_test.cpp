#include "inventory/owners.hpp"

#include <gtest/gtest.h>

#include "inventory/inventory_testing.hpp"

namespace keyward::inventory {
namespace {

using testing::machine;
using testing::person;

OwnerDirectory sample_directory() {
  return OwnerDirectory(testing::sample_batch().identities);
}

TEST(Owners, DeprovisionedAnywhereWins) {
  // Okta lists Alice as deprovisioned and Entra (same email, other case) as active.
  const auto resolution = sample_directory().resolve("alice@example.com");
  EXPECT_EQ(resolution.status, OwnerStatus::deprovisioned);
  EXPECT_EQ(resolution.accounts.size(), 2u);
  EXPECT_EQ(resolution.reference, "alice@example.com");
  EXPECT_FALSE(resolution.email.empty());
}

TEST(Owners, MatchesIdAliasEmailLogin) {
  const OwnerDirectory directory = sample_directory();
  for (const char* reference : {"aad-alice", "alice-upn-id", "ALICE@EXAMPLE.COM", "alice", "00u-alice"}) {
    EXPECT_EQ(directory.resolve(reference).status, OwnerStatus::deprovisioned) << reference;
  }
  EXPECT_EQ(directory.resolve("bob").status, OwnerStatus::active);
  EXPECT_EQ(directory.resolve("octo-dave").status, OwnerStatus::active);
  EXPECT_EQ(directory.resolve("carol@example.com").status, OwnerStatus::suspended);
}

TEST(Owners, UnknownAndNone) {
  const OwnerDirectory directory = sample_directory();
  EXPECT_EQ(directory.resolve("nobody@example.com").status, OwnerStatus::unknown);
  EXPECT_TRUE(directory.resolve("nobody@example.com").accounts.empty());
  EXPECT_EQ(directory.resolve("").status, OwnerStatus::none);
  const auto unowned = directory.resolve_owner_of(machine("okta", "t", "okta_api_token", "t"));
  EXPECT_EQ(unowned.status, OwnerStatus::none);
  EXPECT_EQ(unowned.source, "");
}

TEST(Owners, CreatedByWhenOwnerEmpty) {
  const OwnerDirectory directory = sample_directory();
  core::Identity app = machine("entra", "app", "entra_application", "app");
  app.attributes["created_by"] = "bob@example.com";
  auto resolution = directory.resolve_owner_of(app);
  EXPECT_EQ(resolution.source, "created_by");
  EXPECT_EQ(resolution.status, OwnerStatus::active);

  app.owner = "carol@example.com";
  resolution = directory.resolve_owner_of(app);
  EXPECT_EQ(resolution.source, "owner");
  EXPECT_EQ(resolution.status, OwnerStatus::suspended);
}

TEST(Owners, DisabledCountsAsSuspended) {
  const OwnerDirectory directory({person("entra", "e1", "erin@example.com", "disabled"),
                                  person("okta", "o1", "frank@example.com", "deleted")});
  EXPECT_EQ(directory.resolve("erin@example.com").status, OwnerStatus::suspended);
  EXPECT_EQ(directory.resolve("frank@example.com").status, OwnerStatus::deprovisioned);
}

TEST(Owners, MachinesAreNotOwners) {
  const OwnerDirectory directory({machine("gcp", "svc@example.com", "gcp_service_account", "svc")});
  EXPECT_EQ(directory.people(), 0u);
  EXPECT_EQ(directory.resolve("svc@example.com").status, OwnerStatus::unknown);
}

TEST(Owners, ParseStatus) {
  EXPECT_EQ(parse_owner_status("Deprovisioned"), OwnerStatus::deprovisioned);
  EXPECT_EQ(parse_owner_status("none"), OwnerStatus::none);
  EXPECT_FALSE(parse_owner_status("gone").has_value());
}

}  // namespace
}  // namespace keyward::inventory
