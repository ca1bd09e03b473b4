#include "inventory/vendor_incidents.hpp"

#include <gtest/gtest.h>

namespace keyward::inventory {
namespace {

constexpr std::string_view kSmallList =
    "# comment\n"
    "vendor,aliases,date,title,reference\n"
    "Heroku,Heroku Dashboard;Heroku Review Apps,2022-04-15,\"OAuth tokens stolen, repositories downloaded\","
    "https://example.com/heroku\n"
    "Salesloft Drift,Drift;Drift Email,2025-08-20,OAuth tokens stolen,https://example.com/drift\n";

VendorIncidentList small_list() {
  auto parsed = VendorIncidentList::parse(kSmallList, "vendor-incidents.csv");
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().describe());
  return parsed.ok() ? std::move(parsed).value() : VendorIncidentList();
}

std::vector<std::string> matched_vendors(const VendorIncidentList& list, const std::vector<std::string>& names) {
  std::vector<std::string> vendors;
  for (const auto* incident : list.match(names)) vendors.push_back(incident->vendor);
  return vendors;
}

TEST(VendorIncidents, ParsesFields) {
  const VendorIncidentList list = small_list();
  ASSERT_EQ(list.incidents().size(), 2u);
  const VendorIncident& heroku = list.incidents()[0];
  EXPECT_EQ(heroku.vendor, "Heroku");
  EXPECT_EQ(heroku.aliases, (std::vector<std::string>{"Heroku Dashboard", "Heroku Review Apps"}));
  EXPECT_EQ(heroku.date, *core::parse_time("2022-04-15T00:00:00Z"));
  EXPECT_EQ(heroku.title, "OAuth tokens stolen, repositories downloaded");
  EXPECT_EQ(heroku.reference, "https://example.com/heroku");
  EXPECT_EQ(heroku.line, 3);
}

TEST(VendorIncidents, MatchesWholeWordsOnly) {
  const VendorIncidentList list = small_list();
  EXPECT_EQ(matched_vendors(list, {"Heroku Dashboard"}), std::vector<std::string>{"Heroku"});
  EXPECT_EQ(matched_vendors(list, {"", "heroku-review-apps"}), std::vector<std::string>{"Heroku"});
  EXPECT_EQ(matched_vendors(list, {"Drift"}), std::vector<std::string>{"Salesloft Drift"});
  EXPECT_EQ(matched_vendors(list, {"Salesloft Drift, Inc."}), std::vector<std::string>{"Salesloft Drift"});
  EXPECT_TRUE(matched_vendors(list, {"Driftwood Analytics"}).empty());
  EXPECT_TRUE(matched_vendors(list, {"Herokuapp Monitor"}).empty());
  EXPECT_TRUE(matched_vendors(list, {}).empty());
}

TEST(VendorIncidents, MatchListsEachIncidentOnce) {
  const VendorIncidentList list = small_list();
  EXPECT_EQ(matched_vendors(list, {"Heroku", "Heroku Dashboard", "Drift Email"}),
            (std::vector<std::string>{"Heroku", "Salesloft Drift"}));
}

TEST(VendorIncidents, BadRowsNameFileAndLine) {
  struct Case {
    std::string row;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {"Heroku,,2022-04-15,stolen tokens", "expected 5 fields"},
      {",,2022-04-15,stolen tokens,https://example.com/a", "vendor name is empty"},
      {"Heroku,,15/04/2022,stolen tokens,https://example.com/a", "invalid date '15/04/2022'"},
      {"Heroku,,2022-04-15T10:00:00Z,stolen tokens,https://example.com/a", "invalid date"},
      {"Heroku,,2022-04-15,,https://example.com/a", "title of the Heroku incident is empty"},
      {"Heroku,,2022-04-15,stolen tokens,example.com/a", "invalid reference 'example.com/a'"},
      {"Heroku,,2022-04-15,\"stolen tokens,https://example.com/a", "invalid CSV"},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.row);
    const std::string text = "vendor,aliases,date,title,reference\n# note\n" + test.row + "\n";
    auto parsed = VendorIncidentList::parse(text, "data/vendor-incidents.csv");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().file, "data/vendor-incidents.csv");
    EXPECT_EQ(parsed.error().line, 3);
    EXPECT_NE(parsed.error().message.find(test.message_part), std::string::npos) << parsed.error().message;
  }
}

TEST(VendorIncidents, EmptyListRejected) {
  auto parsed = VendorIncidentList::parse("vendor,aliases,date,title,reference\n", "vendor-incidents.csv");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("no incidents"), std::string::npos);
}

TEST(VendorIncidents, RepositoryFileLoads) {
  auto loaded = VendorIncidentList::load(std::string(KEYWARD_SOURCE_DIR) + "/data/vendor-incidents.csv");
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  EXPECT_GE(loaded->incidents().size(), 5u);
  EXPECT_EQ(matched_vendors(*loaded, {"CircleCI"}), std::vector<std::string>{"CircleCI"});
}

TEST(VendorIncidents, ExplicitMissingFileIsError) {
  auto loaded = load_vendor_incidents("/nonexistent/vendor-incidents.csv");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().file, "/nonexistent/vendor-incidents.csv");
}

}  // namespace
}  // namespace keyward::inventory
