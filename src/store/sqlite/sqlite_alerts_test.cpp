#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "report/findings_output.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace keyward::store {
namespace {

using core::FindingStatus;

constexpr core::UnixTime kLongAgo = 1'000'000'000;    // 2001-09-09
constexpr core::UnixTime kFarFuture = 4'102'444'800;  // 2100-01-01

class AlertStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("keyward-alerts-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    remove_files();
    auto opened = open_sqlite_store(path_.string());
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    store_ = std::move(opened.value());
  }
  void TearDown() override {
    store_.reset();
    remove_files();
  }
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  static core::Alert make_alert(const std::string& detector, const std::string& key,
                                core::Severity severity = core::Severity::high, const std::string& platform = "aws",
                                core::UnixTime time = 1'780'000'000) {
    core::Alert alert;
    alert.detector = detector;
    alert.dedupe_key = key;
    alert.title = "Access key created for another user";
    alert.severity = severity;
    alert.score = 80;
    alert.identity = {platform, "arn:aws:iam::111122223333:user/ci-deployer", "ci-deployer"};
    alert.credential_id = "AKIAEXAMPLEKEY000001";
    alert.time = time;
    alert.remediation = "aws iam update-access-key --status Inactive";
    return alert;
  }

  void commit(std::vector<core::Alert> alerts) {
    Batch batch;
    batch.alerts = std::move(alerts);
    auto status = store_->commit(batch);
    ASSERT_TRUE(status.ok()) << status.error().describe();
  }

  core::Result<StoredAlert> change(const std::string& id, FindingStatus status, const std::string& reason,
                                   std::optional<core::UnixTime> until = std::nullopt, core::UnixTime time = core::now()) {
    AlertStatusChange request;
    request.alert_id = id;
    request.status = status;
    request.reason = reason;
    request.until = until;
    request.time = time;
    request.actor = "alice";
    return store_->set_alert_status(request);
  }

  std::vector<StoredAlert> all_alerts() {
    auto alerts = store_->query_alerts(AlertFilter{}, core::now());
    EXPECT_TRUE(alerts.ok());
    return alerts.ok() ? *alerts : std::vector<StoredAlert>{};
  }

  std::filesystem::path path_;
  std::unique_ptr<Store> store_;
};

TEST_F(AlertStateTest, IdMatchesReportAlertId) {
  commit({make_alert("aws.iam.key_for_other_user", "k1")});
  auto alerts = all_alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].id, report::alert_id(make_alert("aws.iam.key_for_other_user", "k1")));
  EXPECT_EQ(alerts[0].id.size(), 16u);
  EXPECT_TRUE(alerts[0].stored_at.has_value());
}

TEST_F(AlertStateTest, ResolveRecordsReasonAndActor) {
  commit({make_alert("aws.iam.key_for_other_user", "k1")});
  const std::string id = all_alerts()[0].id;

  auto resolved = change(id.substr(0, 6), FindingStatus::resolved, "false_positive: deploy pipeline");
  ASSERT_TRUE(resolved.ok()) << resolved.error().describe();
  EXPECT_EQ(resolved->alert.status, FindingStatus::resolved);
  EXPECT_EQ(resolved->status_reason, "false_positive: deploy pipeline");

  auto events = store_->list_alert_events(id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_FALSE((*events)[0].from_status.has_value());
  EXPECT_EQ((*events)[0].to_status, FindingStatus::open);
  EXPECT_EQ((*events)[0].actor, "");
  EXPECT_EQ((*events)[1].from_status, FindingStatus::open);
  EXPECT_EQ((*events)[1].to_status, FindingStatus::resolved);
  EXPECT_EQ((*events)[1].actor, "alice");
  EXPECT_EQ((*events)[1].reason, "false_positive: deploy pipeline");
}

TEST_F(AlertStateTest, RecommitKeepsResolvedAndSingle) {
  commit({make_alert("aws.iam.key_for_other_user", "k1")});
  const std::string id = all_alerts()[0].id;
  ASSERT_TRUE(change(id, FindingStatus::resolved, "benign").ok());

  commit({make_alert("aws.iam.key_for_other_user", "k1")});
  auto alerts = all_alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].alert.status, FindingStatus::resolved);
  auto events = store_->list_alert_events(id);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 2u);
}

TEST_F(AlertStateTest, TakeNewAlertsOnlyOnce) {
  commit({make_alert("aws.iam.key_for_other_user", "k1"), make_alert("aws.iam.key_for_other_user", "k2")});
  auto first = store_->take_new_alerts();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->size(), 2u);

  commit({make_alert("aws.iam.key_for_other_user", "k1")});
  auto second = store_->take_new_alerts();
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->empty());

  commit({make_alert("aws.iam.key_for_other_user", "k1"), make_alert("aws.iam.key_for_other_user", "k3")});
  auto third = store_->take_new_alerts();
  ASSERT_TRUE(third.ok());
  ASSERT_EQ(third->size(), 1u);
  EXPECT_EQ((*third)[0].dedupe_key, "k3");
}

