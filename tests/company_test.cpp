// End-to-end: a small generated company goes through the real ingest path on every platform.
// Every generated file must be recognized by its platform's source and read without record
// errors. Each platform must contribute non-human identities, and what the generator plants
// (people who left, third-party apps, shadow access) must be visible in the store.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "ingest/ingest.hpp"
#include "posture/engine.hpp"
#include "sources/activity_logs.hpp"
#include "store/store.hpp"
#include "tools/generator/company_generator.hpp"

namespace keyward {
namespace {

namespace fs = std::filesystem;

class CompanyTempDir {
 public:
  CompanyTempDir() {
    std::string pattern = (fs::temp_directory_path() / "keyward-company-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~CompanyTempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

bool attribute_true(const core::Identity& identity, std::string_view key) {
  auto it = identity.attributes.find(key);
  return it != identity.attributes.end() && it->is_boolean() && it->get<bool>();
}

class GeneratedCompany : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_ = new CompanyTempDir();
    const fs::path data = temp_->path() / "data";
    generator::CompanyGeneratorOptions options;
    options.company.employees = 60;
    options.company.days = 5;
    auto generated = generator::generate_company(data.string(), options);
    ASSERT_TRUE(generated.ok()) << generated.error().describe();
    generated_ = new generator::GeneratedCompany(std::move(*generated));

    auto store = store::open_sqlite_store((temp_->path() / "company.db").string());
    ASSERT_TRUE(store.ok()) << store.error().describe();
    store_ = store->release();
    report_ = new ingest::IngestReport(ingest::ingest_paths(*store_, {data.string()}, ingest::IngestOptions{}));
  }

  static void TearDownTestSuite() {
    delete report_;
    delete store_;
    delete generated_;
    delete temp_;
  }

  static CompanyTempDir* temp_;
  static generator::GeneratedCompany* generated_;
  static store::Store* store_;
  static ingest::IngestReport* report_;
};

CompanyTempDir* GeneratedCompany::temp_ = nullptr;
generator::GeneratedCompany* GeneratedCompany::generated_ = nullptr;
store::Store* GeneratedCompany::store_ = nullptr;
ingest::IngestReport* GeneratedCompany::report_ = nullptr;

TEST_F(GeneratedCompany, EveryPlatformIsWritten) {
  ASSERT_NE(generated_, nullptr);
  for (const auto& platform : generator::all_generated_platforms()) {
    ASSERT_TRUE(generated_->platforms.count(platform)) << platform;
    EXPECT_FALSE(generated_->platforms.at(platform).files.empty()) << platform;
    EXPECT_GT(generated_->platforms.at(platform).identities, 0) << platform;
  }
}

TEST_F(GeneratedCompany, EveryFileIsRecognizedAndRead) {
  ASSERT_NE(report_, nullptr);
  for (const auto& input : report_->inputs) {
    EXPECT_FALSE(input.error.has_value()) << input.path << ": " << input.error->describe();
  }
  for (const auto& error : report_->record_errors) {
    ADD_FAILURE() << error.file << " line " << error.line << " offset " << error.offset << ": " << error.message;
  }
}

TEST_F(GeneratedCompany, EachPlatformSourceReadsItsOwnFiles) {
  ASSERT_NE(report_, nullptr);
  for (const auto& input : report_->inputs) {
    const std::string relative = fs::relative(input.path, temp_->path() / "data").string();
    const std::string platform = relative.substr(0, relative.find('/'));
    const std::string expected_prefix = platform + "-";
    EXPECT_EQ(input.source.rfind(expected_prefix, 0), 0u) << input.path << " was read by " << input.source;
  }
}

TEST_F(GeneratedCompany, ExportsAreReadBeforeLogs) {
  ASSERT_NE(report_, nullptr);
  std::string first_log;
  for (const auto& input : report_->inputs) {
    if (sources::is_activity_log_source(input.source)) {
      if (first_log.empty()) first_log = input.path;
    } else {
      EXPECT_TRUE(first_log.empty()) << input.path << " (" << input.source << ") was read after the log " << first_log;
    }
  }
  EXPECT_FALSE(first_log.empty()) << "the company has activity logs";
}

TEST_F(GeneratedCompany, InventoryCoversEveryPlatform) {
  ASSERT_NE(store_, nullptr);
  auto identities = store_->list_identities(store::IdentityFilter{"", true});
  ASSERT_TRUE(identities.ok()) << identities.error().describe();
  std::map<std::string, int> machines;
  int third_party = 0;
  int shadow = 0;
  std::set<std::string> people_statuses;
  for (const auto& identity : *identities) {
    if (identity.classification == core::Classification::human) {
      people_statuses.insert(identity.status);
      continue;
    }
    ++machines[identity.platform];
    third_party += attribute_true(identity, core::attribute::kThirdParty) ? 1 : 0;
    shadow += attribute_true(identity, core::attribute::kShadow) ? 1 : 0;
  }
  for (const auto& platform : generator::all_generated_platforms()) {
    EXPECT_GT(machines[platform], 0) << "no non-human identities from " << platform;
  }
  EXPECT_GT(third_party, 0);
  EXPECT_GT(shadow, 0);
  EXPECT_TRUE(people_statuses.count("active"));
  EXPECT_GT(people_statuses.size(), 1u) << "no suspended or deprovisioned people";
}

TEST_F(GeneratedCompany, PostureRunsOverAllPlatforms) {
  ASSERT_NE(store_, nullptr);
  auto run = posture::run_posture(*store_, {});
  ASSERT_TRUE(run.ok()) << run.error().describe();
  EXPECT_FALSE(run->findings.empty());
}

}  // namespace
}  // namespace keyward
