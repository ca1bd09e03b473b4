#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cctype>
#include <filesystem>

#include "store/migrations.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace keyward::store {
namespace {

using core::FindingStatus;

// Wall-clock times far from now, so that expiry checks against the current time are not close calls.
constexpr core::UnixTime kLongAgo = 1'000'000'000;   // 2001-09-09
constexpr core::UnixTime kFarFuture = 4'102'444'800; // 2100-01-01

class FindingStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("keyward-findings-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    remove_files();
  }
  void TearDown() override {
    store_.reset();
    remove_files();
  }

  void open() {
    auto opened = open_sqlite_store(path_.string());
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    store_ = std::move(opened.value());
  }

  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  static core::Finding unused_key() {
    core::Finding finding;
    finding.rule = "aws.access_key.unused";
    finding.title = "Access key unused for 120 days";
    finding.identity = {"aws", "arn:aws:iam::111122223333:user/ci-deployer", "ci-deployer"};
    finding.credential_id = "AKIAEXAMPLEKEY000001";
    finding.score = 60;
    return finding;
  }

  core::Finding only_finding(bool include_resolved = true) {
    auto findings = store_->list_findings(include_resolved);
    EXPECT_TRUE(findings.ok());
    EXPECT_EQ(findings->size(), 1u);
    return findings->empty() ? core::Finding{} : findings->front();
  }

  core::Result<core::Finding> change(FindingStatus status, const std::string& reason,
                                     std::optional<core::UnixTime> until = std::nullopt,
                                     core::UnixTime time = kLongAgo) {
    FindingStatusChange request;
    request.finding_id = core::finding_id(unused_key());
    request.status = status;
    request.reason = reason;
    request.until = until;
    request.time = time;
    request.actor = "alice";
    return store_->set_finding_status(request);
  }

  std::filesystem::path path_;
  std::unique_ptr<Store> store_;
};

TEST_F(FindingStateTest, DetailsRoundTrip) {
  open();
  core::Finding finding = unused_key();
  finding.risk_factors = {{"privilege", 20, "administrator: AdministratorAccess"}};
  finding.context.owner = "alice@example.com";
  finding.context.owner_status = "active";
  finding.context.environment = "production";
  finding.context.connects_to = {"arn:aws:s3:::billing-exports"};
  finding.remediation_steps = {"aws iam delete-access-key --user-name ci-deployer --access-key-id AKIAEXAMPLEKEY000001"};
  finding.check_first = {"No CloudTrail event used the key in the last 120 days"};
  finding.safe_now = true;
  finding.safe_reason = "unused for 120 days";
  ASSERT_TRUE(store_->sync_findings({finding}, 1000).ok());

  const core::Finding stored = only_finding();
  ASSERT_EQ(stored.risk_factors.size(), 1u);
  EXPECT_EQ(stored.risk_factors[0].name, "privilege");
  EXPECT_EQ(stored.risk_factors[0].points, 20);
  EXPECT_EQ(stored.context.owner, "alice@example.com");
  EXPECT_EQ(stored.context.environment, "production");
  EXPECT_EQ(stored.context.connects_to, finding.context.connects_to);
  EXPECT_EQ(stored.remediation_steps, finding.remediation_steps);
  EXPECT_EQ(stored.check_first, finding.check_first);
  EXPECT_EQ(stored.safe_now, std::optional<bool>(true));
  EXPECT_EQ(stored.safe_reason, "unused for 120 days");
  EXPECT_EQ(stored.status, FindingStatus::open);
  EXPECT_FALSE(stored.recurring);
}

TEST_F(FindingStateTest, ResolvedFindingReturnsAsRecurring) {
  open();
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 1000).ok());
  ASSERT_TRUE(store_->sync_findings({}, 2000).ok());
  core::Finding resolved = only_finding();
  EXPECT_EQ(resolved.status, FindingStatus::resolved);
  EXPECT_NE(resolved.status_reason.find("no longer detected"), std::string::npos) << resolved.status_reason;
  EXPECT_FALSE(resolved.recurring);

  ASSERT_TRUE(store_->sync_findings({unused_key()}, 3000).ok());
  const core::Finding returned = only_finding(false);
  EXPECT_EQ(returned.status, FindingStatus::open);
  EXPECT_TRUE(returned.recurring);
  EXPECT_EQ(returned.first_seen, 1000);
  EXPECT_EQ(returned.last_seen, 3000);

  // Recurring is history: it stays set while the finding remains open.
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 4000).ok());
  EXPECT_TRUE(only_finding().recurring);
}

TEST_F(FindingStateTest, ResolvedAgainWithSameDataReopens) {
  // A run that stops producing a finding (a higher threshold) and a run on the same data that
  // produces it again: the second is not older than the resolution, so the finding reopens.
  open();
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 1000).ok());
  ASSERT_TRUE(store_->sync_findings({}, 1000).ok());
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 1000).ok());
  EXPECT_EQ(only_finding().status, FindingStatus::open);
}

