#include "tools/generator/entra.hpp"

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

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class EntraGeneratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // ctest runs the tests of this fixture in parallel processes, so each gets its own folder.
    directory_ = std::filesystem::path(::testing::TempDir()) /
                 ("keyward-entra-generator-" + std::to_string(::getpid()));
    std::filesystem::remove_all(directory_);
    CompanyOptions options;
    options.employees = 120;
    auto company = make_company(options);
    ASSERT_TRUE(company) << company.error().describe();
    company_ = std::move(*company);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::filesystem::path directory_;
  Company company_;
};

TEST_F(EntraGeneratorTest, EveryFileParsesWithoutErrors) {
  auto output = generate_entra(company_, directory_.string());
  ASSERT_TRUE(output) << output.error().describe();
  ASSERT_EQ(output->files.size(), 7u);

  std::map<std::string, sources::testing::ParsedInput> parsed;
  for (const std::string& file : output->files) {
    const std::filesystem::path path = directory_ / file;
    const std::string content = read_all(path);
    const sources::Source* source = sources::detect_source(content.substr(0, 64 * 1024), path.string());
    ASSERT_NE(source, nullptr) << file << " is not recognized";
    EXPECT_EQ(std::string(source->name()).rfind("entra-", 0), 0u) << file << " detected as " << source->name();
    sources::testing::ParsedInput result = sources::testing::parse_with_source(std::string(source->name()), path);
    ASSERT_TRUE(result.status.ok()) << file;
    EXPECT_TRUE(result.errors.empty()) << file << ": " << result.errors.front().message;
    parsed.emplace(file, std::move(result));
  }

  const auto& users = parsed.at("entra/users.json").batch.identities;
  EXPECT_EQ(users.size(), company_.employees.size());
  int disabled = 0;
  for (const auto& user : users) disabled += user.status == "disabled" ? 1 : 0;
  EXPECT_GT(disabled, 0);

  const auto& applications = parsed.at("entra/applications.json").batch;
  EXPECT_EQ(applications.identities.size(), company_.engineers().size() * 6 / 10);
  int expired = 0;
  int expiring = 0;
  int federated = 0;
  for (const auto& credential : applications.credentials) {
    if (credential.kind == "entra_federated_credential") ++federated;
    if (!credential.expires) continue;
    if (*credential.expires < company_.end_time) ++expired;
    if (*credential.expires >= company_.end_time && *credential.expires < company_.end_time + 30 * 86400) ++expiring;
  }
  EXPECT_GT(expired, 0);
  EXPECT_GT(expiring, 0);
  EXPECT_GT(federated, 0);
  for (const auto& identity : applications.identities) EXPECT_FALSE(identity.owner.empty()) << identity.name;

  int third_party = 0;
  int unverified = 0;
  int managed = 0;
  for (const auto& identity : parsed.at("entra/service-principals.json").batch.identities) {
    if (identity.kind == "entra_managed_identity") ++managed;
    if (identity.attributes.value("third_party", false)) {
      ++third_party;
      if (!identity.attributes.value("publisher_verified", true)) ++unverified;
    }
  }
  EXPECT_GT(third_party, 3);
  EXPECT_GT(unverified, 0);
  EXPECT_GT(managed, 0);

  int admin_grants = 0;
  for (const auto& grant : parsed.at("entra/oauth2-permission-grants.json").batch.grants) {
    admin_grants += grant.level == "admin" ? 1 : 0;
  }
  EXPECT_GT(parsed.at("entra/oauth2-permission-grants.json").batch.grants.size(), 0u);
  EXPECT_GT(admin_grants, 0);
  EXPECT_GT(parsed.at("entra/app-role-assignments.json").batch.grants.size(), 0u);

  const long long events = static_cast<long long>(parsed.at("entra/sign-ins-graph.json").sink.events.size() +
                                                  parsed.at("entra/sign-ins-diagnostic.json").sink.events.size());
  EXPECT_EQ(events, output->events);
  EXPECT_GT(events, 0);
}

TEST_F(EntraGeneratorTest, SameCompanySameBytes) {
  auto first = generate_entra(company_, (directory_ / "a").string());
  auto second = generate_entra(company_, (directory_ / "b").string());
  ASSERT_TRUE(first && second);
  for (const std::string& file : first->files) {
    EXPECT_EQ(read_all(directory_ / "a" / file), read_all(directory_ / "b" / file)) << file;
  }
}

TEST_F(EntraGeneratorTest, SignInsUseListedCredentials) {
  auto output = generate_entra(company_, directory_.string());
  ASSERT_TRUE(output);
  const auto applications = sources::testing::parse_with_source("entra-applications", directory_ / "entra/applications.json");
  std::set<std::string> credential_ids;
  for (const auto& credential : applications.batch.credentials) credential_ids.insert(credential.id);
  const auto sign_ins = sources::testing::parse_with_source("entra-sign-ins", directory_ / "entra/sign-ins-graph.json");
  ASSERT_FALSE(sign_ins.sink.events.empty());
  for (const auto& event : sign_ins.sink.events) {
    EXPECT_EQ(credential_ids.count(event["credential_id"].get<std::string>()), 1u) << event.dump();
  }
}

}  // namespace
}  // namespace keyward::generator
