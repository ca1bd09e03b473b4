#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "secrets/inventory_join.hpp"
#include "secrets/secret_text.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace keyward::store {
namespace {

namespace fs = std::filesystem;

constexpr core::UnixTime kFirstScan = 1'700'000'000;
constexpr core::UnixTime kSecondScan = 1'700'086'400;

class SqliteExposuresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("keyward-exposures-test-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    remove_files();
    open();
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
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }

  // Counts the rows of `table` through a connection of its own.
  long long count_rows(const std::string& table) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    long long count = -1;
    if (sqlite3_prepare_v2(db, ("SELECT COUNT(*) FROM " + table).c_str(), -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      count = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
    sqlite3_close_v2(db);
    return count;
  }

  std::vector<core::Exposure> listed() {
    auto exposures = store_->list_exposures();
    EXPECT_TRUE(exposures.ok()) << exposures.error().describe();
    return exposures.ok() ? *exposures : std::vector<core::Exposure>{};
  }

  fs::path path_;
  std::unique_ptr<Store> store_;
};

std::string fingerprint_of(char digit) { return "hmac-sha256:" + std::string(32, digit); }

core::ExposureLocation location(std::string path, long long line, std::string commit = "") {
  core::ExposureLocation place;
  place.path = std::move(path);
  place.line = line;
  place.column = 5;
  place.commit = std::move(commit);
  return place;
}

core::Exposure aws_key_exposure() {
  core::Exposure exposure;
  exposure.fingerprint = fingerprint_of('a');
  exposure.rule_id = "aws.access_key_id";
  exposure.rule_name = "AWS access key id";
  exposure.service = "AWS";
  exposure.category = "cloud";
  exposure.redacted = "AKIA…PLY1";
  exposure.platform = "aws";
  exposure.credential_kind = "aws_access_key";
  exposure.identifier = "AKIAEXAMPLECIDEPLOY1";
  exposure.locations = {location("deploy/vars.tf", 4, "9fceb02d0ae598e95dc970b74767f19372d61af8"),
                        location("README.md", 20)};
  return exposure;
}

TEST_F(SqliteExposuresTest, UpsertTwiceKeepsSameRows) {
  const std::vector<core::Exposure> scan = {aws_key_exposure()};
  ASSERT_TRUE(store_->put_exposures(scan, kFirstScan).ok());
  ASSERT_TRUE(store_->put_exposures(scan, kSecondScan).ok());

  EXPECT_EQ(count_rows("exposures"), 1);
  EXPECT_EQ(count_rows("exposure_locations"), 2);
  const auto exposures = listed();
  ASSERT_EQ(exposures.size(), 1u);
  EXPECT_EQ(exposures[0].first_seen, kFirstScan);
  EXPECT_EQ(exposures[0].last_seen, kSecondScan);
  EXPECT_EQ(exposures[0].identifier, "AKIAEXAMPLECIDEPLOY1");
  EXPECT_EQ(exposures[0].redacted, "AKIA…PLY1");
  ASSERT_EQ(exposures[0].locations.size(), 2u);
  EXPECT_EQ(exposures[0].locations[0].path, "README.md");
  EXPECT_EQ(exposures[0].locations[1].commit, "9fceb02d0ae598e95dc970b74767f19372d61af8");
}

TEST_F(SqliteExposuresTest, OlderScanKeepsLastSeen) {
  ASSERT_TRUE(store_->put_exposures({aws_key_exposure()}, kSecondScan).ok());
  ASSERT_TRUE(store_->put_exposures({aws_key_exposure()}, kFirstScan).ok());
  const auto exposures = listed();
  ASSERT_EQ(exposures.size(), 1u);
  EXPECT_EQ(exposures[0].first_seen, kFirstScan);
  EXPECT_EQ(exposures[0].last_seen, kSecondScan);
}

TEST_F(SqliteExposuresTest, NewLocationsMergeWithoutDuplicates) {
  ASSERT_TRUE(store_->put_exposures({aws_key_exposure()}, kFirstScan).ok());

  core::Exposure rescan = aws_key_exposure();
  rescan.locations[0].author = "dev@example.com";  // the same place, now with its author
  rescan.locations[0].commit_time = kFirstScan - 100;
  rescan.locations.push_back(location("deploy/vars.tf", 4, "1111111111111111111111111111111111111111"));
  core::ExposureLocation encoded = location("README.md", 20);
  encoded.encoding = "base64";
  rescan.locations.push_back(encoded);
  ASSERT_TRUE(store_->put_exposures({rescan}, kSecondScan).ok());

  EXPECT_EQ(count_rows("exposure_locations"), 4);
  const auto exposures = listed();
  ASSERT_EQ(exposures.size(), 1u);
  ASSERT_EQ(exposures[0].locations.size(), 4u);
  const auto& original = exposures[0].locations[3];
  EXPECT_EQ(original.commit, "9fceb02d0ae598e95dc970b74767f19372d61af8");
  EXPECT_EQ(original.author, "dev@example.com");
  EXPECT_EQ(original.commit_time, kFirstScan - 100);
}

TEST_F(SqliteExposuresTest, EmptyVerificationKeepsStoredOne) {
  core::Exposure verified = aws_key_exposure();
  verified.verification = "active";
  verified.matched_credential_id = "AKIAEXAMPLECIDEPLOY1";
  verified.matched_identity_id = "arn:aws:iam::111122223333:user/ci-deployer";
  ASSERT_TRUE(store_->put_exposures({verified}, kFirstScan).ok());
  ASSERT_TRUE(store_->put_exposures({aws_key_exposure()}, kSecondScan).ok());

  const auto exposures = listed();
  ASSERT_EQ(exposures.size(), 1u);
  EXPECT_EQ(exposures[0].verification, "active");
  EXPECT_EQ(exposures[0].matched_credential_id, "AKIAEXAMPLECIDEPLOY1");
  EXPECT_EQ(exposures[0].matched_identity_id, "arn:aws:iam::111122223333:user/ci-deployer");
}

TEST_F(SqliteExposuresTest, UpdateMatchesSetsAndClears) {
  ASSERT_TRUE(store_->put_exposures({aws_key_exposure()}, kFirstScan).ok());
  core::Exposure matched = aws_key_exposure();
  matched.matched_credential_id = "AKIAEXAMPLECIDEPLOY1";
  matched.matched_identity_id = "arn:aws:iam::111122223333:user/ci-deployer";
  ASSERT_TRUE(store_->update_exposure_matches({matched}).ok());
  EXPECT_EQ(listed().at(0).matched_credential_id, "AKIAEXAMPLECIDEPLOY1");

  ASSERT_TRUE(store_->update_exposure_matches({aws_key_exposure()}).ok());
  EXPECT_EQ(listed().at(0).matched_credential_id, "");
  EXPECT_EQ(listed().at(0).matched_identity_id, "");
}

TEST_F(SqliteExposuresTest, UpdateMatchesOfUnknownFingerprintWritesNothing) {
  ASSERT_TRUE(store_->put_exposures({aws_key_exposure()}, kFirstScan).ok());
  core::Exposure matched = aws_key_exposure();
  matched.matched_credential_id = "AKIAEXAMPLECIDEPLOY1";
  core::Exposure unknown = aws_key_exposure();
  unknown.fingerprint = fingerprint_of('b');

  const core::Status status = store_->update_exposure_matches({matched, unknown});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::not_found);
  EXPECT_NE(status.error().message.find(fingerprint_of('b')), std::string::npos) << status.error().message;
  EXPECT_EQ(listed().at(0).matched_credential_id, "") << "the first update was not rolled back";
}