TEST_F(FindingStateTest, AcknowledgedStaysWhileDetected) {
  open();
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 1000).ok());
  auto acknowledged = change(FindingStatus::acknowledged, "key owner is migrating the job, ticket OPS-17");
  ASSERT_TRUE(acknowledged.ok()) << acknowledged.error().describe();
  EXPECT_EQ(acknowledged->status, FindingStatus::acknowledged);

  ASSERT_TRUE(store_->sync_findings({unused_key()}, 2000).ok());
  core::Finding held = only_finding();
  EXPECT_EQ(held.status, FindingStatus::acknowledged);
  EXPECT_EQ(held.status_reason, "key owner is migrating the job, ticket OPS-17");

  ASSERT_TRUE(store_->sync_findings({}, 3000).ok());
  EXPECT_EQ(only_finding().status, FindingStatus::resolved);

  // Returning after resolution reopens it; the acknowledgment does not come back.
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 4000).ok());
  const core::Finding returned = only_finding();
  EXPECT_EQ(returned.status, FindingStatus::open);
  EXPECT_TRUE(returned.recurring);
}

TEST_F(FindingStateTest, ManualResolveHoldsOnOlderData) {
  open();
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 1000).ok());
  auto resolved = change(FindingStatus::resolved, "key deleted in the console", std::nullopt, 5000);
  ASSERT_TRUE(resolved.ok()) << resolved.error().describe();

  // A credential report generated before the fix still lists the key.
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 4000).ok());
  EXPECT_EQ(only_finding().status, FindingStatus::resolved);

  // Data generated after the fix that still shows it means the fix did not take.
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 6000).ok());
  const core::Finding returned = only_finding();
  EXPECT_EQ(returned.status, FindingStatus::open);
  EXPECT_TRUE(returned.recurring);
}

TEST_F(FindingStateTest, MuteHoldsUntilExpiry) {
  open();
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 1000).ok());
  auto muted = change(FindingStatus::muted, "break-glass key, reviewed quarterly", kFarFuture);
  ASSERT_TRUE(muted.ok()) << muted.error().describe();
  EXPECT_EQ(muted->status_until, kFarFuture);

  ASSERT_TRUE(store_->sync_findings({unused_key()}, 2000).ok());
  core::Finding held = only_finding();
  EXPECT_EQ(held.status, FindingStatus::muted);
  EXPECT_EQ(held.status_until, kFarFuture);
}

TEST_F(FindingStateTest, ExpiredMuteReopensOnSync) {
  open();
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 1000).ok());
  // The change is dated before its expiry, and the expiry is long past by the wall clock.
  auto muted = change(FindingStatus::muted, "temporary exception", kLongAgo + 60, kLongAgo);
  ASSERT_TRUE(muted.ok()) << muted.error().describe();

  ASSERT_TRUE(store_->sync_findings({unused_key()}, 2000).ok());
  const core::Finding reopened = only_finding();
  EXPECT_EQ(reopened.status, FindingStatus::open);
  EXPECT_FALSE(reopened.status_until.has_value());
  EXPECT_NE(reopened.status_reason.find("mute expired"), std::string::npos) << reopened.status_reason;
  EXPECT_FALSE(reopened.recurring);
}

TEST_F(FindingStateTest, MuteRejectsPastExpiry) {
  open();
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 1000).ok());
  auto muted = change(FindingStatus::muted, "late", kLongAgo - 1, kLongAgo);
  ASSERT_FALSE(muted.ok());
  EXPECT_EQ(muted.error().code, core::ErrorCode::invalid_argument);
}

TEST_F(FindingStateTest, ReasonRequiredExceptReopen) {
  open();
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 1000).ok());
  for (FindingStatus status : {FindingStatus::acknowledged, FindingStatus::resolved, FindingStatus::muted}) {
    auto result = change(status, "");
    ASSERT_FALSE(result.ok()) << core::to_string(status);
    EXPECT_EQ(result.error().code, core::ErrorCode::invalid_argument);
  }
  ASSERT_TRUE(change(FindingStatus::acknowledged, "known").ok());
  auto reopened = change(FindingStatus::open, "");
  ASSERT_TRUE(reopened.ok()) << reopened.error().describe();
  EXPECT_EQ(reopened->status, FindingStatus::open);
}

TEST_F(FindingStateTest, InvalidTransitionsRejected) {
  open();
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 1000).ok());
  auto reopen_open = change(FindingStatus::open, "");
  ASSERT_FALSE(reopen_open.ok());
  EXPECT_NE(reopen_open.error().message.find("already open"), std::string::npos);

  ASSERT_TRUE(store_->sync_findings({}, 2000).ok());
  auto acknowledge_resolved = change(FindingStatus::acknowledged, "known");
  ASSERT_FALSE(acknowledge_resolved.ok());
  EXPECT_NE(acknowledge_resolved.error().message.find("is resolved"), std::string::npos);
  EXPECT_EQ(only_finding().status, FindingStatus::resolved);
}

