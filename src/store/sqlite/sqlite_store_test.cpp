#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace keyward::store {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("keyward-store-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    auto opened = open_sqlite_store(path_.string());
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    store_ = std::move(opened.value());
  }
  void TearDown() override {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  static core::Identity user(const std::string& name) {
    core::Identity identity;
    identity.platform = "aws";
    identity.id = "arn:aws:iam::111122223333:user/" + name;
    identity.kind = "iam_user";
    identity.name = name;
    return identity;
  }

  std::filesystem::path path_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, IdentityUpsertMergesSources) {
  Batch first;
  core::Identity from_authz = user("ci-deployer");
  from_authz.created = 1000;
  from_authz.attributes = {{"groups", {"deployers"}}};
  first.identities.push_back(from_authz);
  ASSERT_TRUE(store_->commit(first).ok());

  Batch second;
  core::Identity from_report = user("ci-deployer");
  from_report.classification = core::Classification::machine;
  from_report.classification_reason = "no console password";
  from_report.last_used = 5000;
  from_report.attributes = {{"password_enabled", false}};
  second.identities.push_back(from_report);
  ASSERT_TRUE(store_->commit(second).ok());

  auto stored = store_->get_identity("aws", from_authz.id);
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(stored->has_value());
  const core::Identity& identity = **stored;
  EXPECT_EQ(identity.created, 1000);
  EXPECT_EQ(identity.last_used, 5000);
  EXPECT_EQ(identity.classification, core::Classification::machine);
  EXPECT_EQ(identity.attributes["groups"][0], "deployers");
  EXPECT_EQ(identity.attributes["password_enabled"], false);
}

TEST_F(SqliteStoreTest, AliasesAccumulateAcrossExports) {
  core::Identity from_applications;
  from_applications.platform = "entra";
  from_applications.id = "app-1";
  from_applications.kind = "entra_application";
  from_applications.name = "billing-sync";
  from_applications.attributes = {{"aliases", {"application-object"}}, {"connected_by", {"a@example.com"}}};
  Batch first;
  first.identities.push_back(from_applications);
  ASSERT_TRUE(store_->commit(first).ok());

  core::Identity from_service_principals = from_applications;
  from_service_principals.attributes = {{"aliases", {"principal-object", "application-object"}},
                                        {"connected_by", {"b@example.com"}},
                                        {"publisher", "Example"}};
  Batch second;
  second.identities.push_back(from_service_principals);
  ASSERT_TRUE(store_->commit(second).ok());

  auto stored = store_->get_identity("entra", "app-1");
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(stored->has_value());
  const auto& attributes = (*stored)->attributes;
  EXPECT_EQ(attributes["aliases"], nlohmann::json({"application-object", "principal-object"}));
  EXPECT_EQ(attributes["connected_by"], nlohmann::json({"a@example.com", "b@example.com"}));
  EXPECT_EQ(attributes["publisher"], "Example");
}

TEST_F(SqliteStoreTest, GrantReplacementKeepsOtherOrigins) {
  auto grant = [](const std::string& origin, const std::string& scope) {
    core::Grant g;
    g.platform = "entra";
    g.identity_id = "app-1";
    g.actions = {scope};
    g.level = "read";
    g.resource_type = "tenant";
    g.granted_by = "alice@example.com";
    g.origin = origin;
    return g;
  };
  Batch first;
  first.grants = {grant("entra.oauth2PermissionGrants", "User.Read"), grant("entra.appRoleAssignments", "Mail.Read")};
  ASSERT_TRUE(store_->commit(first).ok());

  Batch second;
  second.grant_replacements.push_back({"app-1", "entra.oauth2PermissionGrants"});
  second.grants = {grant("entra.oauth2PermissionGrants", "Files.Read")};
  ASSERT_TRUE(store_->commit(second).ok());

  auto grants = store_->list_grants("app-1");
  ASSERT_TRUE(grants.ok());
  ASSERT_EQ(grants->size(), 2u);
  EXPECT_EQ((*grants)[0].actions[0], "Mail.Read");
  EXPECT_EQ((*grants)[1].actions[0], "Files.Read");
  EXPECT_EQ((*grants)[1].level, "read");
  EXPECT_EQ((*grants)[1].resource_type, "tenant");
  EXPECT_EQ((*grants)[1].granted_by, "alice@example.com");
  EXPECT_EQ((*grants)[1].origin, "entra.oauth2PermissionGrants");
}