TEST_F(SqliteExposuresTest, RawSecretInHashColumnRejected) {
  core::Exposure raw = aws_key_exposure();
  raw.fingerprint = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  const core::Status status = store_->put_exposures({aws_key_exposure(), raw}, kFirstScan);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::invalid_argument);
  EXPECT_NE(status.error().message.find("exposure 2"), std::string::npos) << status.error().message;
  EXPECT_EQ(status.error().message.find("wJalr"), std::string::npos) << "the error repeats the rejected value";
  EXPECT_EQ(count_rows("exposures"), 0) << "the valid exposure of the same call was stored";
}

TEST_F(SqliteExposuresTest, UnredactedFormRejected) {
  core::Exposure raw = aws_key_exposure();
  raw.redacted = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  EXPECT_FALSE(store_->put_exposures({raw}, kFirstScan).ok());

  core::Exposure bad_join_key = aws_key_exposure();
  bad_join_key.join_key = "ab12cd34";  // a raw last eight instead of its keyed hash
  EXPECT_FALSE(store_->put_exposures({bad_join_key}, kFirstScan).ok());
  EXPECT_EQ(count_rows("exposures"), 0);
}

TEST_F(SqliteExposuresTest, FingerprintKeyStableAcrossReopen) {
  auto key = store_->fingerprint_key();
  ASSERT_TRUE(key.ok()) << key.error().describe();
  EXPECT_EQ(key->size(), 64u);
  auto again = store_->fingerprint_key();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *key);

  store_.reset();
  open();
  auto reopened = store_->fingerprint_key();
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*reopened, *key);
  auto setting = store_->get_setting(std::string(kFingerprintKeySetting));
  ASSERT_TRUE(setting.ok());
  EXPECT_EQ(setting->value_or(""), *key);
}

