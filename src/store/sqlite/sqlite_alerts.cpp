// Alerts in the SQLite store: insertion with deduplication, status changes by hand and their
// history, filtered listing, and the queue of alerts that notification channels have yet to send.

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>

#include "core/model_json.hpp"
#include "report/findings_output.hpp"
#include "store/sqlite/row_helpers.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"

namespace keyward::store::sqlite {
namespace {

using nlohmann::json;

constexpr std::string_view kAlertColumns =
    "detector, dedupe_key, title, severity, score, identity_platform, identity_id, identity_name, credential_id, "
    "time, evidence, remediation, status, status_reason, status_until, stored_at";

// Reads one alert row. A mute that expired at or before `now` reads as open, with the expiry as
// the reason, whether or not a commit has recorded the reopening yet.
StoredAlert read_alert(const Statement& row, core::UnixTime now) {
  StoredAlert stored;
  core::Alert& alert = stored.alert;
  alert.detector = row.text(0);
  alert.dedupe_key = row.text(1);
  alert.title = row.text(2);
  alert.severity = core::parse_severity(row.text(3)).value_or(core::Severity::medium);
  alert.score = static_cast<int>(row.integer(4));
  alert.identity = {row.text(5), row.text(6), row.text(7)};
  alert.credential_id = row.text(8);
  alert.time = row.integer(9);
  alert.evidence = core::evidence_list_from_json(parse_json_column(row.text(10), json::array()));
  alert.remediation = row.text(11);
  alert.status = parse_status(row.text(12));
  stored.status_reason = row.text(13);
  stored.status_until = row.optional_integer(14);
  stored.stored_at = row.optional_integer(15);
  stored.id = report::alert_id(alert);

  if (alert.status == core::FindingStatus::muted && stored.status_until && *stored.status_until <= now) {
    alert.status = core::FindingStatus::open;
    stored.status_reason = fmt::format("mute expired on {}", core::format_time(*stored.status_until));
    stored.status_until.reset();
  }
  return stored;
}

std::optional<long long> optional_time(const std::optional<core::UnixTime>& time) {
  if (!time) return std::nullopt;
  return static_cast<long long>(*time);
}

AlertEvent event_for(const StoredAlert& stored) {
  AlertEvent event;
  event.alert_id = stored.id;
  event.detector = stored.alert.detector;
  event.dedupe_key = stored.alert.dedupe_key;
  return event;
}

bool matches_detector(const std::vector<std::string>& patterns, const std::string& detector) {
  if (patterns.empty()) return true;
  for (const auto& pattern : patterns) {
    if (!pattern.empty() && pattern.back() == '*') {
      if (detector.starts_with(std::string_view(pattern).substr(0, pattern.size() - 1))) return true;
    } else if (pattern == detector) {
      return true;
    }
  }
  return false;
}

bool matches(const AlertFilter& filter, const core::Alert& alert) {
  if (!filter.states.empty() &&
      std::find(filter.states.begin(), filter.states.end(), alert.status) == filter.states.end()) {
    return false;
  }
  if (alert.severity < filter.min_severity) return false;
  if (!filter.platform.empty() && alert.identity.platform != filter.platform) return false;
  if (filter.since && alert.time < *filter.since) return false;
  if (filter.until && alert.time > *filter.until) return false;
  return matches_detector(filter.detectors, alert.detector);
}

bool is_hex_digit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

}  // namespace

core::Status SqliteStore::insert_alert(const core::Alert& alert, core::UnixTime now) {
  Statement insert(db_, R"sql(
    INSERT OR IGNORE INTO alerts (detector, dedupe_key, title, severity, score, identity_platform, identity_id,
                                  identity_name, credential_id, time, evidence, remediation, status, stored_at,
                                  notify_pending)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 1)
  )sql");
  insert.bind(1, alert.detector).bind(2, alert.dedupe_key).bind(3, alert.title);
  insert.bind(4, core::to_string(alert.severity)).bind(5, static_cast<long long>(alert.score));
  insert.bind(6, alert.identity.platform).bind(7, alert.identity.id).bind(8, alert.identity.name);
  insert.bind(9, alert.credential_id).bind(10, static_cast<long long>(alert.time));
  insert.bind(11, core::to_json(alert.evidence).dump()).bind(12, alert.remediation);
  insert.bind(13, core::to_string(alert.status)).bind(14, static_cast<long long>(now));
  if (auto status = insert.run(); !status) return store_error("storing an alert", status.error().message);
  // INSERT OR IGNORE changes no row when the store already has (detector, dedupe_key).
  if (sqlite3_changes(db_) == 0) return {};