TEST_F(SqliteStoreTest, FindIdentityByNameArnOrKeyId) {
  Batch batch;
  batch.identities.push_back(user("svc-backup"));
  core::Credential key;
  key.platform = "aws";
  key.id = "AKIAEXAMPLEKEY000001";
  key.identity_id = batch.identities[0].id;
  key.kind = "aws_access_key";
  batch.credentials.push_back(key);
  ASSERT_TRUE(store_->commit(batch).ok());

  for (const std::string& query : {std::string("svc-backup"), batch.identities[0].id, key.id}) {
    auto found = store_->find_identities(query);
    ASSERT_TRUE(found.ok());
    ASSERT_EQ(found->size(), 1u) << query;
    EXPECT_EQ(found->front().name, "svc-backup");
  }
  Batch listed;
  core::Credential listed_key = key;
  listed_key.id = "AKIAEXAMPLEKEY000002";
  listed_key.identity_id = "user/svc-backup";  // as the access-keys source writes it
  listed.credentials.push_back(listed_key);
  core::ActivitySummary summary;
  summary.platform = "aws";
  summary.identity_id = batch.identities[0].id;
  summary.credential_id = "AKIAEXAMPLEKEY000003";
  summary.action = "s3.amazonaws.com:GetObject";
  summary.count = 1;
  listed.activity.push_back(summary);
  ASSERT_TRUE(store_->commit(listed).ok());
  for (const std::string& key_id : {std::string("AKIAEXAMPLEKEY000002"), std::string("AKIAEXAMPLEKEY000003")}) {
    auto found = store_->find_identities(key_id);
    ASSERT_TRUE(found.ok());
    ASSERT_EQ(found->size(), 1u) << key_id;
    EXPECT_EQ(found->front().name, "svc-backup");
  }

  auto missing = store_->find_identities("nobody");
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->empty());
}

TEST_F(SqliteStoreTest, AlertsAndActivityAreIdempotent) {
  Batch batch;
  core::Alert alert;
  alert.detector = "aws.iam.credential_created_for_other_principal";
  alert.dedupe_key = "event-1";
  alert.identity = {"aws", "arn:aws:iam::111122223333:user/a", "a"};
  alert.time = 100;
  alert.evidence.push_back({"CreateAccessKey for b", {"trail.json", 42, "event-1"}, 100});
  batch.alerts.push_back(alert);
  core::ActivitySummary summary;
  summary.platform = "aws";
  summary.identity_id = alert.identity.id;
  summary.day = 0;
  summary.action = "iam.amazonaws.com:CreateAccessKey";
  summary.count = 2;
  summary.first_seen = 100;
  summary.last_seen = 200;
  batch.activity.push_back(summary);
  ASSERT_TRUE(store_->commit(batch).ok());
  ASSERT_TRUE(store_->commit(batch).ok());

  auto alerts = store_->list_alerts();
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  ASSERT_EQ(alerts->front().evidence.size(), 1u);
  EXPECT_EQ(alerts->front().evidence[0].source.offset, 42);
  auto activity = store_->list_activity(alert.identity.id);
  ASSERT_TRUE(activity.ok());
  ASSERT_EQ(activity->size(), 1u);
  EXPECT_EQ(activity->front().count, 4);  // activity counts add up; the ledger prevents double reads
}

TEST_F(SqliteStoreTest, FindingsResolveWhenNoLongerProduced) {
  core::Finding finding;
  finding.rule = "aws.access_key.unused";
  finding.identity = {"aws", "arn:aws:iam::111122223333:user/a", "a"};
  finding.credential_id = "AKIAEXAMPLEKEY000001";
  finding.score = 60;
  ASSERT_TRUE(store_->sync_findings({finding}, 1000).ok());
  ASSERT_TRUE(store_->sync_findings({finding}, 2000).ok());
  auto open = store_->list_findings(false);
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->front().first_seen, 1000);
  EXPECT_EQ(open->front().last_seen, 2000);

  ASSERT_TRUE(store_->sync_findings({}, 3000).ok());
  auto remaining = store_->list_findings(false);
  ASSERT_TRUE(remaining.ok());
  EXPECT_TRUE(remaining->empty());
  auto all = store_->list_findings(true);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().status, core::FindingStatus::resolved);
}

TEST_F(SqliteStoreTest, FailedBatchLeavesNothing) {
  // A trigger installed behind the store's back makes the alert insert fail after the identity
  // of the same batch was written.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.string().c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "CREATE TRIGGER reject_alerts BEFORE INSERT ON alerts BEGIN SELECT RAISE(ABORT, 'rejected'); END",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);

  Batch batch;
  batch.identities.push_back(user("half-written"));
  core::Alert alert;
  alert.detector = "test";
  alert.dedupe_key = "1";
  batch.alerts.push_back(alert);
  batch.ledger = LedgerEntry{"hash-1", "a.json", "aws-cloudtrail", 1, 1};
  core::Status status = store_->commit(batch);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("rejected"), std::string::npos) << status.error().message;

  auto identity = store_->get_identity("aws", batch.identities[0].id);
  ASSERT_TRUE(identity.ok());
  EXPECT_FALSE(identity->has_value());
  auto ledger = store_->find_ledger("hash-1");
  ASSERT_TRUE(ledger.ok());
  EXPECT_FALSE(ledger->has_value());
}

TEST_F(SqliteStoreTest, OpenFailsWithPathInMessage) {
  auto opened = open_sqlite_store("/nonexistent-dir/keyward.db");
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("/nonexistent-dir/keyward.db"), std::string::npos);
}

}  // namespace
}  // namespace keyward::store