TEST_F(SqliteExposuresTest, FingerprintKeyDiffersBetweenStores) {
  auto key = store_->fingerprint_key();
  ASSERT_TRUE(key.ok());
  store_.reset();
  remove_files();
  open();
  auto fresh = store_->fingerprint_key();
  ASSERT_TRUE(fresh.ok());
  EXPECT_NE(*fresh, *key);
}

TEST_F(SqliteExposuresTest, ShortFingerprintKeyRejected) {
  ASSERT_TRUE(store_->put_setting(std::string(kFingerprintKeySetting), "changeme").ok());
  auto key = store_->fingerprint_key();
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().message.find("secrets.fingerprint_key"), std::string::npos) << key.error().message;
}

// Returns every byte of the database file and of its WAL file, when one exists.
std::string file_bytes(const fs::path& path) {
  std::string bytes;
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(path.string() + suffix, std::ios::binary);
    if (!in) continue;
    std::ostringstream content;
    content << in.rdbuf();
    bytes += content.str();
  }
  return bytes;
}

// Returns every value of every table as text, through a connection of its own.
std::string dump_tables(const fs::path& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::vector<std::string> tables;
  sqlite3_stmt* list = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &list, nullptr);
  while (sqlite3_step(list) == SQLITE_ROW) tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(list, 0)));
  sqlite3_finalize(list);

  std::string dump;
  for (const auto& table : tables) {
    sqlite3_stmt* rows = nullptr;
    sqlite3_prepare_v2(db, ("SELECT * FROM \"" + table + "\"").c_str(), -1, &rows, nullptr);
    while (sqlite3_step(rows) == SQLITE_ROW) {
      for (int column = 0; column < sqlite3_column_count(rows); ++column) {
        const unsigned char* text = sqlite3_column_text(rows, column);
        if (text) dump += std::string(reinterpret_cast<const char*>(text)) + "\n";
      }
    }
    sqlite3_finalize(rows);
  }
  sqlite3_close_v2(db);
  return dump;
}

TEST_F(SqliteExposuresTest, CanaryNeverReachesDatabase) {
  // A made-up classic token: the format only, no real credential.
  const std::string canary = "ghp_CANARYzq81Lm0Xv6TtPbW3nRk9YcJ2hGdF4sAe";
  const std::string middle = canary.substr(4, canary.size() - 8);
  const std::string last_eight = canary.substr(canary.size() - 8);
  auto key = store_->fingerprint_key();
  ASSERT_TRUE(key.ok());

  core::Exposure exposure;
  exposure.fingerprint = secrets::fingerprint(*key, canary);
  exposure.rule_id = "github.pat.classic";
  exposure.rule_name = "GitHub personal access token (classic)";
  exposure.service = "GitHub";
  exposure.redacted = secrets::redact(canary, 4);
  exposure.checksum_valid = true;
  exposure.platform = "github";
  exposure.join_key = secrets::github_join_key(*key, canary);
  exposure.locations = {location("tools/release.cfg", 12, "9fceb02d0ae598e95dc970b74767f19372d61af8")};
  ASSERT_TRUE(store_->put_exposures({exposure}, kFirstScan).ok());
  exposure.matched_credential_id = "token:12345678";
  exposure.matched_identity_id = "token:12345678";
  ASSERT_TRUE(store_->update_exposure_matches({exposure}).ok());

  for (std::string_view stage : {"open", "closed"}) {
    SCOPED_TRACE(std::string(stage));
    if (stage == "closed") store_.reset();  // closing checkpoints the WAL into the main file
    const std::string bytes = file_bytes(path_);
    const std::string dump = dump_tables(path_);
    // Controls: the redacted form is stored, so both searches read the stored data.
    EXPECT_NE(bytes.find(exposure.redacted), std::string::npos);
    EXPECT_NE(dump.find(exposure.redacted), std::string::npos);
    for (const std::string& secret_part : {canary, middle, last_eight}) {
      EXPECT_EQ(bytes.find(secret_part), std::string::npos) << "the database file contains part of the canary";
      EXPECT_EQ(dump.find(secret_part), std::string::npos) << "a table contains part of the canary";
    }
  }
}

}  // namespace
}  // namespace keyward::store
