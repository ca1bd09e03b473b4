#include "tools/generator/okta.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "sources/testing/source_testing.hpp"

namespace keyward::generator {
namespace {

namespace fs = std::filesystem;

// A fresh output folder under the system temp folder, removed at the end of the test.
class OktaGeneratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fmt::format("keyward-okta-gen-{}-{}", ::getpid(),
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static Company small_company(int employees = 200) {
    CompanyOptions options;
    options.seed = 11;
    options.employees = employees;
    auto company = make_company(options);
    EXPECT_TRUE(company.ok());
    return std::move(company.value());
  }

  fs::path dir_;
};

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST_F(OktaGeneratorTest, EveryFileParsesWithoutErrors) {
  const Company company = small_company();
  auto output = generate_okta(company, dir_.string());
  ASSERT_TRUE(output.ok()) << output.error().describe();
  ASSERT_EQ(output->files.size(), 5u);

  const std::map<std::string, std::string> source_of = {
      {"okta/users.json", "okta-users"},         {"okta/api-tokens.json", "okta-api-tokens"},
      {"okta/apps.json", "okta-apps"},           {"okta/app-grants.json", "okta-app-grants"},
      {"okta/system-log.json", "okta-system-log"},
  };
  std::map<std::string, sources::testing::ParsedInput> parsed;
  size_t total_bytes = 0;
  for (const auto& file : output->files) {
    SCOPED_TRACE(file);
    const fs::path path = dir_ / file;
    total_bytes += fs::file_size(path);
    const std::string head = read_all(path).substr(0, 64 * 1024);
    const sources::Source* detected = sources::detect_source(head, path.string());
    ASSERT_NE(detected, nullptr);
    EXPECT_EQ(detected->name(), source_of.at(file));
    parsed.emplace(file, sources::testing::parse_with_source(source_of.at(file), path));
    const auto& result = parsed.at(file);
    ASSERT_TRUE(result.status.ok()) << result.status.error().describe();
    EXPECT_TRUE(result.errors.empty()) << (result.errors.empty() ? "" : result.errors[0].message);
    EXPECT_GT(result.records, 0);
  }
  EXPECT_LT(total_bytes, 8u * 1024 * 1024) << "200 employees should give a few MB";

  // One user per employee plus the service-account users.
  const auto& users = parsed.at("okta/users.json").batch.identities;
  EXPECT_EQ(users.size(), company.employees.size() + 3);
  std::set<std::string> statuses;
  int machines = 0;
  for (const auto& user : users) {
    statuses.insert(user.status);
    if (user.classification == core::Classification::machine) ++machines;
  }
  EXPECT_TRUE(statuses.count("active"));
  EXPECT_TRUE(statuses.count("deprovisioned"));
  EXPECT_EQ(machines, 3);

  // About 0.3 tokens per engineer, some of deprovisioned people, some without expiry or network limit.
  const auto& token_batch = parsed.at("okta/api-tokens.json").batch;
  const double engineers = static_cast<double>(company.engineers().size());
  EXPECT_GT(token_batch.identities.size(), static_cast<size_t>(engineers * 0.15));
  EXPECT_LT(token_batch.identities.size(), static_cast<size_t>(engineers * 0.5) + 4);
  std::map<std::string, std::string> user_status;
  for (const auto& user : users) user_status[user.id] = user.status;
  int of_deprovisioned = 0, without_expiry = 0, anywhere = 0;
  for (const auto& token : token_batch.identities) {
    ASSERT_TRUE(user_status.count(token.owner)) << "token owner " << token.owner << " is an Okta user";
    if (user_status[token.owner] == "deprovisioned") ++of_deprovisioned;
    if (token.attributes.value("network_connection", "") == "ANYWHERE") ++anywhere;
  }
  for (const auto& credential : token_batch.credentials) {
    if (!credential.expires) ++without_expiry;
  }
  EXPECT_GT(of_deprovisioned, 0);
  EXPECT_GT(without_expiry, 0);
  EXPECT_GT(anywhere, 0);

  // Service apps with grants, some of them admin scopes, and OIN apps of the company's vendors.
  const auto& apps = parsed.at("okta/apps.json").batch.identities;
  std::set<std::string> service_apps;
  int third_party = 0;
  for (const auto& app : apps) {
    if (app.kind == "okta_service_app") service_apps.insert(app.id);
    if (app.attributes.value("third_party", false)) ++third_party;
  }
  EXPECT_GE(service_apps.size(), 3u);
  EXPECT_GT(third_party, 0);
  const auto& grants = parsed.at("okta/app-grants.json").batch.grants;
  std::set<std::string> scopes;
  for (const auto& grant : grants) {
    EXPECT_TRUE(service_apps.count(grant.identity_id)) << grant.identity_id;
    EXPECT_TRUE(user_status.count(grant.granted_by)) << grant.granted_by;
    scopes.insert(grant.actions.at(0));
  }
  EXPECT_TRUE(scopes.count("okta.users.manage"));
  EXPECT_TRUE(scopes.count("okta.apiTokens.manage"));

  // System Log: token activity names the token, service-app activity names the app.
  const auto& log = parsed.at("okta/system-log.json");
  EXPECT_EQ(static_cast<long long>(log.sink.events.size()), output->events);
  std::set<std::string> token_ids;
  for (const auto& token : token_batch.identities) token_ids.insert(token.id);
  int token_events = 0, app_events = 0;
  for (const auto& event : log.sink.events) {
    const std::string identity = event["identity_id"];
    if (!std::string(event["credential_id"]).empty()) {
      EXPECT_TRUE(token_ids.count(identity)) << identity;
      ++token_events;
    }
    if (service_apps.count(identity)) ++app_events;
  }
  EXPECT_GT(token_events, 0);
  EXPECT_GT(app_events, 0);
  EXPECT_FALSE(output->planted.empty());
}

TEST_F(OktaGeneratorTest, SameCompanySameFiles) {
  const Company company = small_company(40);
  auto first = generate_okta(company, (dir_ / "a").string());
  auto second = generate_okta(company, (dir_ / "b").string());
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  for (const auto& file : first->files) {
    EXPECT_EQ(read_all(dir_ / "a" / file), read_all(dir_ / "b" / file)) << file;
  }
}

}  // namespace
}  // namespace keyward::generator
