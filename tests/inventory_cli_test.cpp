// End-to-end tests of `keyward inventory`, `keyward vendors` and `keyward show` over a store
// holding the sample company of src/inventory/inventory_testing.hpp.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

#include "inventory/inventory_testing.hpp"
#include "report/table.hpp"
#include "tests/cli_harness.hpp"

namespace keyward::testing {
namespace {

using nlohmann::json;

// A folder with keyward.db (the sample company) and data/vendors.csv (the repository's list).
class InventoryCli : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      auto opened = store::open_sqlite_store((dir_ / "keyward.db").string());
      ASSERT_TRUE(opened.ok());
      ASSERT_TRUE((*opened)->commit(inventory::testing::sample_batch()).ok());
    }
    write_file(dir_ / "data" / "vendors.csv", read_file(std::string(KEYWARD_SOURCE_DIR) + "/data/vendors.csv"));
  }

  CommandResult run(const std::string& args) { return run_keyward(dir_.path(), args); }

  json run_json(const std::string& args) {
    const CommandResult result = run(args);
    EXPECT_EQ(result.exit_code, 0) << args << ": " << result.err;
    json value = json::parse(result.out, nullptr, false);
    EXPECT_FALSE(value.is_discarded()) << args << ": " << result.out.substr(0, 300);
    return value;
  }

  std::vector<std::string> ids(const std::string& args) {
    std::vector<std::string> found;
    for (const auto& entry : run_json(args)) found.push_back(entry["id"]);
    std::sort(found.begin(), found.end());
    return found;
  }

  TempDir dir_;
};

TEST_F(InventoryCli, TableFitsAndShowsColumns) {
  setenv("COLUMNS", "80", 1);
  const CommandResult result = run("inventory");
  unsetenv("COLUMNS");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const char* header : {"PLATFORM", "KIND", "NAME", "OWNER", "VENDOR", "PRIV", "LAST USED", "KEYS", "FLAGS"}) {
    EXPECT_NE(result.out.find(header), std::string::npos) << header;
  }
  EXPECT_NE(result.out.find("  !"), std::string::npos) << "no owner marked deprovisioned:\n" << result.out;
  EXPECT_NE(result.out.find("!name deprovisioned"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("shadow"), std::string::npos);
  EXPECT_NE(result.out.find("8 entries"), std::string::npos);
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(report::display_width(line), 80u) << line;
}

TEST_F(InventoryCli, FiltersFromOptions) {
  EXPECT_EQ(ids("inventory --format json --platform gcp --platform okta"),
            (std::vector<std::string>{"etl@proj.iam.gserviceaccount.com", "token-1"}));
  EXPECT_EQ(ids("inventory --format json --owner-status deprovisioned,suspended"),
            (std::vector<std::string>{"app-zapier", "chatgpt-client"}));
  EXPECT_EQ(ids("inventory --format json --privilege admin --owner-status none"),
            (std::vector<std::string>{"arn:aws:iam::111122223333:user/root-like", "token-1"}));
  EXPECT_EQ(ids("inventory --format json --ai"), (std::vector<std::string>{"chatgpt-client"}));
  EXPECT_EQ(ids("inventory --format json --indirect"), (std::vector<std::string>{"B-ZAPIER", "app-zapier"}));
  EXPECT_EQ(ids("inventory --format json --shadow"), (std::vector<std::string>{"pat-1"}));
  EXPECT_EQ(ids("inventory --format json --third-party --vendor openai"), (std::vector<std::string>{"chatgpt-client"}));
  EXPECT_EQ(ids("inventory --format json --kind iam_role"), (std::vector<std::string>{"arn:aws:iam::111122223333:role/reader"}));
  const auto unused = ids("inventory --format json --unused-days 30 --as-of 2026-11-10");
  EXPECT_EQ(std::count(unused.begin(), unused.end(), "app-zapier"), 0);
  EXPECT_EQ(unused.size(), 7u);
}

TEST_F(InventoryCli, BadFilterValueIsUsageError) {
  const CommandResult status = run("inventory --owner-status gone");
  EXPECT_EQ(status.exit_code, 2);
  EXPECT_NE(status.err.find("invalid owner status 'gone'"), std::string::npos) << status.err;
  EXPECT_EQ(run("inventory --privilege owner").exit_code, 2);
  EXPECT_EQ(run("inventory --platform bogus").exit_code, 2);
  EXPECT_EQ(run("vendors --category games").exit_code, 2);
}

