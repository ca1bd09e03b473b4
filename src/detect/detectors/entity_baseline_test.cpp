#include "detect/detectors/entity_baseline.hpp"

#include <gtest/gtest.h>

namespace keyward::detect::baseline {
namespace {

TEST(EntityBaseline, LongLivedKeyIsTheEntity) {
  core::Event event;
  event.identity_id = "arn:aws:iam::111122223333:user/ci";
  event.access_key_id = "AKIAEXAMPLECIDEPLOY1";
  EXPECT_EQ(entity_of(event), "AKIAEXAMPLECIDEPLOY1");
  EXPECT_EQ(describe_entity(event), "access key AKIAEXAMPLECIDEPLOY1 of arn:aws:iam::111122223333:user/ci");

  event.access_key_id = "ASIAEXAMPLESESSION01";
  EXPECT_EQ(entity_of(event), "arn:aws:iam::111122223333:user/ci") << "temporary keys change every session";
  EXPECT_EQ(describe_entity(event), "arn:aws:iam::111122223333:user/ci");

  event.identity_id.clear();
  event.access_key_id = {};
  EXPECT_EQ(entity_of(event), "");
}

TEST(EntityBaseline, PrintableReplacesControlBytes) {
  EXPECT_EQ(printable("curl/8.4.0", 200), "curl/8.4.0");
  EXPECT_EQ(printable("evil\x1b[2J\nagent", 200), "evil?[2J?agent");
  EXPECT_EQ(printable("caf\xc3\xa9", 200), "caf??");
  EXPECT_EQ(printable("abcdef", 3), "abc...");
}

TEST(EntityBaseline, JoinValuesCountsTheRest) {
  EXPECT_EQ(join_values({}, 3), "");
  EXPECT_EQ(join_values({"US"}, 3), "US");
  EXPECT_EQ(join_values({"US", "DE", "FR", "GB", "IT"}, 3), "US, DE, FR and 2 more");
}

TEST(RecentValues, KeepsDistinctValuesInOrder) {
  RecentValues recent;
  recent.add("key", "AS1");
  recent.add("key", "AS2");
  recent.add("key", "AS1");
  ASSERT_EQ(recent.of("key").size(), 2u);
  EXPECT_EQ(recent.of("key")[0], "AS1");
  EXPECT_EQ(recent.of("key")[1], "AS2");
  EXPECT_TRUE(recent.of("other").empty());
}

TEST(RecentValues, StaysBounded) {
  RecentValues recent;
  for (std::size_t i = 0; i < RecentValues::kMaxValues + 10; ++i) recent.add("key", "AS" + std::to_string(i));
  EXPECT_EQ(recent.of("key").size(), RecentValues::kMaxValues);
  for (std::size_t i = 0; i < RecentValues::kMaxEntities + 5; ++i) recent.add("entity" + std::to_string(i), "AS1");
  EXPECT_LE(recent.entity_count(), RecentValues::kMaxEntities);
  EXPECT_FALSE(recent.of("entity" + std::to_string(RecentValues::kMaxEntities + 4)).empty());
}

}  // namespace
}  // namespace keyward::detect::baseline
