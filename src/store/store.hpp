#pragma once

// The store interface: inventory, activity summaries, baselines, findings and alerts. SQLite is
// the embedded default; a PostgreSQL implementation can sit behind the same interface.
// A Store is used from one thread at a time.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"

namespace keyward::store {

// One input already ingested, identified by the SHA-256 of its (decompressed) content.
struct LedgerEntry {
  std::string content_sha256;
  std::string path;
  std::string source;
  long long records = 0;
  core::UnixTime ingested_at = 0;
};

// A detector's memory of one value of one dimension for one entity, e.g. entity =
// an access key id, dimension = "country", value = "DE". Dimension "activity" with value "any"
// records when the entity was first and last seen at all.
struct BaselineEntry {
  std::string entity;
  std::string dimension;
  std::string value;
  core::UnixTime first_seen = 0;
  core::UnixTime last_seen = 0;
  long long count = 0;
};

struct IdentityFilter {
  std::string platform;        // empty: all
  bool include_humans = false; // false: machine and unknown only
};

// Replaces the grants of one identity that one export wrote earlier (Grant::origin).
struct GrantReplacement {
  std::string identity_id;
  std::string origin;
};

// Everything an ingest of one input produces, written in one transaction by Store::commit.
struct Batch {
  std::vector<core::Identity> identities;
  // Identities seen acting in activity logs: inserted only when the store does not know them yet,
  // so they never overwrite what an inventory export stored.
  std::vector<core::Identity> observed_identities;
  std::vector<core::Credential> credentials;
  // Grants replace all earlier grants of each identity listed in grant_identities (whatever
  // their origin), and the grants of each (identity, origin) in grant_replacements.
  std::vector<std::string> grant_identities;
  std::vector<GrantReplacement> grant_replacements;
  std::vector<core::Grant> grants;
  std::vector<core::ActivitySummary> activity;  // counts are added to stored counts
  std::vector<BaselineEntry> baselines;         // merged: min first_seen, max last_seen, count added
  // Deduplicated on (detector, dedupe_key): an alert the store already has, whatever its status,
  // is left as it is, so re-ingesting never reopens or duplicates it.
  std::vector<core::Alert> alerts;
  std::optional<LedgerEntry> ledger;            // recorded so the same content is not read twice
  // Settings written with the batch, e.g. "aws.credential_report.generated_time".
  std::vector<std::pair<std::string, std::string>> settings;
};

// A status change requested by a person (`keyward finding ack|resolve|reopen|mute`).
struct FindingStatusChange {
  // core::finding_id of the finding, or a prefix of it with at least kMinFindingIdPrefix digits
  // that matches one finding only.
  std::string finding_id;
  core::FindingStatus status = core::FindingStatus::acknowledged;
  std::string reason;
  std::optional<core::UnixTime> until;  // when a mute expires; only for status muted
  core::UnixTime time = 0;              // when the change is made
  std::string actor;                    // who made it (a login name), or empty
};

inline constexpr size_t kMinFindingIdPrefix = 6;

// One recorded status change of a finding. Changes the posture engine makes (first detection,
// resolution when a finding is no longer produced, reopening, an expired mute) have an empty actor.
struct FindingEvent {
  std::string finding_id;
  std::string rule;
  core::IdentityRef identity;  // name is empty: events keep the key only
  std::string credential_id;
  core::UnixTime time = 0;
  std::optional<core::FindingStatus> from_status;  // empty when the finding was first detected
  core::FindingStatus to_status = core::FindingStatus::open;
  std::string reason;
  std::optional<core::UnixTime> until;
  std::string actor;
};

// A status change of one alert requested by a person (`keyward alert ack|resolve|mute|reopen`).
struct AlertStatusChange {
  // report::alert_id of the alert, or a prefix of it with at least kMinAlertIdPrefix digits that
  // matches one alert only.
  std::string alert_id;
  core::FindingStatus status = core::FindingStatus::acknowledged;
  std::string reason;                   // required except when reopening
  std::optional<core::UnixTime> until;  // when a mute expires; only for status muted
  core::UnixTime time = 0;              // when the change is made
  std::string actor;                    // who made it (a login name), or empty
};

inline constexpr size_t kMinAlertIdPrefix = 6;

// An alert as stored, with its id and the state a person gave it.
struct StoredAlert {
  std::string id;  // report::alert_id
  core::Alert alert;
  std::string status_reason;                   // the reason given with the last status change
  std::optional<core::UnixTime> status_until;  // a mute's expiry
  std::optional<core::UnixTime> stored_at;     // when an ingest first stored it; empty before migration 0004
};

// One recorded status change of an alert. The change made when the alert is first stored, and
// the reopening of an expired mute, have an empty actor.
struct AlertEvent {
  std::string alert_id;
  std::string detector;
  std::string dedupe_key;
  core::UnixTime time = 0;
  std::optional<core::FindingStatus> from_status;  // empty when the alert was first stored
  core::FindingStatus to_status = core::FindingStatus::open;
  std::string reason;
  std::optional<core::UnixTime> until;
  std::string actor;
};

// An alert that a notification channel failed to deliver, waiting to be sent again.
struct NotificationRetry {
  core::Alert alert;
  int attempts = 0;                 // failed deliveries so far
  core::UnixTime first_failed = 0;  // time of the first failed delivery
  std::string last_error;
};

// Conditions on the alerts Store::query_alerts returns; an alert must meet every one.
struct AlertFilter {
  std::vector<core::FindingStatus> states;  // empty: every state
  core::Severity min_severity = core::Severity::info;
  std::string platform;                     // identity platform; empty: all
  // Detector ids; an entry ending in '*' matches every id that starts with the rest. Empty: all.
  std::vector<std::string> detectors;
  std::optional<core::UnixTime> since;      // alert time at or after
  std::optional<core::UnixTime> until;      // alert time at or before
};

class Store {
 public:
  virtual ~Store() = default;

