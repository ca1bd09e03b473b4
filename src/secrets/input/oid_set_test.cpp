#include "secrets/input/oid_set.hpp"

#include <gtest/gtest.h>

#include <random>

namespace keyward::secrets {
namespace {

OidSet::Id random_id(std::mt19937_64& random) {
  OidSet::Id id;
  for (auto& byte : id) byte = static_cast<unsigned char>(random());
  return id;
}

TEST(OidSet, InsertReportsNewAndRepeatedIds) {
  std::mt19937_64 random(7);
  std::vector<OidSet::Id> ids;
  for (int i = 0; i < 5000; ++i) ids.push_back(random_id(random));
  OidSet set;
  for (const auto& id : ids) EXPECT_TRUE(set.insert(id.data()));
  EXPECT_EQ(set.size(), ids.size());
  for (const auto& id : ids) {
    EXPECT_FALSE(set.insert(id.data()));
    EXPECT_TRUE(set.contains(id.data()));
  }
  EXPECT_FALSE(set.contains(random_id(random).data()));
}

TEST(OidSet, AllZeroIdIsAnOrdinaryMember) {
  const OidSet::Id zero{};
  OidSet set;
  EXPECT_FALSE(set.contains(zero.data()));
  EXPECT_TRUE(set.insert(zero.data()));
  EXPECT_FALSE(set.insert(zero.data()));
  EXPECT_TRUE(set.contains(zero.data()));
}

TEST(OidSet, IdsSharingLeadingBytesStayDistinct) {
  OidSet set;
  OidSet::Id id{};
  id[0] = 0xAB;
  for (int i = 0; i < 300; ++i) {
    id[19] = static_cast<unsigned char>(i & 0xFF);
    id[18] = static_cast<unsigned char>(i >> 8);
    EXPECT_TRUE(set.insert(id.data()));
  }
  EXPECT_EQ(set.size(), 300u);
}

}  // namespace
}  // namespace keyward::secrets
