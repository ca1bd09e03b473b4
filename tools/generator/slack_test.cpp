#include "tools/generator/slack.hpp"

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
  TempDir() : path_(fs::temp_directory_path() / ("keyward-slack-gen-" + std::to_string(::getpid()))) { fs::remove_all(path_); }
  ~TempDir() { fs::remove_all(path_); }
  std::string str() const { return path_.string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(SlackGenerator, FilesParseWithoutErrors) {
  CompanyOptions options;
  options.seed = 13;
  options.employees = 200;
  auto company = make_company(options);
  ASSERT_TRUE(company) << company.error().describe();
  TempDir dir;
  auto output = generate_slack(*company, dir.str());
  ASSERT_TRUE(output) << output.error().describe();
  ASSERT_EQ(output->files.size(), 4u);
  EXPECT_GT(output->events, 0);

  const std::map<std::string, std::string> expected_source = {
      {"slack/approved_apps.json", "slack-approved-apps"},
      {"slack/users_list.json", "slack-users"},
      {"slack/integration_logs.json", "slack-integration-logs"},
      {"slack/audit_logs.json", "slack-audit-log"},
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

  const auto& approved = parsed.at("slack/approved_apps.json");
  size_t third_party = 0, dangerous = 0;
  for (const auto& app : approved.batch.identities) {
    EXPECT_EQ(app.kind, "slack_app");
    third_party += app.attributes.value("third_party", false) ? 1 : 0;
    dangerous += app.attributes.contains("dangerous_scopes") ? 1 : 0;
  }
  EXPECT_GT(third_party, 3u);
  EXPECT_GT(dangerous, 0u);
  EXPECT_FALSE(approved.batch.grants.empty());

  const auto& users = parsed.at("slack/users_list.json").batch.identities;
  size_t bots = 0, deleted_people = 0, people = 0;
  for (const auto& user : users) {
    bots += user.kind == "slack_bot" ? 1 : 0;
    people += user.kind == "slack_user" ? 1 : 0;
    deleted_people += user.kind == "slack_user" && user.status == "deprovisioned" ? 1 : 0;
  }
  EXPECT_EQ(people, company->employees.size());
  EXPECT_GT(bots, 1u);
  EXPECT_GT(deleted_people, 0u);

  size_t webhooks = 0;
  for (const auto& identity : parsed.at("slack/integration_logs.json").batch.identities) {
    webhooks += identity.kind == "slack_incoming_webhook" ? 1 : 0;
  }
  EXPECT_GE(webhooks, 3u);

  const auto& audit = parsed.at("slack/audit_logs.json");
  EXPECT_EQ(static_cast<long long>(audit.sink.events.size()), output->events);
}

}  // namespace
}  // namespace keyward::generator