  AlertEvent event;
  event.alert_id = report::alert_id(alert);
  event.detector = alert.detector;
  event.dedupe_key = alert.dedupe_key;
  event.time = now;
  event.to_status = alert.status;
  event.reason = fmt::format("raised from an event at {}", core::format_time(alert.time));
  return record_alert_event(event);
}

core::Status SqliteStore::reopen_expired_alert_mutes(core::UnixTime now) {
  std::vector<StoredAlert> expired;
  {
    Statement query(db_, fmt::format("SELECT {} FROM alerts WHERE status = 'muted' AND status_until <= ?", kAlertColumns));
    query.bind(1, static_cast<long long>(now));
    // read_alert already returns these as open, with the expiry as the reason.
    while (query.step()) expired.push_back(read_alert(query, now));
    if (!query.error().empty()) return store_error("reading muted alerts", query.error());
  }
  for (const auto& stored : expired) {
    Statement update(db_, "UPDATE alerts SET status = 'open', status_reason = ?3, status_until = NULL "
                          "WHERE detector = ?1 AND dedupe_key = ?2");
    update.bind(1, stored.alert.detector).bind(2, stored.alert.dedupe_key).bind(3, stored.status_reason);
    if (auto status = update.run(); !status) return store_error("reopening an alert whose mute expired", status.error().message);
    AlertEvent event = event_for(stored);
    event.time = now;
    event.from_status = core::FindingStatus::muted;
    event.to_status = core::FindingStatus::open;
    event.reason = stored.status_reason;
    if (auto status = record_alert_event(event); !status) return status;
  }
  return {};
}

core::Result<std::vector<core::Alert>> SqliteStore::list_alerts() {
  auto stored = query_alerts(AlertFilter{}, core::now());
  if (!stored) return stored.error();
  std::vector<core::Alert> alerts;
  alerts.reserve(stored->size());
  for (auto& entry : *stored) alerts.push_back(std::move(entry.alert));
  return alerts;
}

core::Result<std::vector<StoredAlert>> SqliteStore::query_alerts(const AlertFilter& filter, core::UnixTime now) {
  Statement query(db_, fmt::format("SELECT {} FROM alerts ORDER BY time, detector, dedupe_key", kAlertColumns));
  std::vector<StoredAlert> alerts;
  while (query.step()) {
    StoredAlert stored = read_alert(query, now);
    if (matches(filter, stored.alert)) alerts.push_back(std::move(stored));
  }
  if (!query.error().empty()) return store_error("listing alerts", query.error());
  return alerts;
}

