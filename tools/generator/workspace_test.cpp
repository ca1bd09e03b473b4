#include "tools/generator/workspace.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <set>

#include "sources/testing/source_testing.hpp"

namespace keyward::generator {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("keyward-{}-{}", name, ::getpid());
  fs::remove_all(dir);
  return dir;
}

TEST(WorkspaceGenerator, WritesFilesThatParseCleanly) {
  CompanyOptions options;
  options.employees = 60;
  options.days = 14;
  auto company = make_company(options);
  ASSERT_TRUE(company) << company.error().describe();
  const fs::path dir = temp_dir("workspace-generator");
  auto output = generate_workspace(*company, dir.string());
  ASSERT_TRUE(output) << output.error().describe();
  ASSERT_EQ(output->files.size(), 4u);

  const std::map<std::string, std::string> source_of = {
      {"workspace/users.json", "workspace-users"},
      {"workspace/tokens.csv", "workspace-oauth-tokens"},
      {"workspace/token_activity.json", "workspace-token-activity"},
      {"workspace/admin_activity.json", "workspace-token-activity"},
  };
  long long events = 0;
  for (const std::string& file : output->files) {
    ASSERT_TRUE(source_of.count(file)) << file;
    const fs::path path = dir / file;
    const std::string head = [&] {
      std::ifstream in(path, std::ios::binary);
      std::string text(64 * 1024, '\0');
      in.read(text.data(), static_cast<std::streamsize>(text.size()));
      text.resize(static_cast<size_t>(in.gcount()));
      return text;
    }();
    const sources::Source* detected = sources::detect_source(head, path.string());
    ASSERT_NE(detected, nullptr) << file;
    EXPECT_EQ(detected->name(), source_of.at(file)) << file;

    auto parsed = sources::testing::parse_with_source(source_of.at(file), path);
    ASSERT_TRUE(parsed.status.ok()) << file;
    EXPECT_TRUE(parsed.errors.empty()) << file << ": " << (parsed.errors.empty() ? "" : parsed.errors[0].message);
    events += static_cast<long long>(parsed.sink.events.size());

    if (file == "workspace/users.json") {
      EXPECT_EQ(parsed.batch.identities.size(), 60u);
      std::set<std::string> statuses;
      for (const auto& identity : parsed.batch.identities) statuses.insert(identity.status);
      EXPECT_TRUE(statuses.count("active"));
    }
    if (file == "workspace/tokens.csv") {
      EXPECT_GT(parsed.batch.identities.size(), 5u);
      EXPECT_GT(parsed.batch.grants.size(), parsed.batch.identities.size());
      int broad = 0;
      for (const auto& grant : parsed.batch.grants) broad += grant.actions[0] == "https://mail.google.com/" ? 1 : 0;
      EXPECT_GT(broad, 0);
    }
    if (file == "workspace/admin_activity.json") {
      // Three planned delegations with five scopes, and the injected attack's delegation with three.
      EXPECT_EQ(parsed.batch.grants.size(), 8u);
      for (const auto& grant : parsed.batch.grants) EXPECT_EQ(grant.origin, "workspace.domain_wide_delegation");
    }
  }
  EXPECT_EQ(events, output->events);
  EXPECT_GT(output->events, 0);

  // Every unverified vendor is planted once, and the same company gives the same bytes.
  int unverified = 0;
  for (const auto& vendor : company->vendors) unverified += vendor.verified ? 0 : 1;
  // No check reports them (the exports do not state verification), so their check id is empty.
  // The delegations carry the privilege check that reports them.
  int planted_unverified = 0;
  std::map<std::string, int> delegations;
  for (const auto& planted : output->planted) {
    if (planted.is_attack()) continue;
    if (planted.name.find("unverified") != std::string::npos) {
      ++planted_unverified;
      EXPECT_EQ(planted.expected_detector_or_check, "") << planted.name;
      EXPECT_FALSE(planted.not_reported.empty()) << planted.name;
    }
    if (planted.name.find("domain-wide delegation") != std::string::npos) ++delegations[planted.expected_detector_or_check];
  }
  EXPECT_EQ(planted_unverified, unverified);
  EXPECT_EQ(delegations["nhi.privilege.admin"], 1) << "the directory sync's Admin SDK scopes";
  EXPECT_EQ(delegations["nhi.privilege.wildcard"], 2) << "the mailbox backup and the audit export";
  EXPECT_EQ(delegations.size(), 2u);

  const fs::path again = temp_dir("workspace-generator-again");
  ASSERT_TRUE(generate_workspace(*company, again.string()));
  for (const std::string& file : output->files) {
    std::ifstream a(dir / file, std::ios::binary), b(again / file, std::ios::binary);
    std::stringstream first, second;
    first << a.rdbuf();
    second << b.rdbuf();
    EXPECT_EQ(first.str(), second.str()) << file;
  }
  fs::remove_all(dir);
  fs::remove_all(again);
}

}  // namespace
}  // namespace keyward::generator