  // Writes the whole batch atomically: either everything lands or nothing does.
  virtual core::Status commit(const Batch& batch) = 0;

  virtual core::Result<std::optional<LedgerEntry>> find_ledger(const std::string& content_sha256) = 0;

  virtual core::Result<std::vector<core::Identity>> list_identities(const IdentityFilter& filter) = 0;
  // Finds an identity by id (ARN), name or one of its credential ids; several can match a name.
  virtual core::Result<std::vector<core::Identity>> find_identities(const std::string& query) = 0;
  virtual core::Result<std::optional<core::Identity>> get_identity(const std::string& platform,
                                                                   const std::string& id) = 0;
  virtual core::Result<std::vector<core::Credential>> list_credentials(const std::string& identity_id) = 0;
  virtual core::Result<std::vector<core::Credential>> list_all_credentials() = 0;
  virtual core::Result<std::vector<core::Grant>> list_grants(const std::string& identity_id) = 0;
  virtual core::Result<std::vector<core::Grant>> list_all_grants() = 0;

  // Activity summaries of one identity (empty id: all), ordered by day.
  virtual core::Result<std::vector<core::ActivitySummary>> list_activity(const std::string& identity_id) = 0;

  virtual core::Result<std::optional<BaselineEntry>> get_baseline(const std::string& entity,
                                                                 const std::string& dimension,
                                                                 const std::string& value) = 0;
  // Number of distinct values stored for (entity, dimension).
  virtual core::Result<long long> count_baseline_values(const std::string& entity,
                                                        const std::string& dimension) = 0;

  // Records the findings one posture run produced as of `as_of` and moves each stored finding to
  // its next status, recording every change as a FindingEvent:
  // - a new finding opens;
  // - a finding still produced keeps its status and first_seen (acknowledged stays acknowledged),
  //   except that a mute whose expiry is before the current wall-clock time reopens it;
  // - a resolved finding produced again by a run with as_of at or after its resolution reopens
  //   with recurring = true. A run on data older than a resolution by hand leaves it resolved;
  // - an open, acknowledged or muted finding that is no longer produced is resolved.
  // The content of every produced finding (title, score, evidence, details) is replaced.
  virtual core::Status sync_findings(const std::vector<core::Finding>& findings, core::UnixTime as_of) = 0;
  virtual core::Result<std::vector<core::Finding>> list_findings(bool include_resolved) = 0;

