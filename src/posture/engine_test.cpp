#include "posture/engine.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "posture/inventory.hpp"
#include "sources/aws/access_keys_source.hpp"
#include "sources/aws/credential_report_source.hpp"

namespace keyward::posture {
namespace {

namespace fs = std::filesystem;

const std::string kSourceData = std::string(KEYWARD_SOURCE_DIR) + "/src/sources/aws/testdata/";
const core::UnixTime kReportTime = *core::parse_time("2025-02-18T00:00:00Z");

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class NullSink final : public core::EventSink {
 public:
  void on_event(core::Event& /*event*/) override {}
};

// A fresh SQLite store in a temporary file, removed with the fixture.
class PostureEngine : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() / ("keyward-posture-" + std::to_string(::getpid()) + "-" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    remove_files();
    auto opened = store::open_sqlite_store(path_);
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    store_ = std::move(opened).value();
  }

  void TearDown() override {
    store_.reset();
    remove_files();
  }

  void ingest(const sources::Source& source, const std::string& file) {
    store::Batch batch;
    NullSink sink;
    std::vector<sources::RecordError> errors;
    sources::ParseContext ctx{batch, sink, errors, kReportTime, std::nullopt, 0, {}};
    const std::string text = read_file(kSourceData + file);
    ASSERT_TRUE(source.parse(sources::Input{file, text}, ctx).ok());
    ASSERT_TRUE(errors.empty());
    ASSERT_TRUE(store_->commit(batch).ok());
  }

  const core::Finding* find(const PostureRun& run, std::string_view rule, std::string_view credential) {
    for (const auto& finding : run.findings) {
      if (finding.rule == rule && finding.credential_id == credential) return &finding;
    }
    return nullptr;
  }

  void remove_files() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix, ignored);
  }

  std::string path_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(PostureEngine, AsOfFromReportGeneratedTime) {
  ingest(sources::aws::CredentialReportSource(), "credential_report/get_credential_report.json");
  auto run = run_posture(*store_, PostureOptions{});
  ASSERT_TRUE(run.ok()) << run.error().describe();
  EXPECT_EQ(run->as_of, kReportTime);
  EXPECT_EQ(run->as_of_source, "credential report GeneratedTime");
  for (const auto& finding : run->findings) EXPECT_EQ(finding.as_of, kReportTime);
}

TEST_F(PostureEngine, AsOfOptionWins) {
  ingest(sources::aws::CredentialReportSource(), "credential_report/get_credential_report.json");
  PostureOptions options;
  options.as_of = kReportTime + 10 * core::kSecondsPerDay;
  auto run = run_posture(*store_, options);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->as_of, *options.as_of);
  EXPECT_EQ(run->as_of_source, "--as-of");
}

TEST_F(PostureEngine, AsOfFallsBackToNow) {
  ingest(sources::aws::CredentialReportSource(), "credential_report/report.csv");
  const core::UnixTime before = core::now();
  auto run = run_posture(*store_, PostureOptions{});
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->as_of_source, "now");
  EXPECT_GE(run->as_of, before);
}

TEST_F(PostureEngine, EvidenceCitesReportField) {
  ingest(sources::aws::CredentialReportSource(), "credential_report/get_credential_report.json");
  auto run = run_posture(*store_, PostureOptions{});
  ASSERT_TRUE(run.ok());
  const core::Finding* unused = find(*run, "aws.access_key.unused", "arn:aws:iam::111122223333:root#access_key_1");
  ASSERT_NE(unused, nullptr);
  EXPECT_EQ(unused->identity.name, "<root_account>");
  ASSERT_FALSE(unused->evidence.empty());
  EXPECT_EQ(unused->evidence[0].description,
            "access_key_1_last_used_date 2024-01-02T00:00:00Z is 413 days before 2025-02-18T00:00:00Z "
            "(credential report GeneratedTime), over the 90-day limit (--unused-days)");
  EXPECT_NE(unused->remediation.find("aws iam list-access-keys"), std::string::npos);
  EXPECT_NE(unused->remediation.find("--status Inactive"), std::string::npos);
}

TEST_F(PostureEngine, SortsByScore) {
  ingest(sources::aws::CredentialReportSource(), "credential_report/get_credential_report.json");
  auto run = run_posture(*store_, PostureOptions{});
  ASSERT_TRUE(run.ok());
  ASSERT_GE(run->findings.size(), 3u);
  for (size_t i = 1; i < run->findings.size(); ++i) {
    EXPECT_GE(run->findings[i - 1].score, run->findings[i].score) << i;
  }
  EXPECT_EQ(run->findings.front().rule, "aws.root.access_key");
  EXPECT_GT(run->findings.front().score, 0);
}

TEST_F(PostureEngine, MergesListedKeys) {
  ingest(sources::aws::CredentialReportSource(), "credential_report/get_credential_report.json");
  ingest(sources::aws::AccessKeysSource(), "access_keys/single.json");
  auto inventory = load_inventory(*store_);
  ASSERT_TRUE(inventory.ok());
  const auto& keys = inventory->credentials.at("arn:aws:iam::111122223333:user/svc-deploy");
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].id, "AKIAI44QH8DHBEXAMPLE");
  EXPECT_EQ(keys[0].status, "inactive");
  EXPECT_EQ(keys[1].id, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(keys[1].last_used, core::parse_time("2025-02-17T23:59:00Z"));
  EXPECT_EQ(keys[1].attributes["report_slot"], 1);

  // Findings then name the real key id.
  auto run = run_posture(*store_, PostureOptions{});
  ASSERT_TRUE(run.ok());
  EXPECT_NE(find(*run, "aws.access_key.not_rotated", "AKIAIOSFODNN7EXAMPLE"), nullptr);
  EXPECT_EQ(find(*run, "aws.access_key.not_rotated", "arn:aws:iam::111122223333:user/svc-deploy#access_key_1"), nullptr);
}

TEST_F(PostureEngine, SyncResolvesFixedFindings) {
  ingest(sources::aws::CredentialReportSource(), "credential_report/get_credential_report.json");
  auto first = run_posture(*store_, PostureOptions{});
  ASSERT_TRUE(first.ok());
  auto open_before = store_->list_findings(false);
  ASSERT_TRUE(open_before.ok());
  EXPECT_EQ(open_before->size(), first->findings.size());

  PostureOptions relaxed;
  relaxed.defaults.unused_days = 10000;
  relaxed.defaults.rotation_days = 10000;
  auto second = run_posture(*store_, relaxed);
  ASSERT_TRUE(second.ok());
  EXPECT_LT(second->findings.size(), first->findings.size());
  auto open_after = store_->list_findings(false);
  ASSERT_TRUE(open_after.ok());
  EXPECT_EQ(open_after->size(), second->findings.size());
  auto all = store_->list_findings(true);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), first->findings.size());
}

TEST_F(PostureEngine, EmptyStoreHasNoFindings) {
  auto run = run_posture(*store_, PostureOptions{});
  ASSERT_TRUE(run.ok()) << run.error().describe();
  EXPECT_TRUE(run->findings.empty());
}

}  // namespace
}  // namespace keyward::posture
