#include "tools/generator/gcp.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "sources/testing/source_testing.hpp"

namespace keyward::generator {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() / ("keyward-gcp-generator-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

Company small_company() {
  CompanyOptions options;
  options.seed = 11;
  options.employees = 120;
  auto company = make_company(options);
  EXPECT_TRUE(company) << company.error().describe();
  return std::move(company).value();
}

TEST(GcpGenerator, EveryFileParsesWithoutErrors) {
  const Company company = small_company();
  TempDir dir;
  auto output = generate_gcp(company, dir.str());
  ASSERT_TRUE(output) << output.error().describe();
  ASSERT_FALSE(output->files.empty());

  std::map<std::string, int> files_by_source;
  std::set<std::string> service_accounts, credentials, observed;
  size_t grants = 0, owner_grants = 0, events = 0, events_with_key = 0;
  long long bytes = 0;
  for (const std::string& file : output->files) {
    const fs::path path = fs::path(dir.str()) / file;
    bytes += static_cast<long long>(fs::file_size(path));
    auto loaded = ingest::load_input(path.string());
    ASSERT_TRUE(loaded) << file;
    const sources::Source* source = sources::detect_source(loaded->data().substr(0, 64 * 1024), path.string());
    ASSERT_NE(source, nullptr) << file << " is not recognized";
    ++files_by_source[std::string(source->name())];

    auto parsed = sources::testing::parse_with_source(std::string(source->name()), path);
    ASSERT_TRUE(parsed.status.ok()) << file;
    for (const auto& error : parsed.errors) ADD_FAILURE() << file << ": " << error.message;
    for (const auto& identity : parsed.batch.identities) service_accounts.insert(identity.id);
    for (const auto& credential : parsed.batch.credentials) credentials.insert(credential.id);
    for (const auto& identity : parsed.batch.observed_identities) observed.insert(identity.id);
    for (const auto& grant : parsed.batch.grants) {
      ++grants;
      if (grant.actions == std::vector<std::string>{"roles/owner"}) ++owner_grants;
    }
    for (const auto& event : parsed.sink.events) {
      ++events;
      if (!event["credential_id"].get<std::string>().empty()) ++events_with_key;
    }
  }

  EXPECT_EQ(files_by_source["gcp-service-accounts"], 3);
  EXPECT_EQ(files_by_source["gcp-service-account-keys"], 3);
  EXPECT_EQ(files_by_source["gcp-iam-policy"], 3);
  EXPECT_GE(files_by_source["gcp-audit-log"], 3);

  const size_t engineers = company.engineers().size();
  // About 0.8 per engineer, plus the default accounts of each project and App Engine.
  EXPECT_GE(service_accounts.size(), engineers * 7 / 10);
  EXPECT_LE(service_accounts.size(), engineers + 10);
  EXPECT_GT(credentials.size(), service_accounts.size()) << "every account has a system-managed key";
  EXPECT_GT(grants, service_accounts.size());
  EXPECT_GE(owner_grants, 1u);
  EXPECT_EQ(static_cast<long long>(events), output->events) << "every audit entry in the generated logs has a principal";
  EXPECT_GT(events_with_key, 0u);
  EXPECT_TRUE(observed.count("old-exporter@" + company.slug + "-prod.iam.gserviceaccount.com"));
  EXPECT_LT(bytes, 8LL * 1024 * 1024);
}

TEST(GcpGenerator, PlantsKeyProblems) {
  const Company company = small_company();
  TempDir dir;
  auto output = generate_gcp(company, dir.str());
  ASSERT_TRUE(output);
  std::map<std::string, int> planted;  // posture problems by the check that reports them
  int unused_keys = 0;
  int deleted_members = 0;
  for (const auto& item : output->planted) {
    if (item.is_attack()) continue;
    if (!item.expected_detector_or_check.empty()) {
      ++planted[item.expected_detector_or_check];
      continue;
    }
    // No check reports these two; the answer key says why instead of naming a check.
    EXPECT_FALSE(item.not_reported.empty()) << item.name;
    unused_keys += item.name.find("never used") != std::string::npos ? 1 : 0;
    deleted_members += item.name.find("deleted service account") != std::string::npos ? 1 : 0;
  }
  EXPECT_GT(planted["nhi.secret.long_lived"], 0);
  EXPECT_GT(planted["nhi.owner.departed"], 0);
  EXPECT_GT(planted["nhi.privilege.admin"], 0);
  EXPECT_EQ(planted.size(), 3u) << "a posture problem labelled with a check other than the three above";
  EXPECT_GT(unused_keys, 0);
  EXPECT_EQ(deleted_members, 1);
}

TEST(GcpGenerator, IsDeterministic) {
  const Company company = small_company();
  TempDir first, second;
  auto a = generate_gcp(company, first.str());
  auto b = generate_gcp(company, second.str());
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  ASSERT_EQ(a->files, b->files);
  for (const std::string& file : a->files) {
    auto left = ingest::load_input((fs::path(first.str()) / file).string());
    auto right = ingest::load_input((fs::path(second.str()) / file).string());
    ASSERT_TRUE(left) << file;
    ASSERT_TRUE(right) << file;
    EXPECT_EQ(left->data(), right->data()) << file;
  }
}

}  // namespace
}  // namespace keyward::generator
