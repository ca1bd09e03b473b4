#include "store/sqlite/sqlite_store.hpp"

#include <fmt/format.h>

#include "core/model_json.hpp"
#include "store/migrations.hpp"
#include "store/sqlite/row_helpers.hpp"
#include "store/sqlite/statement.hpp"

namespace keyward::store::sqlite {
namespace {

using core::ErrorCode;
using core::make_error;
using nlohmann::json;

core::Identity read_identity(const Statement& row) {
  core::Identity identity;
  identity.platform = row.text(0);
  identity.id = row.text(1);
  identity.kind = row.text(2);
  identity.name = row.text(3);
  identity.account = row.text(4);
  identity.owner = row.text(5);
  identity.vendor = row.text(6);
  identity.created = row.optional_integer(7);
  identity.last_used = row.optional_integer(8);
  identity.status = row.text(9);
  const std::string classification = row.text(10);
  identity.classification = classification == "machine" ? core::Classification::machine
                            : classification == "human" ? core::Classification::human
                                                        : core::Classification::unknown;
  identity.classification_reason = row.text(11);
  identity.attributes = parse_json_column(row.text(12), json::object());
  return identity;
}

constexpr std::string_view kIdentityColumns =
    "platform, id, kind, name, account, owner, vendor, created, last_used, status, classification, "
    "classification_reason, attributes";

core::Credential read_credential(const Statement& row) {
  core::Credential credential;
  credential.platform = row.text(0);
  credential.id = row.text(1);
  credential.identity_id = row.text(2);
  credential.kind = row.text(3);
  credential.fingerprint = row.text(4);
  credential.status = row.text(5);
  credential.created = row.optional_integer(6);
  credential.last_used = row.optional_integer(7);
  credential.last_rotated = row.optional_integer(8);
  credential.expires = row.optional_integer(9);
  credential.last_used_service = row.text(10);
  credential.last_used_region = row.text(11);
  credential.attributes = parse_json_column(row.text(12), json::object());
  return credential;
}

constexpr std::string_view kCredentialColumns =
    "platform, id, identity_id, kind, fingerprint, status, created, last_used, last_rotated, expires, "
    "last_used_service, last_used_region, attributes";

core::Grant read_grant(const Statement& row) {
  core::Grant grant;
  grant.platform = row.text(0);
  grant.identity_id = row.text(1);
  grant.effect = row.text(2);
  json actions = parse_json_column(row.text(3), json::array());
  if (actions.is_array()) grant.actions = actions.get<std::vector<std::string>>();
  grant.not_action = row.integer(4) != 0;
  json resources = parse_json_column(row.text(5), json::array());
  if (resources.is_array()) grant.resources = resources.get<std::vector<std::string>>();
  grant.not_resource = row.integer(6) != 0;
  grant.condition = parse_json_column(row.text(7), nullptr);
  grant.source_policy = row.text(8);
  grant.via = row.text(9);
  grant.level = row.text(10);
  grant.resource_type = row.text(11);
  grant.granted_by = row.text(12);
  grant.origin = row.text(13);
  return grant;
}

constexpr std::string_view kGrantColumns =
    "platform, identity_id, effect, actions, not_action, resources, not_resource, condition, source_policy, via, "
    "level, resource_type, granted_by, origin";

}  // namespace

SqliteStore::SqliteStore(sqlite3* db) : db_(db) {}

SqliteStore::~SqliteStore() { sqlite3_close_v2(db_); }

core::Status SqliteStore::migrate() {
  if (auto status = execute(db_, "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)"); !status) {
    return status;
  }
  for (const Migration& migration : migrations()) {
    Statement applied(db_, "SELECT 1 FROM schema_migrations WHERE name = ?");
    applied.bind(1, migration.name);
    if (applied.step()) continue;
    if (!applied.error().empty()) return store_error("reading schema_migrations", applied.error());

    if (auto status = execute(db_, "BEGIN IMMEDIATE"); !status) return status;
    core::Status status = execute(db_, migration.sql);
    if (status) {
      Statement record(db_, "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)");
      record.bind(1, migration.name).bind(2, static_cast<long long>(core::now()));
      status = record.run();
    }
    if (!status) {
      (void)execute(db_, "ROLLBACK");
      return store_error(fmt::format("applying migration {}", migration.name), status.error().message);
    }
    if (auto commit_status = execute(db_, "COMMIT"); !commit_status) return commit_status;
  }
  return {};
}

core::Status SqliteStore::commit(const Batch& batch) {
  if (auto status = execute(db_, "BEGIN IMMEDIATE"); !status) {
    return store_error("starting a transaction", status.error().message);
  }
  core::Status status = write_batch(batch);
  if (!status) {
    (void)execute(db_, "ROLLBACK");
    return status;
  }
  if (auto commit_status = execute(db_, "COMMIT"); !commit_status) {
    (void)execute(db_, "ROLLBACK");
    return store_error("committing", commit_status.error().message);
  }
  return {};
}

core::Status SqliteStore::write_batch(const Batch& batch) {
  for (const auto& identity : batch.identities) {
    if (auto status = upsert_identity(identity); !status) return status;
  }
  for (const auto& identity : batch.observed_identities) {
    if (auto status = insert_observed_identity(identity); !status) return status;
  }
  for (const auto& credential : batch.credentials) {
    if (auto status = upsert_credential(credential); !status) return status;
  }
  if (auto status = replace_grants(batch); !status) return status;
  for (const auto& summary : batch.activity) {
    if (auto status = add_activity(summary); !status) return status;
  }
  for (const auto& entry : batch.baselines) {
    if (auto status = merge_baseline(entry); !status) return status;
  }
  const core::UnixTime now = core::now();
  for (const auto& alert : batch.alerts) {
    if (auto status = insert_alert(alert, now); !status) return status;
  }
  if (auto status = reopen_expired_alert_mutes(now); !status) return status;
  for (const auto& [key, value] : batch.settings) {
    if (auto status = put_setting(key, value); !status) return status;
  }
  if (batch.ledger) {
    Statement insert(db_, "INSERT OR REPLACE INTO ledger (content_sha256, path, source, records, ingested_at) VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, batch.ledger->content_sha256).bind(2, batch.ledger->path).bind(3, batch.ledger->source);
    insert.bind(4, batch.ledger->records).bind(5, static_cast<long long>(batch.ledger->ingested_at));
    if (auto status = insert.run(); !status) return store_error("recording the ledger entry", status.error().message);
  }
  return {};
}

// Several sources describe the same identity (the authorization details, the credential report):
// each upsert fills the fields it has and keeps what others stored. Attributes are merged key by key.
// Attribute arrays that accumulate across exports instead of being replaced: an Entra app's
// object ids come from two exports, and per-user token exports each name one connecting user.
std::string merged_identity_attributes_sql() {
  std::string expression = "json_patch(attributes, excluded.attributes)";
  for (std::string_view key : {core::attribute::kAliases, core::attribute::kConnectedBy}) {
    expression = fmt::format(
        "CASE WHEN json_type(attributes, '$.{0}') = 'array' AND json_type(excluded.attributes, '$.{0}') = 'array' "
        "THEN json_set({1}, '$.{0}', json((SELECT json_group_array(value) FROM ("
        "SELECT value FROM json_each(attributes, '$.{0}') UNION SELECT value FROM json_each(excluded.attributes, '$.{0}')))))"
        " ELSE {1} END",
        key, expression);
  }
  return expression;
}

core::Status SqliteStore::upsert_identity(const core::Identity& identity) {
  static const std::string sql = fmt::format(R"sql(
    INSERT INTO identities (platform, id, kind, name, account, owner, vendor, created, last_used, status,
                            classification, classification_reason, attributes)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
    ON CONFLICT (platform, id) DO UPDATE SET
      kind = CASE WHEN excluded.kind != '' THEN excluded.kind ELSE kind END,
      name = CASE WHEN excluded.name != '' THEN excluded.name ELSE name END,
      account = CASE WHEN excluded.account != '' THEN excluded.account ELSE account END,
      owner = CASE WHEN excluded.owner != '' THEN excluded.owner ELSE owner END,
      vendor = CASE WHEN excluded.vendor != '' THEN excluded.vendor ELSE vendor END,
      created = COALESCE(excluded.created, created),
      last_used = CASE WHEN last_used IS NULL OR excluded.last_used > last_used THEN COALESCE(excluded.last_used, last_used) ELSE last_used END,
      status = excluded.status,
      classification = CASE WHEN excluded.classification != 'unknown' THEN excluded.classification ELSE classification END,
      classification_reason = CASE WHEN excluded.classification != 'unknown' THEN excluded.classification_reason ELSE classification_reason END,
      attributes = {}
  )sql", merged_identity_attributes_sql());
  Statement upsert(db_, sql);
  upsert.bind(1, identity.platform).bind(2, identity.id).bind(3, identity.kind).bind(4, identity.name);
  upsert.bind(5, identity.account).bind(6, identity.owner).bind(7, identity.vendor);
  upsert.bind(8, identity.created).bind(9, identity.last_used).bind(10, identity.status);
  upsert.bind(11, core::to_string(identity.classification)).bind(12, identity.classification_reason);
  upsert.bind(13, identity.attributes.is_object() ? identity.attributes.dump() : std::string("{}"));
  if (auto status = upsert.run(); !status) {
    return store_error(fmt::format("storing identity {}", identity.id), status.error().message);
  }
  return {};
}

core::Status SqliteStore::insert_observed_identity(const core::Identity& identity) {
  Statement insert(db_, R"sql(
    INSERT OR IGNORE INTO identities (platform, id, kind, name, account, status, classification, classification_reason)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
  )sql");
  insert.bind(1, identity.platform).bind(2, identity.id).bind(3, identity.kind).bind(4, identity.name);
  insert.bind(5, identity.account).bind(6, identity.status).bind(7, core::to_string(identity.classification));
  insert.bind(8, identity.classification_reason);
  if (auto status = insert.run(); !status) {
    return store_error(fmt::format("storing identity {}", identity.id), status.error().message);
  }
  return {};
}

core::Status SqliteStore::upsert_credential(const core::Credential& credential) {
  Statement upsert(db_, R"sql(
    INSERT INTO credentials (platform, id, identity_id, kind, fingerprint, status, created, last_used, last_rotated,
                             expires, last_used_service, last_used_region, attributes)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
    ON CONFLICT (platform, id) DO UPDATE SET
      identity_id = CASE WHEN excluded.identity_id != '' THEN excluded.identity_id ELSE identity_id END,
      kind = CASE WHEN excluded.kind != '' THEN excluded.kind ELSE kind END,
      fingerprint = CASE WHEN excluded.fingerprint != '' THEN excluded.fingerprint ELSE fingerprint END,
      status = excluded.status,
      created = COALESCE(excluded.created, created),
      last_used = CASE WHEN last_used IS NULL OR excluded.last_used > last_used THEN COALESCE(excluded.last_used, last_used) ELSE last_used END,
      last_rotated = COALESCE(excluded.last_rotated, last_rotated),
      expires = COALESCE(excluded.expires, expires),
      last_used_service = CASE WHEN excluded.last_used_service != '' THEN excluded.last_used_service ELSE last_used_service END,
      last_used_region = CASE WHEN excluded.last_used_region != '' THEN excluded.last_used_region ELSE last_used_region END,
      attributes = json_patch(attributes, excluded.attributes)
  )sql");
  upsert.bind(1, credential.platform).bind(2, credential.id).bind(3, credential.identity_id);
  upsert.bind(4, credential.kind).bind(5, credential.fingerprint).bind(6, credential.status);
  upsert.bind(7, credential.created).bind(8, credential.last_used).bind(9, credential.last_rotated);
  upsert.bind(10, credential.expires).bind(11, credential.last_used_service).bind(12, credential.last_used_region);
  upsert.bind(13, credential.attributes.is_object() ? credential.attributes.dump() : std::string("{}"));
  if (auto status = upsert.run(); !status) {
    return store_error(fmt::format("storing credential {}", credential.id), status.error().message);
  }
  return {};
}

core::Status SqliteStore::replace_grants(const Batch& batch) {
  for (const auto& identity_id : batch.grant_identities) {
    Statement remove(db_, "DELETE FROM grants WHERE identity_id = ?");
    remove.bind(1, identity_id);
    if (auto status = remove.run(); !status) return store_error("replacing grants", status.error().message);
  }
  for (const auto& replacement : batch.grant_replacements) {
    Statement remove(db_, "DELETE FROM grants WHERE identity_id = ? AND origin = ?");
    remove.bind(1, replacement.identity_id).bind(2, replacement.origin);
    if (auto status = remove.run(); !status) return store_error("replacing grants", status.error().message);
  }
  Statement insert(db_, fmt::format("INSERT INTO grants ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kGrantColumns));
  for (const auto& grant : batch.grants) {
    insert.reset();
    insert.bind(1, grant.platform).bind(2, grant.identity_id).bind(3, grant.effect);
    insert.bind(4, json(grant.actions).dump()).bind(5, grant.not_action ? 1LL : 0LL);
    insert.bind(6, json(grant.resources).dump()).bind(7, grant.not_resource ? 1LL : 0LL);
    insert.bind(8, grant.condition.dump()).bind(9, grant.source_policy).bind(10, grant.via);
    insert.bind(11, grant.level).bind(12, grant.resource_type).bind(13, grant.granted_by).bind(14, grant.origin);
    if (auto status = insert.run(); !status) return store_error("storing a grant", status.error().message);
  }
  return {};
}

core::Status SqliteStore::add_activity(const core::ActivitySummary& summary) {
  Statement upsert(db_, R"sql(
    INSERT INTO activity (platform, identity_id, credential_id, day, action, network, user_agent_family, error_code,
                          count, first_seen, last_seen)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
    ON CONFLICT (platform, identity_id, credential_id, day, action, network, user_agent_family, error_code) DO UPDATE SET
      count = count + excluded.count,
      first_seen = MIN(first_seen, excluded.first_seen),
      last_seen = MAX(last_seen, excluded.last_seen)
  )sql");
  upsert.bind(1, summary.platform).bind(2, summary.identity_id).bind(3, summary.credential_id);
  upsert.bind(4, static_cast<long long>(summary.day)).bind(5, summary.action).bind(6, summary.network);
  upsert.bind(7, summary.user_agent_family).bind(8, summary.error_code).bind(9, summary.count);
  upsert.bind(10, static_cast<long long>(summary.first_seen)).bind(11, static_cast<long long>(summary.last_seen));
  if (auto status = upsert.run(); !status) return store_error("storing activity", status.error().message);
  return {};
}

core::Status SqliteStore::merge_baseline(const BaselineEntry& entry) {
  Statement upsert(db_, R"sql(
    INSERT INTO baselines (entity, dimension, value, first_seen, last_seen, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
    ON CONFLICT (entity, dimension, value) DO UPDATE SET
      first_seen = MIN(first_seen, excluded.first_seen),
      last_seen = MAX(last_seen, excluded.last_seen),
      count = count + excluded.count
  )sql");
  upsert.bind(1, entry.entity).bind(2, entry.dimension).bind(3, entry.value);
  upsert.bind(4, static_cast<long long>(entry.first_seen)).bind(5, static_cast<long long>(entry.last_seen));
  upsert.bind(6, entry.count);
  if (auto status = upsert.run(); !status) return store_error("storing a baseline", status.error().message);
  return {};
}

core::Result<std::optional<LedgerEntry>> SqliteStore::find_ledger(const std::string& content_sha256) {
  Statement query(db_, "SELECT content_sha256, path, source, records, ingested_at FROM ledger WHERE content_sha256 = ?");
  query.bind(1, content_sha256);
  if (query.step()) {
    return std::optional<LedgerEntry>(LedgerEntry{query.text(0), query.text(1), query.text(2), query.integer(3), query.integer(4)});
  }
  if (!query.error().empty()) return store_error("reading the ledger", query.error());
  return std::optional<LedgerEntry>();
}

core::Result<std::vector<core::Identity>> SqliteStore::list_identities(const IdentityFilter& filter) {
  Statement query(db_, fmt::format("SELECT {} FROM identities WHERE (?1 = '' OR platform = ?1) AND (?2 = 1 OR classification != 'human') ORDER BY platform, name, id", kIdentityColumns));
  query.bind(1, filter.platform).bind(2, filter.include_humans ? 1LL : 0LL);
  std::vector<core::Identity> identities;
  while (query.step()) identities.push_back(read_identity(query));
  if (!query.error().empty()) return store_error("listing identities", query.error());
  return identities;
}

core::Result<std::vector<core::Identity>> SqliteStore::find_identities(const std::string& search) {
  Statement query(db_, fmt::format(
      // A key id matches its holder through the credentials table (where key listings name the
      // holder "user/NAME" because `aws iam list-access-keys` prints no ARN) or through activity.
      "SELECT {} FROM identities WHERE id = ?1 OR name = ?1"
      " OR id IN (SELECT identity_id FROM credentials WHERE id = ?1)"
      " OR (kind = 'iam_user' AND 'user/' || name IN (SELECT identity_id FROM credentials WHERE id = ?1))"
      " OR id IN (SELECT identity_id FROM activity WHERE credential_id = ?1)"
      " ORDER BY platform, id",
      kIdentityColumns));
  query.bind(1, search);
  std::vector<core::Identity> identities;
  while (query.step()) identities.push_back(read_identity(query));
  if (!query.error().empty()) return store_error("finding identities", query.error());
  return identities;
}

core::Result<std::optional<core::Identity>> SqliteStore::get_identity(const std::string& platform, const std::string& id) {
  Statement query(db_, fmt::format("SELECT {} FROM identities WHERE platform = ? AND id = ?", kIdentityColumns));
  query.bind(1, platform).bind(2, id);
  if (query.step()) return std::optional<core::Identity>(read_identity(query));
  if (!query.error().empty()) return store_error("reading an identity", query.error());
  return std::optional<core::Identity>();
}

core::Result<std::vector<core::Credential>> SqliteStore::list_credentials(const std::string& identity_id) {
  Statement query(db_, fmt::format("SELECT {} FROM credentials WHERE identity_id = ? ORDER BY id", kCredentialColumns));
  query.bind(1, identity_id);
  std::vector<core::Credential> credentials;
  while (query.step()) credentials.push_back(read_credential(query));
  if (!query.error().empty()) return store_error("listing credentials", query.error());
  return credentials;
}

core::Result<std::vector<core::Credential>> SqliteStore::list_all_credentials() {
  Statement query(db_, fmt::format("SELECT {} FROM credentials ORDER BY identity_id, id", kCredentialColumns));
  std::vector<core::Credential> credentials;
  while (query.step()) credentials.push_back(read_credential(query));
  if (!query.error().empty()) return store_error("listing credentials", query.error());
  return credentials;
}

core::Result<std::vector<core::Grant>> SqliteStore::list_grants(const std::string& identity_id) {
  Statement query(db_, fmt::format("SELECT {} FROM grants WHERE identity_id = ? ORDER BY rowid", kGrantColumns));
  query.bind(1, identity_id);
  std::vector<core::Grant> grants;
  while (query.step()) grants.push_back(read_grant(query));
  if (!query.error().empty()) return store_error("listing grants", query.error());
  return grants;
}

core::Result<std::vector<core::Grant>> SqliteStore::list_all_grants() {
  Statement query(db_, fmt::format("SELECT {} FROM grants ORDER BY identity_id, rowid", kGrantColumns));
  std::vector<core::Grant> grants;
  while (query.step()) grants.push_back(read_grant(query));
  if (!query.error().empty()) return store_error("listing grants", query.error());
  return grants;
}

core::Result<std::vector<core::ActivitySummary>> SqliteStore::list_activity(const std::string& identity_id) {
  Statement query(db_, R"sql(
    SELECT platform, identity_id, credential_id, day, action, network, user_agent_family, error_code, count,
           first_seen, last_seen
    FROM activity WHERE (?1 = '' OR identity_id = ?1) ORDER BY day, identity_id, action)sql");
  query.bind(1, identity_id);
  std::vector<core::ActivitySummary> summaries;
  while (query.step()) {
    core::ActivitySummary summary;
    summary.platform = query.text(0);
    summary.identity_id = query.text(1);
    summary.credential_id = query.text(2);
    summary.day = query.integer(3);
    summary.action = query.text(4);
    summary.network = query.text(5);
    summary.user_agent_family = query.text(6);
    summary.error_code = query.text(7);
    summary.count = query.integer(8);
    summary.first_seen = query.integer(9);
    summary.last_seen = query.integer(10);
    summaries.push_back(std::move(summary));
  }
  if (!query.error().empty()) return store_error("listing activity", query.error());
  return summaries;
}

core::Result<std::optional<BaselineEntry>> SqliteStore::get_baseline(const std::string& entity, const std::string& dimension,
                                                                     const std::string& value) {
  Statement query(db_, "SELECT first_seen, last_seen, count FROM baselines WHERE entity = ? AND dimension = ? AND value = ?");
  query.bind(1, entity).bind(2, dimension).bind(3, value);
  if (query.step()) {
    return std::optional<BaselineEntry>(BaselineEntry{entity, dimension, value, query.integer(0), query.integer(1), query.integer(2)});
  }
  if (!query.error().empty()) return store_error("reading a baseline", query.error());
  return std::optional<BaselineEntry>();
}

core::Result<long long> SqliteStore::count_baseline_values(const std::string& entity, const std::string& dimension) {
  Statement query(db_, "SELECT COUNT(*) FROM baselines WHERE entity = ? AND dimension = ?");
  query.bind(1, entity).bind(2, dimension);
  if (query.step()) return query.integer(0);
  return store_error("counting baseline values", query.error());
}

core::Result<std::optional<std::string>> SqliteStore::get_setting(const std::string& key) {
  Statement query(db_, "SELECT value FROM settings WHERE key = ?");
  query.bind(1, key);
  if (query.step()) return std::optional<std::string>(query.text(0));
  if (!query.error().empty()) return store_error("reading a setting", query.error());
  return std::optional<std::string>();
}

core::Status SqliteStore::put_setting(const std::string& key, const std::string& value) {
  Statement upsert(db_, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  upsert.bind(1, key).bind(2, value);
  if (auto status = upsert.run(); !status) return store_error(fmt::format("storing setting {}", key), status.error().message);
  return {};
}

}  // namespace keyward::store::sqlite

namespace keyward::store {

core::Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return core::make_error(core::ErrorCode::io_error,
                            fmt::format("cannot open database {}: {} (check that the directory exists and is writable)", path, message));
  }
  auto store = std::make_unique<sqlite::SqliteStore>(db);
  sqlite3_busy_timeout(db, 10000);
  if (auto status = sqlite::execute(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"); !status) {
    return core::make_error(core::ErrorCode::io_error,
                            fmt::format("cannot use database {}: {} (is it a keyward database?)", path, status.error().message));
  }
  if (auto status = store->migrate(); !status) {
    return core::make_error(core::ErrorCode::store_error, fmt::format("database {}: {}", path, status.error().message));
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace keyward::store
