// Follower: JSON-lines files are read line by line from the stored position, partial last lines
// wait, restarts resume, rotated files start over, and whole documents wait until they settle.

#include "ingest/follow.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace keyward::ingest {
namespace {

namespace fs = std::filesystem;

class FollowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "keyward-follow-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    auto store = store::open_sqlite_store((directory_ / "store.db").string());
    ASSERT_TRUE(store.ok()) << store.error().describe();
    store_ = std::move(*store);
    fs::create_directories(directory_ / "logs");
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }

  // One GitHub audit log record as the streaming export writes it, one per line.
  static std::string record(int index) {
    return "{\"@timestamp\": " + std::to_string(1733390000000LL + index * 1000LL) + ", \"_document_id\": \"doc-" +
           std::to_string(index) +
           "\", \"action\": \"git.clone\", \"actor\": \"ci-bot\", \"actor_ip\": \"73.1.2.3\", \"org\": \"example\", "
           "\"repo\": \"example/app\", \"hashed_token\": \"k8Y2fQx0m3VdHn2pLq9sR7tUw1zA4bC6eD8gJ0hK2lM=\", "
           "\"programmatic_access_type\": \"Personal access token (classic)\", \"user_agent\": \"git/2.43.0\"}";
  }

  void append(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::app | std::ios::binary);
    out << text;
  }

  FollowOptions options() const {
    FollowOptions follow;
    follow.scratch_directory = directory_.string();
    return follow;
  }

  fs::path directory_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(FollowTest, ReadsOnlyAppendedCompleteLines) {
  const fs::path log = directory_ / "logs/audit.jsonl";
  append(log, record(1) + "\n" + record(2) + "\n");
  Follower follower(*store_, {(directory_ / "logs").string()}, options());

  FollowReport first = follower.poll();
  EXPECT_TRUE(first.errors.empty()) << first.errors[0].describe();
  EXPECT_EQ(first.records, 2);

  // A line still being written is left for the next poll.
  append(log, record(3) + "\n" + record(4).substr(0, 40));
  EXPECT_EQ(follower.poll().records, 1);

  append(log, record(4).substr(40) + "\n");
  EXPECT_EQ(follower.poll().records, 1);
  EXPECT_EQ(follower.poll().records, 0);
}

TEST_F(FollowTest, RestartResumesFromStoredPosition) {
  const fs::path log = directory_ / "logs/audit.jsonl";
  append(log, record(1) + "\n");
  {
    Follower follower(*store_, {log.string()}, options());
    EXPECT_EQ(follower.poll().records, 1);
  }
  append(log, record(2) + "\n");
  Follower restarted(*store_, {log.string()}, options());
  EXPECT_EQ(restarted.poll().records, 1);
}

TEST_F(FollowTest, RotatedFileStartsOver) {
  const fs::path log = directory_ / "logs/audit.jsonl";
  append(log, record(1) + "\n" + record(2) + "\n");
  Follower follower(*store_, {log.string()}, options());
  EXPECT_EQ(follower.poll().records, 2);

  // Rotation: the old file is moved away and a new, shorter one takes its name.
  fs::rename(log, directory_ / "audit.jsonl.1");
  append(log, record(3) + "\n");
  EXPECT_EQ(follower.poll().records, 1);
}

TEST_F(FollowTest, WholeDocumentWaitsUntilSettled) {
  const fs::path document = directory_ / "logs/export.json";
  append(document, "[" + record(1) + ",\n" + record(2) + "]\n");
  Follower follower(*store_, {(directory_ / "logs").string()}, options());
  EXPECT_EQ(follower.poll().records, 0);  // size seen for the first time
  EXPECT_EQ(follower.poll().records, 2);  // unchanged since the last poll
  EXPECT_EQ(follower.poll().records, 0);
}

TEST_F(FollowTest, BadLineNamesFileAndOffset) {
  const fs::path log = directory_ / "logs/audit.jsonl";
  const std::string first = record(1) + "\n";
  append(log, first);
  Follower follower(*store_, {log.string()}, options());
  EXPECT_EQ(follower.poll().records, 1);

  // A line cut off by a crashed writer: not valid JSON.
  append(log, "{\"action\": \"git.clone\", \"@timestamp\": 17333\n" + record(2) + "\n");
  FollowReport report = follower.poll();
  EXPECT_EQ(report.records, 1);
  ASSERT_EQ(report.record_errors.size(), 1u);
  EXPECT_EQ(report.record_errors[0].file, log.string());
  EXPECT_EQ(report.record_errors[0].offset, static_cast<long long>(first.size()));
}

TEST_F(FollowTest, MissingPathIsReported) {
  Follower follower(*store_, {(directory_ / "absent").string()}, options());
  FollowReport report = follower.poll();
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_NE(report.errors[0].describe().find("absent"), std::string::npos);
}

}  // namespace
}  // namespace keyward::ingest

namespace keyward::ingest {
namespace {

// One CloudTrail record per line, as CloudTrail Lake and most SIEM exports write them.
std::string cloudtrail_line(int index, std::string_view action) {
  return "{\"eventVersion\": \"1.09\", \"userIdentity\": {\"type\": \"IAMUser\", \"principalId\": \"AIDAEXAMPLE1\", "
         "\"arn\": \"arn:aws:iam::111122223333:user/ci\", \"accountId\": \"111122223333\", \"accessKeyId\": "
         "\"AKIAEXAMPLEFOLLOW001\", \"userName\": \"ci\"}, \"eventTime\": \"2025-03-01T10:00:" +
         fmt::format("{:02d}", index) +
         "Z\", \"eventSource\": \"ec2.amazonaws.com\", \"eventName\": \"" + std::string(action) +
         "\", \"awsRegion\": \"us-east-1\", \"sourceIPAddress\": \"73.1.2.3\", \"userAgent\": \"aws-cli/2.15.0\", "
         "\"requestParameters\": null, \"responseElements\": null, \"eventID\": \"follow-" + std::to_string(index) +
         "\", \"readOnly\": true, \"eventType\": \"AwsApiCall\", \"recipientAccountId\": \"111122223333\"}\n";
}

TEST_F(FollowTest, BurstSpanningPollsRaisesOnce) {
  const fs::path log = directory_ / "logs/cloudtrail.jsonl";
  Follower follower(*store_, {log.string()}, options());
  std::string first, second;
  for (int i = 0; i < 24; ++i) {
    const std::string line = cloudtrail_line(i, fmt::format("DescribeThing{}", i));
    (i < 12 ? first : second) += line;
  }
  append(log, first);
  EXPECT_EQ(follower.poll().records, 12);
  append(log, second);
  EXPECT_EQ(follower.poll().records, 12);

  auto alerts = store_->list_alerts();
  ASSERT_TRUE(alerts.ok());
  int bursts = 0;
  for (const auto& alert : *alerts) bursts += alert.detector == "aws.discovery.enumeration_burst";
  EXPECT_EQ(bursts, 1) << "24 distinct Describe calls in 24 seconds, split over two polls";
}

}  // namespace
}  // namespace keyward::ingest