TEST_F(AlertStateTest, RejectsInvalidChanges) {
  commit({make_alert("aws.iam.key_for_other_user", "k1")});
  const std::string id = all_alerts()[0].id;

  EXPECT_EQ(change(id, FindingStatus::acknowledged, "").error().code, core::ErrorCode::invalid_argument);
  EXPECT_EQ(change(id, FindingStatus::open, "").error().code, core::ErrorCode::invalid_argument);
  EXPECT_EQ(change(id, FindingStatus::muted, "noisy", kLongAgo).error().code, core::ErrorCode::invalid_argument);
  EXPECT_EQ(change(id.substr(0, 5), FindingStatus::acknowledged, "x").error().code, core::ErrorCode::invalid_argument);
  EXPECT_EQ(change("ffffffffffffffff", FindingStatus::acknowledged, "x").error().code, core::ErrorCode::not_found);

  ASSERT_TRUE(change(id, FindingStatus::resolved, "fixed").ok());
  auto acknowledge_resolved = change(id, FindingStatus::acknowledged, "looking");
  ASSERT_FALSE(acknowledge_resolved.ok());
  EXPECT_NE(acknowledge_resolved.error().message.find("resolved"), std::string::npos);
  ASSERT_TRUE(change(id, FindingStatus::open, "").ok());
}

TEST_F(AlertStateTest, AmbiguousPrefixListsMatches) {
  // Find two keys whose ids share the first 6 digits.
  std::map<std::string, std::string> by_prefix;
  std::string first, second;
  for (int i = 0; i < 200000 && first.empty(); ++i) {
    const std::string key = "k" + std::to_string(i);
    const std::string prefix = report::alert_id(make_alert("d", key)).substr(0, 6);
    auto [it, inserted] = by_prefix.emplace(prefix, key);
    if (!inserted) {
      first = it->second;
      second = key;
    }
  }
  ASSERT_FALSE(first.empty());
  commit({make_alert("d", first), make_alert("d", second)});
  const std::string prefix = report::alert_id(make_alert("d", first)).substr(0, 6);
  auto result = change(prefix, FindingStatus::acknowledged, "x");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("matches 2 alerts"), std::string::npos) << result.error().message;
}

TEST_F(AlertStateTest, ExpiredMuteReopens) {
  commit({make_alert("aws.iam.key_for_other_user", "k1")});
  const std::string id = all_alerts()[0].id;
  ASSERT_TRUE(change(id, FindingStatus::muted, "maintenance", kLongAgo + 3600, kLongAgo).ok());

  auto listed = all_alerts();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].alert.status, FindingStatus::open);
  EXPECT_NE(listed[0].status_reason.find("mute expired"), std::string::npos);

  commit({});
  auto events = store_->list_alert_events(id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[2].from_status, FindingStatus::muted);
  EXPECT_EQ((*events)[2].to_status, FindingStatus::open);
}

TEST_F(AlertStateTest, MuteUntilFutureStaysMuted) {
  commit({make_alert("aws.iam.key_for_other_user", "k1")});
  const std::string id = all_alerts()[0].id;
  auto muted = change(id, FindingStatus::muted, "known scanner", kFarFuture);
  ASSERT_TRUE(muted.ok()) << muted.error().describe();
  EXPECT_EQ(muted->status_until, kFarFuture);
  commit({});
  EXPECT_EQ(all_alerts()[0].alert.status, FindingStatus::muted);
}

TEST_F(AlertStateTest, FiltersCombine) {
  commit({make_alert("aws.iam.key_for_other_user", "k1", core::Severity::high, "aws", 1'780'000'000),
          make_alert("okta.api_token.new_network", "k2", core::Severity::medium, "okta", 1'780'100'000),
          make_alert("okta.api_token.created", "k3", core::Severity::low, "okta", 1'780'200'000)});
  const auto ids = [this](const AlertFilter& filter) {
    std::vector<std::string> keys;
    auto alerts = store_->query_alerts(filter, core::now());
    EXPECT_TRUE(alerts.ok());
    if (alerts.ok()) {
      for (const auto& stored : *alerts) keys.push_back(stored.alert.dedupe_key);
    }
    return keys;
  };

  AlertFilter by_platform;
  by_platform.platform = "okta";
  EXPECT_EQ(ids(by_platform), (std::vector<std::string>{"k2", "k3"}));

  AlertFilter by_severity;
  by_severity.min_severity = core::Severity::medium;
  EXPECT_EQ(ids(by_severity), (std::vector<std::string>{"k1", "k2"}));

  AlertFilter by_detector;
  by_detector.detectors = {"okta.api_token.*"};
  EXPECT_EQ(ids(by_detector), (std::vector<std::string>{"k2", "k3"}));
  by_detector.detectors = {"okta.api_token.created"};
  EXPECT_EQ(ids(by_detector), (std::vector<std::string>{"k3"}));

  AlertFilter by_time;
  by_time.since = 1'780'050'000;
  by_time.until = 1'780'150'000;
  EXPECT_EQ(ids(by_time), (std::vector<std::string>{"k2"}));

  const std::string resolved_id = report::alert_id(make_alert("okta.api_token.new_network", "k2", core::Severity::medium, "okta"));
  ASSERT_TRUE(change(resolved_id, FindingStatus::resolved, "benign").ok());
  AlertFilter by_state;
  by_state.states = {FindingStatus::open};
  EXPECT_EQ(ids(by_state), (std::vector<std::string>{"k1", "k3"}));
  by_state.states = {FindingStatus::resolved};
  EXPECT_EQ(ids(by_state), (std::vector<std::string>{"k2"}));
}

}  // namespace
}  // namespace keyward::store
