#pragma once

#include <sqlite3.h>

#include <string>

#include "store/store.hpp"

namespace keyward::store::sqlite {

// The embedded store: one SQLite file in WAL mode. Each commit() is one transaction, so a failed
// input leaves nothing behind. Not thread-safe; several processes may share the file (SQLite
// locking, with a busy timeout).
class SqliteStore final : public Store {
 public:
  // Takes ownership of an open connection.
  explicit SqliteStore(sqlite3* db);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Applies the migrations not yet recorded in schema_migrations.
  core::Status migrate();

  core::Status commit(const Batch& batch) override;
  core::Result<std::optional<LedgerEntry>> find_ledger(const std::string& content_sha256) override;
  core::Result<std::vector<core::Identity>> list_identities(const IdentityFilter& filter) override;
  core::Result<std::vector<core::Identity>> find_identities(const std::string& query) override;
  core::Result<std::optional<core::Identity>> get_identity(const std::string& platform,
                                                           const std::string& id) override;
  core::Result<std::vector<core::Credential>> list_credentials(const std::string& identity_id) override;
  core::Result<std::vector<core::Credential>> list_all_credentials() override;
  core::Result<std::vector<core::Grant>> list_grants(const std::string& identity_id) override;
  core::Result<std::vector<core::Grant>> list_all_grants() override;
  core::Result<std::vector<core::ActivitySummary>> list_activity(const std::string& identity_id) override;
  core::Result<std::optional<BaselineEntry>> get_baseline(const std::string& entity, const std::string& dimension,
                                                         const std::string& value) override;
  core::Result<long long> count_baseline_values(const std::string& entity, const std::string& dimension) override;
  core::Status sync_findings(const std::vector<core::Finding>& findings, core::UnixTime as_of) override;
  core::Result<std::vector<core::Finding>> list_findings(bool include_resolved) override;
  core::Result<core::Finding> set_finding_status(const FindingStatusChange& change) override;
  core::Result<std::vector<FindingEvent>> list_finding_events(const std::string& finding_id) override;
  core::Result<std::vector<core::Alert>> list_alerts() override;
  core::Result<std::vector<StoredAlert>> query_alerts(const AlertFilter& filter, core::UnixTime now) override;
  core::Result<StoredAlert> set_alert_status(const AlertStatusChange& change) override;
  core::Result<std::vector<AlertEvent>> list_alert_events(const std::string& alert_id) override;
  core::Result<std::vector<core::Alert>> take_new_alerts() override;
  core::Status record_notification_failure(const std::string& channel, const std::vector<core::Alert>& alerts,
                                           const std::string& error, core::UnixTime now) override;
  core::Result<std::vector<NotificationRetry>> list_notification_retries(const std::string& channel,
                                                                         std::size_t limit) override;
  core::Status clear_notification_retries(const std::string& channel, const std::vector<core::Alert>& alerts) override;
  // Defined in sqlite_exposures.cpp.
  core::Status put_exposures(const std::vector<core::Exposure>& exposures, core::UnixTime scan_time) override;
  core::Result<std::vector<core::Exposure>> list_exposures() override;
  core::Status update_exposure_matches(const std::vector<core::Exposure>& exposures) override;
  core::Result<std::string> fingerprint_key() override;
  core::Result<std::optional<std::string>> get_setting(const std::string& key) override;
  core::Status put_setting(const std::string& key, const std::string& value) override;

 private:
  core::Status write_batch(const Batch& batch);
  core::Status upsert_identity(const core::Identity& identity);
  core::Status insert_observed_identity(const core::Identity& identity);
  core::Status upsert_credential(const core::Credential& credential);
  core::Status replace_grants(const Batch& batch);
  core::Status add_activity(const core::ActivitySummary& summary);
  core::Status merge_baseline(const BaselineEntry& entry);
  // Defined in sqlite_alerts.cpp.
  core::Status insert_alert(const core::Alert& alert, core::UnixTime now);
  core::Status reopen_expired_alert_mutes(core::UnixTime now);
  core::Result<StoredAlert> find_alert(const std::string& alert_id, core::UnixTime now);
  core::Status record_alert_event(const AlertEvent& event);
  // Defined in sqlite_findings.cpp.
  core::Status write_findings(const std::vector<core::Finding>& findings, core::UnixTime as_of, core::UnixTime now);
  core::Result<core::Finding> find_finding(const std::string& finding_id);
  core::Status apply_status_change(const core::Finding& finding, const FindingStatusChange& change);
  core::Status record_finding_event(const FindingEvent& event);
  // Defined in sqlite_exposures.cpp.
  core::Status write_exposures(const std::vector<core::Exposure>& exposures, core::UnixTime scan_time);
  core::Status write_exposure_matches(const std::vector<core::Exposure>& exposures);

  sqlite3* db_;
};

}  // namespace keyward::store::sqlite