TEST_F(InventoryCli, CsvCarriesEveryField) {
  const CommandResult result = run("inventory --format csv");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string header = result.out.substr(0, result.out.find('\n'));
  for (const char* column : {"platform", "owner_status", "owner_email", "vendor", "vendor_category", "publisher_verified",
                             "third_party", "shadow", "generative_ai", "indirect_access", "privilege", "scopes",
                             "connected_by", "last_used", "credentials"}) {
    EXPECT_NE(header.find(column), std::string::npos) << column;
  }
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 9);
}

TEST_F(InventoryCli, VendorsListsGroups) {
  setenv("COLUMNS", "80", 1);
  const CommandResult table = run("vendors");
  unsetenv("COLUMNS");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("Zapier"), std::string::npos);
  EXPECT_NE(table.out.find("automation (bridge)"), std::string::npos) << table.out;
  std::istringstream lines(table.out);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(report::display_width(line), 80u) << line;

  const json all = run_json("vendors --format json");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1]["name"], "Zapier");
  EXPECT_EQ(all[1]["platforms"], json({"entra", "slack"}));
  EXPECT_EQ(all[1]["indirect_platforms"], json({"entra", "slack"}));
  EXPECT_EQ(run_json("vendors --format json --ai").size(), 1u);
  EXPECT_EQ(run_json("vendors --format json --category automation").size(), 1u);
  EXPECT_EQ(run_json("vendors --format json --category crm,security").size(), 0u);
  EXPECT_EQ(run_json("vendors --format json --unverified").size(), 2u);

  const CommandResult csv = run("vendors --format csv");
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(csv.out.rfind("name,category,verification,connections", 0), 0u) << csv.out;
}

TEST_F(InventoryCli, MalformedVendorListFails) {
  write_file(dir_ / "data" / "vendors.csv", "name,category,match,aliases,domains\nZapier,automation,word,,zapier.com\nMake,robots,exact,,make.com\n");
  const CommandResult result = run("vendors");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("vendors.csv:3"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("unknown category 'robots'"), std::string::npos) << result.err;
}

TEST_F(InventoryCli, MissingVendorListStillGroups) {
  std::filesystem::remove(dir_ / "data" / "vendors.csv");
  const CommandResult result = run("vendors --format json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("vendors.csv not found"), std::string::npos);
  EXPECT_EQ(run("inventory --ai").exit_code, 1);
}

TEST_F(InventoryCli, ShowByAliasAndEmail) {
  const json zapier = run_json("show sp-zapier --format json");
  EXPECT_EQ(zapier["id"], "app-zapier");
  EXPECT_EQ(zapier["owner_status"], "deprovisioned");
  EXPECT_EQ(zapier["vendor_summary"]["platforms"], json({"entra", "slack"}));
  EXPECT_EQ(zapier["activity"]["events"], 12);
  EXPECT_EQ(zapier["activity"]["days"].size(), 2u);
  EXPECT_EQ(zapier["grants"].size(), 1u);
  EXPECT_EQ(zapier["credentials"][0]["expires"], "2027-01-10T00:00:00Z");

  EXPECT_EQ(run_json("show secret-key-1 --format json")["id"], "app-zapier");
  EXPECT_EQ(run_json("show 1234567890 --format json")["privilege"], "admin");
  EXPECT_EQ(run_json("show CAROL@example.com --format json")["kind"], "workspace_user");

  const CommandResult text = run("show app-zapier");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  for (const char* part : {"owner:", "deprovisioned", "vendor:         Zapier (automation", "indirect:", "Credentials (1)",
                           "Grants (1)", "Mail.ReadWrite", "Activity: 12 events", "2026-11-03  7", "AS16509",
                           "python-requests", "Open findings (0)", "Alerts (0)"}) {
    EXPECT_NE(text.out.find(part), std::string::npos) << part << "\n" << text.out;
  }
}

TEST_F(InventoryCli, ShowAmbiguousListsCandidates) {
  // Alice has an Okta and an Entra account with the same email.
  const CommandResult result = run("show alice@example.com");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("matches 2 identities"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("00u-alice"), std::string::npos);
  EXPECT_NE(result.err.find("aad-alice"), std::string::npos);
  const CommandResult missing = run("show nothing-here");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no identity matches 'nothing-here'"), std::string::npos);
}

}  // namespace
}  // namespace keyward::testing
