#include "inventory/vendor_catalog.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "inventory/inventory_testing.hpp"

namespace keyward::inventory {
namespace {

constexpr std::string_view kSmallCatalog =
    "# comment\n"
    "name,category,match,aliases,domains\n"
    "Zapier,automation,word,Zapier Inc,zapier.com\n"
    "Make,automation,exact,Make.com;Integromat;Make (Integromat),make.com;integromat.com\n"
    "Microsoft,cloud,word,Microsoft Corporation,microsoft.com\n"
    "Microsoft Copilot,genai,word,Microsoft 365 Copilot,copilot.microsoft.com\n"
    "\"Writer\",genai,exact,\"Writer, Inc.\",writer.com\n";

VendorCatalog small_catalog() {
  auto parsed = VendorCatalog::parse(kSmallCatalog, "vendors.csv");
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().describe());
  return parsed.ok() ? std::move(parsed).value() : VendorCatalog();
}

std::string matched_name(const VendorCatalog& catalog, std::string_view text) {
  const VendorInfo* vendor = catalog.match(text);
  return vendor == nullptr ? "" : vendor->name;
}

TEST(VendorsCatalog, MatchesNamesDomainsAndWords) {
  const VendorCatalog catalog = small_catalog();
  ASSERT_EQ(catalog.vendors().size(), 5u);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Zapier", "Zapier"},
      {"Zapier, Inc.", "Zapier"},
      {"zapier inc", "Zapier"},
      {"Zapier for Slack", "Zapier"},
      {"https://zapier.com/apps", "Zapier"},
      {"noreply@zapier.com", "Zapier"},
      {"hooks.zapier.com", "Zapier"},
      {"make.com.attacker.example", ""},
      {"notzapier.com", ""},
      {"Make", "Make"},
      {"Integromat", "Make"},
      {"Make (Integromat)", "Make"},
      {"Make PDF Tools", ""},
      {"Writer, Inc.", "Writer"},
      {"Report Writer", ""},
      {"Microsoft 365 Copilot", "Microsoft Copilot"},
      {"Microsoft Copilot Connector", "Microsoft Copilot"},
      {"Microsoft Graph Explorer", "Microsoft"},
      {"", ""},
      {"Unrelated App", ""},
  };
  for (const auto& [text, expected] : cases) EXPECT_EQ(matched_name(catalog, text), expected) << text;
}

TEST(VendorsCatalog, MatchIdentityPrefersVendorField) {
  const VendorCatalog catalog = small_catalog();
  core::Identity app = testing::machine("entra", "a", "entra_application", "Integromat connector");
  app.vendor = "Zapier";
  EXPECT_EQ(catalog.match_identity(app)->name, "Zapier");
  app.vendor.clear();
  app.attributes["publisher"] = "Make.com";
  EXPECT_EQ(catalog.match_identity(app)->name, "Make");
  app.attributes.erase("publisher");
  app.name = "Sync via integromat.com";
  EXPECT_EQ(catalog.match_identity(app)->name, "Make");
}

TEST(VendorsCatalog, RejectsMalformedLines) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Zapier,automation,word,Zapier Inc\n", "expected 5 fields"},
      {"Zapier,automaton,word,,zapier.com\n", "unknown category 'automaton'"},
      {"Zapier,automation,fuzzy,,zapier.com\n", "invalid match 'fuzzy'"},
      {"Zapier,automation,word,,zapier\n", "invalid domain 'zapier'"},
      {"\"Zapier,automation,word,,zapier.com\n", "quote is not closed"},
      {",automation,word,,zapier.com\n", "vendor name is empty"},
      {"Zapier,automation,word,,zapier.com\nZAPIER,automation,word,,zapier.com\n", "listed twice"},
      {"# only comments\n", "no vendors listed"},
  };
  for (const auto& [text, message] : cases) {
    auto parsed = VendorCatalog::parse("name,category,match,aliases,domains\n" + text, "vendors.csv");
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.error().message.find(message), std::string::npos) << parsed.error().describe();
    EXPECT_EQ(parsed.error().file, "vendors.csv");
  }
  auto bad_line = VendorCatalog::parse("# c\nZapier,automation,word,,zapier.com\nMake,automation\n", "v.csv");
  ASSERT_FALSE(bad_line.ok());
  EXPECT_EQ(bad_line.error().line, 3);
}

TEST(VendorsCatalog, RepositoryListLoads) {
  auto loaded = VendorCatalog::load(std::string(KEYWARD_SOURCE_DIR) + "/data/vendors.csv");
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  const std::vector<std::pair<std::string, std::string>> required = {
      {"Zapier", "automation"},       {"Make (Integromat)", "automation"}, {"Workato", "automation"},
      {"n8n", "automation"},          {"Power Automate", "automation"},    {"Tray.io", "automation"},
      {"IFTTT", "automation"},        {"Pipedream", "automation"},         {"OpenAI", "genai"},
      {"Anthropic", "genai"},         {"Google Gemini", "genai"},          {"Microsoft Copilot", "genai"},
      {"Otter.ai", "genai"},          {"Fireflies.ai", "genai"},           {"Perplexity", "genai"},
      {"Jasper", "genai"},            {"Writer", "genai"},                 {"Glean", "genai"},
      {"Notion", "productivity"},     {"Atlassian", "devtools"},           {"CircleCI", "devtools"},
      {"Vercel", "devtools"},         {"Snyk", "security"},                {"Datadog", "observability"},
      {"PagerDuty", "observability"}, {"HubSpot", "crm"},                  {"Gong", "crm"},
      {"Fivetran", "analytics"},      {"Segment", "analytics"},            {"Calendly", "productivity"},
      {"DocuSign", "productivity"},   {"Loom", "productivity"},            {"Grammarly", "productivity"},
      {"QuickSheets Pro", "productivity"}, {"MailMerge Wizard", "productivity"}, {"Free PDF Tools", "productivity"},
      {"Microsoft Power Automate", "automation"}, {"ChatGPT", "genai"}, {"Make", "automation"},
  };
  for (const auto& [name, category] : required) {
    const VendorInfo* vendor = loaded->match(name);
    ASSERT_NE(vendor, nullptr) << name;
    EXPECT_EQ(vendor->category, category) << name;
  }
}

TEST(VendorsCatalog, FindsFileInDataDirectory) {
  testing::TempStore temp;  // only for its folder
  const auto data = temp.directory() / "data";
  std::filesystem::create_directories(data);
  EXPECT_EQ(find_vendor_file((data / "missing.csv").string()), (data / "missing.csv").string());
  EXPECT_EQ(find_vendor_file(data.string()), (data / "vendors.csv").string());
  auto missing = load_vendor_catalog((data / "missing.csv").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::not_found);
}

TEST(VendorsCatalog, NameWordsDropLegalSuffix) {
  EXPECT_EQ(name_words("Zapier, Inc."), (std::vector<std::string>{"zapier"}));
  EXPECT_EQ(name_words("Tray.io"), (std::vector<std::string>{"tray", "io"}));
  EXPECT_EQ(name_words("Inc"), (std::vector<std::string>{"inc"}));
  EXPECT_TRUE(name_words(" -- ").empty());
}

}  // namespace
}  // namespace keyward::inventory
