#include "tools/generator/github.hpp"

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

class GithubGeneratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fmt::format("keyward-github-gen-{}-{}", ::getpid(),
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

const std::map<std::string, std::string>& source_of_file() {
  static const std::map<std::string, std::string> kSources = {
      {"github/installations.json", "github-installations"},
      {"github/credential-authorizations.json", "github-credential-authorizations"},
      {"github/fine-grained-pats.json", "github-fine-grained-pats"},
      {"github/fine-grained-pat-requests.json", "github-fine-grained-pats"},
      {"github/deploy-keys.json", "github-deploy-keys"},
      {"github/hooks.json", "github-webhooks"},
      {"github/audit-log.json", "github-audit-log"},
  };
  return kSources;
}

TEST_F(GithubGeneratorTest, EveryFileParsesWithoutErrors) {
  const Company company = small_company();
  auto output = generate_github(company, dir_.string());
  ASSERT_TRUE(output.ok()) << output.error().describe();
  EXPECT_GE(output->files.size(), 6u);

  std::map<std::string, sources::testing::ParsedInput> parsed;
  size_t total_bytes = 0;
  for (const auto& file : output->files) {
    SCOPED_TRACE(file);
    const fs::path path = dir_ / file;
    total_bytes += fs::file_size(path);
    const std::string head = read_all(path).substr(0, 64 * 1024);
    const sources::Source* detected = sources::detect_source(head, path.string());
    ASSERT_NE(detected, nullptr);
    ASSERT_EQ(source_of_file().count(file), 1u);
    EXPECT_EQ(detected->name(), source_of_file().at(file));
    parsed.emplace(file, sources::testing::parse_with_source(source_of_file().at(file), path));
    const auto& result = parsed.at(file);
    ASSERT_TRUE(result.status.ok()) << result.status.error().describe();
    EXPECT_TRUE(result.errors.empty()) << (result.errors.empty() ? "" : result.errors[0].message);
    EXPECT_GT(result.records, 0);
  }
  EXPECT_LT(total_bytes, 8u * 1024 * 1024) << "200 employees should give a few MB";

  // About 0.8 personal access tokens per engineer, classic and fine-grained together.
  const double engineers = static_cast<double>(company.engineers().size());
  int classic = 0, ssh = 0, never_expires = 0, stale = 0, of_departed = 0;
  std::set<std::string> departed;
  for (const auto& employee : company.employees) {
    if (employee.status == "deprovisioned") departed.insert(employee.login);
  }
  const core::UnixTime stale_before = company.end_time - 90 * core::kSecondsPerDay;
  for (const auto& credential : parsed.at("github/credential-authorizations.json").batch.credentials) {
    if (credential.kind == "github_pat_classic") ++classic;
    if (credential.kind == "github_ssh_key") ++ssh;
    if (credential.kind == "github_pat_classic" && !credential.expires) ++never_expires;
    if (credential.last_used && *credential.last_used < stale_before) ++stale;
  }
  for (const auto& identity : parsed.at("github/credential-authorizations.json").batch.identities) {
    if (departed.count(identity.owner) > 0) ++of_departed;
  }
  int fine_grained = static_cast<int>(parsed.at("github/fine-grained-pats.json").batch.identities.size());
  if (parsed.count("github/fine-grained-pat-requests.json") > 0) {
    fine_grained += static_cast<int>(parsed.at("github/fine-grained-pat-requests.json").batch.identities.size());
  }
  const double per_engineer = (classic + fine_grained) / engineers;
  EXPECT_GT(per_engineer, 0.6);
  EXPECT_LT(per_engineer, 1.0);
  EXPECT_GT(ssh, 0);
  EXPECT_GT(never_expires, 0);
  EXPECT_GT(stale, 0);
  EXPECT_GT(of_departed, 0);

  // Risky app installations and webhooks are present.
  int admin_grants = 0;
  for (const auto& grant : parsed.at("github/installations.json").batch.grants) {
    if (grant.level == "admin") ++admin_grants;
  }
  EXPECT_GT(admin_grants, 0);
  int insecure = 0, without_secret = 0;
  for (const auto& hook : parsed.at("github/hooks.json").batch.identities) {
    if (hook.attributes["insecure_ssl"] == true) ++insecure;
    if (hook.attributes["secret_configured"] == false) ++without_secret;
  }
  EXPECT_GT(insecure + without_secret, 0);
  EXPECT_GT(parsed.at("github/deploy-keys.json").records, 0);

  // Audit events of tokens are keyed by the token ids the exports use.
  std::set<std::string> token_ids;
  for (const auto& file : {"github/credential-authorizations.json", "github/fine-grained-pats.json",
                            "github/fine-grained-pat-requests.json"}) {
    if (parsed.count(file) == 0) continue;
    for (const auto& identity : parsed.at(file).batch.identities) token_ids.insert(identity.id);
  }
  const auto& audit = parsed.at("github/audit-log.json");
  EXPECT_EQ(static_cast<long long>(audit.sink.events.size()), output->events);
  int token_events = 0;
  for (const auto& event : audit.sink.events) {
    const std::string identity_id = event["identity_id"];
    if (identity_id.rfind("token:", 0) != 0) continue;
    ++token_events;
    EXPECT_EQ(token_ids.count(identity_id), 1u) << identity_id << " is in the audit log but in no export";
  }
  EXPECT_GT(token_events, 0);
}

TEST_F(GithubGeneratorTest, SameCompanySameFiles) {
  const Company company = small_company(60);
  auto first = generate_github(company, (dir_ / "a").string());
  auto second = generate_github(company, (dir_ / "b").string());
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(first->files, second->files);
  for (const auto& file : first->files) EXPECT_EQ(read_all(dir_ / "a" / file), read_all(dir_ / "b" / file)) << file;
}

}  // namespace
}  // namespace keyward::generator