TEST_F(FindingStateTest, UnknownIdIsNotFound) {
  open();
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 1000).ok());
  FindingStatusChange request;
  request.finding_id = "0000000000000000";
  request.status = FindingStatus::acknowledged;
  request.reason = "known";
  auto result = store_->set_finding_status(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, core::ErrorCode::not_found);
  EXPECT_NE(result.error().message.find("0000000000000000"), std::string::npos);

  request.finding_id = "xyz";
  auto invalid = store_->set_finding_status(request);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, core::ErrorCode::invalid_argument);
}

TEST_F(FindingStateTest, IdPrefixSelectsFinding) {
  open();
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 1000).ok());
  FindingStatusChange request;
  request.finding_id = core::finding_id(unused_key()).substr(0, 8);
  for (char& c : request.finding_id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  request.status = FindingStatus::acknowledged;
  request.reason = "known";
  auto result = store_->set_finding_status(request);
  ASSERT_TRUE(result.ok()) << result.error().describe();
  EXPECT_EQ(core::finding_id(*result), core::finding_id(unused_key()));
}

TEST_F(FindingStateTest, EveryChangeIsRecorded) {
  open();
  const std::string id = core::finding_id(unused_key());
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 1000).ok());
  ASSERT_TRUE(change(FindingStatus::acknowledged, "known").ok());
  ASSERT_TRUE(store_->sync_findings({}, 2000).ok());
  ASSERT_TRUE(store_->sync_findings({unused_key()}, 3000).ok());

  auto events = store_->list_finding_events(id);
  ASSERT_TRUE(events.ok()) << events.error().describe();
  ASSERT_EQ(events->size(), 4u);
  const auto& history = *events;
  EXPECT_FALSE(history[0].from_status.has_value());
  EXPECT_EQ(history[0].to_status, FindingStatus::open);
  EXPECT_EQ(history[1].to_status, FindingStatus::acknowledged);
  EXPECT_EQ(history[1].reason, "known");
  EXPECT_EQ(history[1].actor, "alice");
  EXPECT_EQ(history[1].time, kLongAgo);
  EXPECT_EQ(history[2].from_status, std::optional(FindingStatus::acknowledged));
  EXPECT_EQ(history[2].to_status, FindingStatus::resolved);
  EXPECT_TRUE(history[2].actor.empty());
  EXPECT_EQ(history[3].to_status, FindingStatus::open);
  EXPECT_NE(history[3].reason.find("detected again"), std::string::npos) << history[3].reason;
  for (const auto& event : history) {
    EXPECT_EQ(event.finding_id, id);
    EXPECT_EQ(event.rule, "aws.access_key.unused");
    EXPECT_EQ(event.credential_id, "AKIAEXAMPLEKEY000001");
  }
}

TEST_F(FindingStateTest, MigrationKeepsExistingFindings) {
  // A store created by the first two migrations, holding one open and one resolved finding.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.string().c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  for (size_t i = 0; i < 2; ++i) {
    const Migration& migration = migrations()[i];
    ASSERT_EQ(sqlite3_exec(raw, std::string(migration.sql).c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << migration.name;
    const std::string record = "INSERT INTO schema_migrations VALUES ('" + std::string(migration.name) + "', 0)";
    ASSERT_EQ(sqlite3_exec(raw, record.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  }
  ASSERT_EQ(sqlite3_exec(raw, R"sql(
    INSERT INTO findings VALUES ('aws.access_key.unused', 'aws', 'arn:aws:iam::111122223333:user/ci-deployer',
      'AKIAEXAMPLEKEY000001', 'ci-deployer', 'Access key unused', 'medium', 60, 'NHI7', '[]', 'Delete the key.',
      1000, 'resolved', 500, 1000);
    INSERT INTO findings VALUES ('aws.user.console_without_mfa', 'aws', 'arn:aws:iam::111122223333:user/ops', '',
      'ops', 'Console password without MFA', 'high', 80, 'NHI9', '[]', 'Enable MFA.', 1000, 'acknowledged', 500, 1000);
  )sql", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);

  open();
  auto findings = store_->list_findings(true);
  ASSERT_TRUE(findings.ok()) << findings.error().describe();
  ASSERT_EQ(findings->size(), 2u);
  EXPECT_EQ((*findings)[0].status, FindingStatus::acknowledged);
  EXPECT_EQ((*findings)[1].status, FindingStatus::resolved);
  EXPECT_FALSE((*findings)[1].recurring);

  // The resolved one reopens as recurring when a later run produces it.
  std::vector<core::Finding> produced = {(*findings)[0], unused_key()};
  ASSERT_TRUE(store_->sync_findings(produced, 2000).ok());
  auto after = store_->list_findings(true);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 2u);
  for (const auto& finding : *after) {
    if (finding.rule == "aws.access_key.unused") {
      EXPECT_EQ(finding.status, FindingStatus::open);
      EXPECT_TRUE(finding.recurring);
    } else {
      EXPECT_EQ(finding.status, FindingStatus::acknowledged);
    }
  }
}

}  // namespace
}  // namespace keyward::store