core::Result<StoredAlert> SqliteStore::find_alert(const std::string& alert_id, core::UnixTime now) {
  std::string prefix = alert_id;
  std::transform(prefix.begin(), prefix.end(), prefix.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (prefix.size() < kMinAlertIdPrefix || prefix.size() > 16 || !std::all_of(prefix.begin(), prefix.end(), is_hex_digit)) {
    return core::make_error(core::ErrorCode::invalid_argument,
                            fmt::format("invalid alert id '{}': expected {} to 16 hex digits, the id that "
                                        "`keyward alerts --state all` prints",
                                        alert_id, kMinAlertIdPrefix));
  }

  // Ids are hashes of the key, so they are computed here rather than stored.
  Statement query(db_, fmt::format("SELECT {} FROM alerts ORDER BY time, detector, dedupe_key", kAlertColumns));
  std::vector<StoredAlert> found;
  while (query.step()) {
    StoredAlert stored = read_alert(query, now);
    if (stored.id.starts_with(prefix)) found.push_back(std::move(stored));
  }
  if (!query.error().empty()) return store_error("looking up an alert", query.error());

  if (found.empty()) {
    return core::make_error(core::ErrorCode::not_found,
                            fmt::format("alert {} not found; `keyward alerts --state all` lists every alert with its id",
                                        alert_id));
  }
  if (found.size() > 1) {
    std::vector<std::string> ids;
    for (const auto& stored : found) ids.push_back(stored.id);
    return core::make_error(core::ErrorCode::invalid_argument,
                            fmt::format("alert id {} matches {} alerts ({}); give more digits", alert_id, found.size(),
                                        fmt::join(ids, ", ")));
  }
  return std::move(found.front());
}

core::Result<StoredAlert> SqliteStore::set_alert_status(const AlertStatusChange& change) {
  using core::FindingStatus;
  if (change.status != FindingStatus::open && change.reason.empty()) {
    return core::make_error(core::ErrorCode::invalid_argument,
                            fmt::format("a reason is required to mark an alert {}", core::to_string(change.status)));
  }
  if (change.until && change.status != FindingStatus::muted) {
    return core::make_error(core::ErrorCode::invalid_argument, "an expiry is valid only when muting an alert");
  }
  if (change.until && *change.until <= change.time) {
    return core::make_error(core::ErrorCode::invalid_argument,
                            fmt::format("mute expiry {} is not in the future", core::format_time(*change.until)));
  }

  if (auto status = execute(db_, "BEGIN IMMEDIATE"); !status) return store_error("starting a transaction", status.error().message);
  auto rollback_with = [this](core::Error error) {
    (void)execute(db_, "ROLLBACK");
    return error;
  };

  if (auto status = reopen_expired_alert_mutes(change.time); !status) return rollback_with(status.error());
  auto found = find_alert(change.alert_id, change.time);
  if (!found) return rollback_with(found.error());
  const StoredAlert& stored = *found;
  const FindingStatus current = stored.alert.status;

  if (current == FindingStatus::resolved && (change.status == FindingStatus::acknowledged || change.status == FindingStatus::muted)) {
    return rollback_with(core::make_error(
        core::ErrorCode::invalid_argument,
        fmt::format("alert {} is resolved ({}), so it cannot be {}; reopen it first", stored.id,
                    stored.status_reason.empty() ? "no reason recorded" : stored.status_reason,
                    core::to_string(change.status))));
  }
  if (change.status == FindingStatus::open && current == FindingStatus::open) {
    return rollback_with(core::make_error(core::ErrorCode::invalid_argument, fmt::format("alert {} is already open", stored.id)));
  }

  Statement update(db_, "UPDATE alerts SET status = ?3, status_reason = ?4, status_until = ?5 "
                        "WHERE detector = ?1 AND dedupe_key = ?2");
  update.bind(1, stored.alert.detector).bind(2, stored.alert.dedupe_key);
  update.bind(3, core::to_string(change.status)).bind(4, change.reason).bind(5, optional_time(change.until));
  if (auto status = update.run(); !status) {
    return rollback_with(store_error("changing an alert's status", status.error().message));
  }

  AlertEvent event = event_for(stored);
  event.time = change.time;
  event.from_status = current;
  event.to_status = change.status;
  event.reason = change.reason;
  event.until = change.until;
  event.actor = change.actor;
  if (auto status = record_alert_event(event); !status) return rollback_with(status.error());

  if (auto status = execute(db_, "COMMIT"); !status) {
    return rollback_with(store_error("committing an alert status change", status.error().message));
  }
  return find_alert(stored.id, change.time);
}

core::Status SqliteStore::record_alert_event(const AlertEvent& event) {
  Statement insert(db_, R"sql(
    INSERT INTO alert_events (alert_id, detector, dedupe_key, time, from_status, to_status, reason, status_until, actor)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9))sql");
  insert.bind(1, event.alert_id).bind(2, event.detector).bind(3, event.dedupe_key);
  insert.bind(4, static_cast<long long>(event.time));
  // An empty text, not NULL, for a first insertion: a default string_view binds as NULL.
  insert.bind(5, event.from_status ? core::to_string(*event.from_status) : std::string_view(""));
  insert.bind(6, core::to_string(event.to_status)).bind(7, event.reason).bind(8, optional_time(event.until));
  insert.bind(9, event.actor);
  if (auto status = insert.run(); !status) return store_error("recording an alert status change", status.error().message);
  return {};
}

core::Result<std::vector<AlertEvent>> SqliteStore::list_alert_events(const std::string& alert_id) {
  auto found = find_alert(alert_id, core::now());
  if (!found) return found.error();
  Statement query(db_, R"sql(
    SELECT alert_id, detector, dedupe_key, time, from_status, to_status, reason, status_until, actor
    FROM alert_events WHERE alert_id = ? ORDER BY rowid)sql");
  query.bind(1, found->id);
  std::vector<AlertEvent> events;
  while (query.step()) {
    AlertEvent event;
    event.alert_id = query.text(0);
    event.detector = query.text(1);
    event.dedupe_key = query.text(2);
    event.time = query.integer(3);
    const std::string from = query.text(4);
    if (!from.empty()) event.from_status = parse_status(from);
    event.to_status = parse_status(query.text(5));
    event.reason = query.text(6);
    event.until = query.optional_integer(7);
    event.actor = query.text(8);
    events.push_back(std::move(event));
  }
  if (!query.error().empty()) return store_error("listing alert events", query.error());
  return events;
}

