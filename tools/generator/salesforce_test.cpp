#include "tools/generator/salesforce.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "sources/testing/source_testing.hpp"

namespace keyward::generator {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("keyward-salesforce-gen-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string str() const { return path_.string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(SalesforceGenerator, FilesParseWithoutErrors) {
  CompanyOptions options;
  options.seed = 11;
  options.employees = 120;
  auto company = make_company(options);
  ASSERT_TRUE(company) << company.error().describe();
  TempDir dir;
  auto output = generate_salesforce(*company, dir.str());
  ASSERT_TRUE(output) << output.error().describe();
  ASSERT_EQ(output->files.size(), 3u);
  EXPECT_GT(output->identities, 0);

  const std::map<std::string, std::string> expected_source = {
      {"salesforce/oauth_tokens.json", "salesforce-oauth-tokens"},
      {"salesforce/connected_apps.csv", "salesforce-connected-apps"},
      {"salesforce/users.json", "salesforce-users"},
  };
  std::map<std::string, sources::testing::ParsedInput> parsed;
  for (const auto& file : output->files) {
    const fs::path path = dir.path() / file;
    ASSERT_TRUE(fs::exists(path)) << file;
    EXPECT_LT(fs::file_size(path), 4u * 1024 * 1024) << file;
    auto detected = sources::testing::detect_and_parse(path);
    ASSERT_FALSE(detected.source.empty()) << file << " is not recognized by any source";
    EXPECT_EQ(detected.source, expected_source.at(file)) << file;
    parsed.emplace(file, std::move(detected.parsed));
    const auto& result = parsed.at(file);
    ASSERT_TRUE(result.status.ok()) << file;
    EXPECT_TRUE(result.errors.empty()) << file << ": " << (result.errors.empty() ? "" : result.errors[0].message);
    EXPECT_GT(result.records, 0) << file;
  }

  // About 30% of tokens are never used or unused for over 90 days.
  const auto& tokens = parsed.at("salesforce/oauth_tokens.json").batch.credentials;
  ASSERT_GT(tokens.size(), 20u);
  const core::UnixTime stale_before = company->end_time - 90 * core::kSecondsPerDay;
  size_t stale = 0;
  for (const auto& token : tokens) stale += !token.last_used || *token.last_used < stale_before ? 1 : 0;
  const double share = static_cast<double>(stale) / static_cast<double>(tokens.size());
  EXPECT_GT(share, 0.15);
  EXPECT_LT(share, 0.5);

  const auto& users = parsed.at("salesforce/users.json").batch.identities;
  size_t integration = 0, deprovisioned = 0, admins = 0;
  for (const auto& user : users) {
    integration += user.kind == "salesforce_integration_user" ? 1 : 0;
    deprovisioned += user.status == "deprovisioned" ? 1 : 0;
    admins += user.attributes.value("privilege", "") == "admin" ? 1 : 0;
  }
  EXPECT_EQ(integration, 4u);
  EXPECT_GT(deprovisioned, 0u);
  EXPECT_GT(admins, 0u);

  const auto& apps = parsed.at("salesforce/connected_apps.csv").batch.identities;
  EXPECT_GE(apps.size(), 3u);
}

TEST(SalesforceGenerator, Deterministic) {
  CompanyOptions options;
  options.seed = 5;
  options.employees = 40;
  auto company = make_company(options);
  ASSERT_TRUE(company);
  TempDir first;
  ASSERT_TRUE(generate_salesforce(*company, first.str()));
  const std::string tokens = read_text(first.path() / "salesforce/oauth_tokens.json");
  fs::remove_all(first.path());
  ASSERT_TRUE(generate_salesforce(*company, first.str()));
  EXPECT_EQ(tokens, read_text(first.path() / "salesforce/oauth_tokens.json"));
}

}  // namespace
}  // namespace keyward::generator