  // Applies a status change by hand and records it, returning the finding as changed. Fails with
  // not_found when no finding has that id. Fails with invalid_argument when the id prefix is
  // ambiguous, the reason is missing, or the change does not apply: acknowledging or muting a
  // resolved finding, reopening an open one, or a mute expiry not after `change.time`.
  // NOTE: the default implementation returns an error so that test doubles of Store need not
  // implement it; SqliteStore overrides it.
  virtual core::Result<core::Finding> set_finding_status(const FindingStatusChange& change);
  // Returns the recorded status changes of one finding (full id or unique prefix) in the order
  // they were made.
  virtual core::Result<std::vector<FindingEvent>> list_finding_events(const std::string& finding_id);
  virtual core::Result<std::vector<core::Alert>> list_alerts() = 0;

  // Returns the alerts that match `filter`, oldest first. A mute whose expiry is at or before
  // `now` reads as open (the next commit or status change records the reopening).
  // NOTE: the alert methods below have default implementations that return an error, so that
  // test doubles of Store need not implement them; SqliteStore overrides them.
  virtual core::Result<std::vector<StoredAlert>> query_alerts(const AlertFilter& filter, core::UnixTime now);
  // Applies a status change by hand and records it, returning the alert as changed. Fails with
  // not_found when no alert has that id, and with invalid_argument when the id prefix is
  // ambiguous, the reason is missing, or the change does not apply: acknowledging or muting a
  // resolved alert, reopening an open one, or a mute expiry not after `change.time`.
  virtual core::Result<StoredAlert> set_alert_status(const AlertStatusChange& change);
  // Returns the recorded status changes of one alert (full id or unique prefix) in order.
  virtual core::Result<std::vector<AlertEvent>> list_alert_events(const std::string& alert_id);
  // Returns the alerts that commits inserted since the last call, oldest first, and marks them
  // as taken so no later call returns them again. Alerts that a commit ignored because the store
  // already had their (detector, dedupe_key) are never returned. Notification channels send
  // exactly these.
  virtual core::Result<std::vector<core::Alert>> take_new_alerts();

  // Records that `channel` failed to deliver `alerts`, so a later call of
  // list_notification_retries returns them: adds each alert with one attempt, or counts one more
  // attempt for an alert already recorded. `error` must not contain a secret.
  virtual core::Status record_notification_failure(const std::string& channel, const std::vector<core::Alert>& alerts,
                                                   const std::string& error, core::UnixTime now);
  // Returns up to `limit` alerts recorded for `channel`, oldest alert first, with their attempts.
  virtual core::Result<std::vector<NotificationRetry>> list_notification_retries(const std::string& channel,
                                                                                 std::size_t limit);
  // Forgets the recorded failures of `alerts` on `channel`, after delivery or when giving up.
  virtual core::Status clear_notification_retries(const std::string& channel, const std::vector<core::Alert>& alerts);

  // Records the exposures of one scan in one transaction, keyed by fingerprint. A stored
  // exposure keeps its first_seen, takes last_seen = max(stored, scan_time) and the new rule and
  // checksum fields, and gains the locations it did not have yet. An empty verification or
  // match in `exposures` keeps the stored one. Fails with invalid_argument, writing nothing,
  // when an exposure has no fingerprint or rule id.
  // NOTE: the exposure methods have default implementations (list_exposures returns an empty
  // list, the others an error) so that test doubles of Store need not implement them.
  virtual core::Status put_exposures(const std::vector<core::Exposure>& exposures, core::UnixTime scan_time);
  // Returns every stored exposure with its locations, oldest first_seen first.
  virtual core::Result<std::vector<core::Exposure>> list_exposures();
  // Stores the inventory join: sets matched_credential_id and matched_identity_id of each stored
  // exposure to those of the exposure with the same fingerprint, clearing them when empty. Fails
  // with not_found, writing nothing, when a fingerprint is not stored.
  virtual core::Status update_exposure_matches(const std::vector<core::Exposure>& exposures);
  // Returns the key of secrets::fingerprint kept in setting kFingerprintKeySetting, creating it
  // with secrets::new_fingerprint_key() on first use. Fingerprints from different stores differ.
  virtual core::Result<std::string> fingerprint_key();

  // Key-value settings kept with the data, e.g. the fingerprint key.
  virtual core::Result<std::optional<std::string>> get_setting(const std::string& key) = 0;
  virtual core::Status put_setting(const std::string& key, const std::string& value) = 0;
};

inline constexpr std::string_view kFingerprintKeySetting = "secrets.fingerprint_key";

// Opens (creating if needed) the SQLite store at `path` and applies pending migrations.
core::Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path);

}  // namespace keyward::store