core::Result<std::vector<core::Alert>> SqliteStore::take_new_alerts() {
  if (auto status = execute(db_, "BEGIN IMMEDIATE"); !status) return store_error("starting a transaction", status.error().message);
  auto rollback_with = [this](core::Error error) {
    (void)execute(db_, "ROLLBACK");
    return error;
  };

  const core::UnixTime now = core::now();
  std::vector<core::Alert> alerts;
  {
    Statement query(db_, fmt::format("SELECT {} FROM alerts WHERE notify_pending = 1 ORDER BY time, detector, dedupe_key",
                                     kAlertColumns));
    while (query.step()) alerts.push_back(read_alert(query, now).alert);
    if (!query.error().empty()) return rollback_with(store_error("reading new alerts", query.error()));
  }
  if (auto status = execute(db_, "UPDATE alerts SET notify_pending = 0 WHERE notify_pending = 1"); !status) {
    return rollback_with(store_error("marking new alerts as taken", status.error().message));
  }
  if (auto status = execute(db_, "COMMIT"); !status) {
    return rollback_with(store_error("committing taken alerts", status.error().message));
  }
  return alerts;
}

core::Status SqliteStore::record_notification_failure(const std::string& channel, const std::vector<core::Alert>& alerts,
                                                      const std::string& error, core::UnixTime now) {
  if (alerts.empty()) return {};
  if (auto status = execute(db_, "BEGIN IMMEDIATE"); !status) return store_error("starting a transaction", status.error().message);
  Statement upsert(db_,
                   "INSERT INTO notification_retries (channel, detector, dedupe_key, attempts, first_failed, last_error) "
                   "VALUES (?1, ?2, ?3, 1, ?4, ?5) ON CONFLICT (channel, detector, dedupe_key) "
                   "DO UPDATE SET attempts = attempts + 1, last_error = excluded.last_error");
  for (const auto& alert : alerts) {
    upsert.reset();
    upsert.bind(1, channel).bind(2, alert.detector).bind(3, alert.dedupe_key).bind(4, static_cast<long long>(now)).bind(5, error);
    if (auto status = upsert.run(); !status) {
      (void)execute(db_, "ROLLBACK");
      return store_error("recording a failed notification", status.error().message);
    }
  }
  if (auto status = execute(db_, "COMMIT"); !status) {
    (void)execute(db_, "ROLLBACK");
    return store_error("committing failed notifications", status.error().message);
  }
  return {};
}

core::Result<std::vector<NotificationRetry>> SqliteStore::list_notification_retries(const std::string& channel,
                                                                                    std::size_t limit) {
  // Alerts deleted from the store since the failure are skipped by the join.
  Statement query(db_, fmt::format("SELECT {}, r.attempts, r.first_failed, r.last_error FROM notification_retries r "
                                   "JOIN alerts USING (detector, dedupe_key) WHERE r.channel = ?1 "
                                   "ORDER BY time, detector, dedupe_key LIMIT ?2",
                                   kAlertColumns));
  query.bind(1, channel).bind(2, static_cast<long long>(limit));
  const int first_retry_column = static_cast<int>(std::count(kAlertColumns.begin(), kAlertColumns.end(), ',')) + 1;
  std::vector<NotificationRetry> retries;
  const core::UnixTime now = core::now();
  while (query.step()) {
    NotificationRetry retry;
    retry.alert = read_alert(query, now).alert;
    retry.attempts = static_cast<int>(query.integer(first_retry_column));
    retry.first_failed = query.integer(first_retry_column + 1);
    retry.last_error = query.text(first_retry_column + 2);
    retries.push_back(std::move(retry));
  }
  if (!query.error().empty()) return store_error("reading failed notifications", query.error());
  return retries;
}

core::Status SqliteStore::clear_notification_retries(const std::string& channel, const std::vector<core::Alert>& alerts) {
  if (alerts.empty()) return {};
  if (auto status = execute(db_, "BEGIN IMMEDIATE"); !status) return store_error("starting a transaction", status.error().message);
  Statement remove(db_, "DELETE FROM notification_retries WHERE channel = ?1 AND detector = ?2 AND dedupe_key = ?3");
  for (const auto& alert : alerts) {
    remove.reset();
    remove.bind(1, channel).bind(2, alert.detector).bind(3, alert.dedupe_key);
    if (auto status = remove.run(); !status) {
      (void)execute(db_, "ROLLBACK");
      return store_error("clearing delivered notifications", status.error().message);
    }
  }
  if (auto status = execute(db_, "COMMIT"); !status) {
    (void)execute(db_, "ROLLBACK");
    return store_error("committing delivered notifications", status.error().message);
  }
  return {};
}

}  // namespace keyward::store::sqlite
