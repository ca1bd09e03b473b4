// Tests of the consolidated inventory read back from a store: owners, vendors, privilege,
// filters and vendor grouping over the sample company of inventory_testing.hpp.

#include <gtest/gtest.h>

#include "inventory/filters.hpp"
#include "inventory/inventory_testing.hpp"
#include "inventory/vendors.hpp"
#include "report/inventory.hpp"

namespace keyward::inventory {
namespace {

class InventoryReport : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(temp_.store().commit(testing::sample_batch()).ok());
    auto catalog = VendorCatalog::load(std::string(KEYWARD_SOURCE_DIR) + "/data/vendors.csv");
    ASSERT_TRUE(catalog.ok()) << catalog.error().describe();
    catalog_ = std::move(catalog).value();
    auto entries = report::load_inventory(temp_.store(), report::InventoryOptions{false, &catalog_});
    ASSERT_TRUE(entries.ok()) << entries.error().describe();
    entries_ = std::move(entries).value();
  }

  const report::InventoryEntry& entry(const std::string& id) const {
    for (const auto& candidate : entries_) {
      if (candidate.id == id) return candidate;
    }
    ADD_FAILURE() << "no entry " << id;
    return entries_.front();
  }

  std::vector<std::string> ids_matching(const InventoryFilter& filter) const {
    std::vector<std::string> ids;
    for (const auto& candidate : entries_) {
      if (matches(candidate, filter)) ids.push_back(candidate.id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  testing::TempStore temp_;
  VendorCatalog catalog_;
  std::vector<report::InventoryEntry> entries_;
};

TEST_F(InventoryReport, ListsMachinesOnly) {
  EXPECT_EQ(entries_.size(), 8u);
  for (const auto& candidate : entries_) EXPECT_NE(candidate.classification, "human") << candidate.id;
}

TEST_F(InventoryReport, AttachesAliasRecords) {
  const auto& zapier = entry("app-zapier");
  ASSERT_EQ(zapier.credentials.size(), 1u);
  EXPECT_EQ(zapier.credentials.front().id, "secret-key-1");
  ASSERT_EQ(zapier.grants.size(), 1u);
  ASSERT_TRUE(zapier.last_used.has_value());
  EXPECT_EQ(core::format_time(*zapier.last_used), "2026-11-03T02:00:00Z");
  EXPECT_EQ(entry("etl@proj.iam.gserviceaccount.com").privilege, "admin");
}

TEST_F(InventoryReport, ResolvesOwners) {
  const auto& zapier = entry("app-zapier");
  EXPECT_EQ(zapier.owner_resolution.source, "created_by");
  EXPECT_EQ(zapier.owner_resolution.status, OwnerStatus::deprovisioned);
  EXPECT_EQ(entry("pat-1").owner_resolution.status, OwnerStatus::active);
  EXPECT_EQ(entry("etl@proj.iam.gserviceaccount.com").owner_resolution.status, OwnerStatus::unknown);
  EXPECT_EQ(entry("token-1").owner_resolution.status, OwnerStatus::none);
  EXPECT_EQ(entry("chatgpt-client").owner_resolution.status, OwnerStatus::suspended);
  EXPECT_EQ(report::owner_label(entry("chatgpt-client").owner_resolution), "(suspended) carol@example.com");
  EXPECT_EQ(report::owner_label(entry("token-1").owner_resolution), "-");
}

TEST_F(InventoryReport, NamesVendorsAndFlags) {
  const auto& slack = entry("B-ZAPIER");
  EXPECT_EQ(slack.vendor, "Zapier");
  EXPECT_EQ(slack.vendor_category, "automation");
  EXPECT_TRUE(slack.indirect_access);
  EXPECT_TRUE(slack.third_party);
  EXPECT_EQ(slack.connected_by, (std::vector<std::string>{"dave@example.com"}));
  EXPECT_EQ(slack.scopes, (std::vector<std::string>{"channels:history", "chat:write"}));
  const auto& openai = entry("chatgpt-client");
  EXPECT_EQ(openai.vendor, "OpenAI");
  EXPECT_TRUE(openai.generative_ai);
  EXPECT_FALSE(openai.indirect_access);
  EXPECT_TRUE(entry("pat-1").shadow);
  EXPECT_FALSE(entry("pat-1").third_party);
  EXPECT_EQ(entry("pat-1").vendor, "");
  EXPECT_EQ(entry("arn:aws:iam::111122223333:role/reader").privilege, "read");
  EXPECT_EQ(entry("arn:aws:iam::111122223333:user/root-like").privilege, "admin");
  EXPECT_EQ(entry("token-1").privilege, "admin");
  EXPECT_EQ(entry("app-zapier").connected_by, (std::vector<std::string>{"bob@example.com"}));
}

TEST_F(InventoryReport, JsonCarriesNewFields) {
  const nlohmann::json json = report::to_json(entry("app-zapier"));
  EXPECT_EQ(json["owner_status"], "deprovisioned");
  EXPECT_EQ(json["vendor"], "Zapier");
  EXPECT_EQ(json["vendor_category"], "automation");
  EXPECT_EQ(json["privilege"], "write");
  EXPECT_EQ(json["publisher_verified"], true);
  EXPECT_EQ(json["owner_resolution"]["accounts"].size(), 2u);
  EXPECT_EQ(json["credentials"].size(), 1u);
}

TEST_F(InventoryReport, FiltersCombine) {
  auto filter = make_inventory_filter({"gcp,okta"}, {}, {}, {}, "");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(ids_matching(*filter), (std::vector<std::string>{"etl@proj.iam.gserviceaccount.com", "token-1"}));

  filter = make_inventory_filter({}, {}, {"zapier"}, {}, "");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(ids_matching(*filter), (std::vector<std::string>{"B-ZAPIER", "app-zapier"}));

  filter = make_inventory_filter({}, {}, {}, {"deprovisioned", "suspended"}, "");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(ids_matching(*filter), (std::vector<std::string>{"app-zapier", "chatgpt-client"}));

  filter = make_inventory_filter({}, {}, {}, {"none"}, "admin");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(ids_matching(*filter), (std::vector<std::string>{"arn:aws:iam::111122223333:user/root-like", "token-1"}));

  filter = make_inventory_filter({}, {"GITHUB_FINE_GRAINED_PAT"}, {}, {}, "write");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(ids_matching(*filter), (std::vector<std::string>{"pat-1"}));

  InventoryFilter flags;
  flags.shadow = true;
  EXPECT_EQ(ids_matching(flags), (std::vector<std::string>{"pat-1"}));
  flags = {};
  flags.generative_ai = true;
  EXPECT_EQ(ids_matching(flags), (std::vector<std::string>{"chatgpt-client"}));
  flags = {};
  flags.indirect_access = true;
  EXPECT_EQ(ids_matching(flags), (std::vector<std::string>{"B-ZAPIER", "app-zapier"}));
  flags = {};
  flags.third_party = true;
  EXPECT_EQ(ids_matching(flags), (std::vector<std::string>{"B-ZAPIER", "app-zapier", "chatgpt-client"}));
}

TEST_F(InventoryReport, UnusedDaysCountsNeverUsed) {
  InventoryFilter filter;
  filter.unused_days = 30;
  filter.as_of = *core::parse_time("2026-11-10T00:00:00Z");
  auto unused = ids_matching(filter);
  EXPECT_EQ(std::count(unused.begin(), unused.end(), "app-zapier"), 0);  // used on 2026-11-03
  EXPECT_EQ(std::count(unused.begin(), unused.end(), "token-1"), 1);     // never used
  filter.as_of = *core::parse_time("2027-01-10T00:00:00Z");
  unused = ids_matching(filter);
  EXPECT_EQ(std::count(unused.begin(), unused.end(), "app-zapier"), 1);
}

TEST_F(InventoryReport, RejectsBadFilterValues) {
  auto status = make_inventory_filter({}, {}, {}, {"gone"}, "");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("'gone'"), std::string::npos);
  auto level = make_inventory_filter({}, {}, {}, {}, "owner");
  ASSERT_FALSE(level.ok());
  EXPECT_NE(level.error().message.find("read, write or admin"), std::string::npos);
  EXPECT_EQ(split_option_values({"a, b", "", "c,,"}), (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(InventoryReport, VendorsGroupAcrossPlatforms) {
  const auto vendors = group_vendors(entries_);
  ASSERT_EQ(vendors.size(), 2u);
  const VendorSummary& openai = vendors[0];
  const VendorSummary& zapier = vendors[1];
  EXPECT_EQ(openai.name, "OpenAI");
  EXPECT_EQ(openai.verification, "unverified");
  EXPECT_TRUE(openai.generative_ai);
  EXPECT_EQ(zapier.name, "Zapier");
  EXPECT_EQ(zapier.category, "automation");
  EXPECT_EQ(zapier.connections.size(), 2u);
  EXPECT_EQ(zapier.platforms, (std::vector<std::string>{"entra", "slack"}));
  EXPECT_EQ(zapier.verification, "unverified");  // the Slack app's publisher is unverified
  EXPECT_EQ(zapier.privilege, "write");
  EXPECT_EQ(zapier.connected_by, (std::vector<std::string>{"bob@example.com", "dave@example.com"}));
  EXPECT_TRUE(zapier.indirect_access);
  EXPECT_EQ(zapier.scopes.size(), 3u);

  VendorFilter filter;
  filter.categories = {"genai"};
  EXPECT_TRUE(matches(openai, filter));
  EXPECT_FALSE(matches(zapier, filter));
  filter = {};
  filter.generative_ai = true;
  EXPECT_FALSE(matches(zapier, filter));
  filter = {};
  filter.unverified = true;
  EXPECT_TRUE(matches(zapier, filter));
  const nlohmann::json json = to_json(zapier);
  EXPECT_EQ(json["indirect_platforms"], nlohmann::json({"entra", "slack"}));
  EXPECT_EQ(json["connection_count"], 2);
}

TEST(InventoryReportLegacy, WorksWithoutCatalog) {
  testing::TempStore temp;
  ASSERT_TRUE(temp.store().commit(testing::sample_batch()).ok());
  auto entries = report::load_inventory(temp.store(), true);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), 14u);
  for (const auto& entry : *entries) {
    if (entry.id == "B-ZAPIER") {
      EXPECT_EQ(entry.vendor, "Zapier");  // the publisher, unnormalized
      EXPECT_EQ(entry.vendor_category, "");
    }
  }
}

}  // namespace
}  // namespace keyward::inventory
