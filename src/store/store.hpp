#pragma once

// The store interface: inventory, activity summaries, baselines, findings and alerts. SQLite is
// the embedded default; a PostgreSQL implementation can sit behind the same interface.
// A Store is used from one thread at a time.

#include <memory>
#include <optional>
#include <string>
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
  std::vector<core::Alert> alerts;              // deduplicated on (detector, dedupe_key)
  std::optional<LedgerEntry> ledger;            // recorded so the same content is not read twice
  // Settings written with the batch, e.g. "aws.credential_report.generated_time".
  std::vector<std::pair<std::string, std::string>> settings;
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

  // Replaces the open findings with `findings` as of `as_of`: new ones are opened, ones still
  // present keep their first_seen and status, ones no longer produced are resolved. Acknowledged
  // and muted findings keep their status.
  virtual core::Status sync_findings(const std::vector<core::Finding>& findings, core::UnixTime as_of) = 0;
  virtual core::Result<std::vector<core::Finding>> list_findings(bool include_resolved) = 0;
  virtual core::Result<std::vector<core::Alert>> list_alerts() = 0;

  // Key-value settings kept with the data, e.g. the fingerprint key.
  virtual core::Result<std::optional<std::string>> get_setting(const std::string& key) = 0;
  virtual core::Status put_setting(const std::string& key, const std::string& value) = 0;
};

// Opens (creating if needed) the SQLite store at `path` and applies pending migrations.
core::Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path);

}  // namespace keyward::store
