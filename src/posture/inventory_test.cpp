#include "posture/inventory.hpp"

#include <gtest/gtest.h>

namespace keyward::posture {
namespace {

constexpr std::string_view kUserArn = "arn:aws:iam::111122223333:user/svc-deploy";

core::Credential report_slot_key(int slot, core::UnixTime created, std::optional<core::UnixTime> last_used) {
  core::Credential key;
  key.platform = "aws";
  key.id = std::string(kUserArn) + "#access_key_" + std::to_string(slot);
  key.identity_id = std::string(kUserArn);
  key.kind = "aws_access_key";
  key.status = "active";
  key.created = created;
  key.last_used = last_used;
  key.last_used_service = "s3";
  key.last_used_region = "eu-west-1";
  key.attributes["slot"] = slot;
  return key;
}

core::Credential listed_key(std::string id, core::UnixTime created, std::string status = "active") {
  core::Credential key;
  key.platform = "aws";
  key.id = std::move(id);
  key.identity_id = std::string(kUserArn);
  key.kind = "aws_access_key";
  key.status = std::move(status);
  key.created = created;
  key.attributes["report_slot"] = "unknown";
  return key;
}

core::Identity user(std::string name, std::string account) {
  core::Identity identity;
  identity.platform = "aws";
  identity.kind = "iam_user";
  identity.id = "arn:aws:iam::" + account + ":user/" + name;
  identity.name = std::move(name);
  identity.account = std::move(account);
  return identity;
}

TEST(InventoryMerge, SlotJoinsKeyWithSameCreation) {
  const core::UnixTime created = *core::parse_time("2023-06-01T08:00:05Z");
  const core::UnixTime used = *core::parse_time("2025-02-17T23:59:00Z");
  auto merged = merge_report_slots({report_slot_key(1, created, used), listed_key("AKIAIOSFODNN7EXAMPLE", created + 1)});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].id, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(merged[0].created, created + 1);
  EXPECT_EQ(merged[0].last_used, used);
  EXPECT_EQ(merged[0].last_used_service, "s3");
  EXPECT_EQ(merged[0].last_used_region, "eu-west-1");
  EXPECT_EQ(merged[0].attributes["report_slot"], 1);
  EXPECT_FALSE(merged[0].attributes.contains("report_status"));
}

TEST(InventoryMerge, DifferentCreationStaysApart) {
  const core::UnixTime created = *core::parse_time("2023-06-01T08:00:05Z");
  auto merged = merge_report_slots({report_slot_key(1, created, std::nullopt), listed_key("AKIAIOSFODNN7EXAMPLE", created + 2)});
  ASSERT_EQ(merged.size(), 2u);
}

TEST(InventoryMerge, EachSlotTakesOneKey) {
  const core::UnixTime first = *core::parse_time("2023-06-01T08:00:05Z");
  const core::UnixTime second = *core::parse_time("2025-01-20T10:00:00Z");
  auto merged = merge_report_slots({report_slot_key(1, first, std::nullopt), report_slot_key(2, second, std::nullopt),
                                    listed_key("AKIAI44QH8DHBEXAMPLE", second, "inactive"),
                                    listed_key("AKIAIOSFODNN7EXAMPLE", first)});
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].id, "AKIAI44QH8DHBEXAMPLE");
  EXPECT_EQ(merged[0].attributes["report_slot"], 2);
  // The key listing's status is kept and the report's disagreement recorded.
  EXPECT_EQ(merged[0].status, "inactive");
  EXPECT_EQ(merged[0].attributes["report_status"], "active");
  EXPECT_EQ(merged[1].id, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(merged[1].attributes["report_slot"], 1);
}

TEST(InventoryMerge, NewerKeyUseWins) {
  const core::UnixTime created = *core::parse_time("2023-06-01T08:00:05Z");
  core::Credential listed = listed_key("AKIAIOSFODNN7EXAMPLE", created);
  listed.last_used = *core::parse_time("2025-02-18T00:00:00Z");
  listed.last_used_service = "iam";
  auto merged = merge_report_slots({report_slot_key(1, created, *core::parse_time("2025-01-01T00:00:00Z")), listed});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].last_used, core::parse_time("2025-02-18T00:00:00Z"));
  EXPECT_EQ(merged[0].last_used_service, "iam");
}

TEST(InventoryPlaceholders, ResolvesUniqueUserName) {
  std::vector<core::Identity> identities = {user("svc-deploy", "111122223333"), user("ci", "111122223333"),
                                            user("ci", "444455556666")};
  std::vector<core::Credential> credentials = {listed_key("AKIAIOSFODNN7EXAMPLE", 0), listed_key("AKIAJ5EXAMPLE7RUNNER", 0),
                                               listed_key("AKIAEXAMPLEUNKNOWN01", 0)};
  credentials[0].identity_id = "user/svc-deploy";
  credentials[1].identity_id = "user/ci";
  credentials[2].identity_id = "user/nobody";
  resolve_user_placeholders(identities, credentials);
  EXPECT_EQ(credentials[0].identity_id, "arn:aws:iam::111122223333:user/svc-deploy");
  EXPECT_EQ(credentials[1].identity_id, "user/ci");  // two accounts have a user "ci"
  EXPECT_EQ(credentials[2].identity_id, "user/nobody");
}

TEST(InventoryActivity, ProfilesCountDistinctValues) {
  auto summary = [](std::string credential, std::string network, std::string family, long long count,
                    core::UnixTime first, core::UnixTime last) {
    core::ActivitySummary s;
    s.platform = "aws";
    s.identity_id = std::string(kUserArn);
    s.credential_id = std::move(credential);
    s.network = std::move(network);
    s.user_agent_family = std::move(family);
    s.count = count;
    s.first_seen = first;
    s.last_seen = last;
    return s;
  };
  Inventory inventory;
  build_activity_profiles({summary("AKIA1", "AS16509", "aws-cli", 3, 100, 200), summary("AKIA1", "AS16509", "terraform", 2, 50, 150),
                           summary("AKIA1", "AS7922", "aws-cli", 1, 300, 400), summary("", "AS7922", "console", 4, 10, 20)},
                          inventory);
  const ActivityProfile& key = inventory.activity_by_credential.at("AKIA1");
  EXPECT_EQ(key.events, 6);
  EXPECT_EQ(key.first_seen, 50);
  EXPECT_EQ(key.last_seen, 400);
  EXPECT_EQ(key.networks, (std::vector<std::string>{"AS16509", "AS7922"}));
  EXPECT_EQ(key.user_agent_families, (std::vector<std::string>{"aws-cli", "terraform"}));
  const ActivityProfile& identity = inventory.activity_by_identity.at(std::string(kUserArn));
  EXPECT_EQ(identity.events, 10);
  EXPECT_EQ(identity.first_seen, 10);
  EXPECT_EQ(inventory.activity_by_credential.count(""), 0u);
}

}  // namespace
}  // namespace keyward::posture
