// Findings in the SQLite store: syncing a posture run, status changes by hand and their history.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "core/model_json.hpp"
#include "store/sqlite/row_helpers.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"

namespace keyward::store::sqlite {
namespace {

using nlohmann::json;

// The primary key of the findings table: rule, identity platform, identity id, credential id.
using FindingKey = std::tuple<std::string, std::string, std::string, std::string>;

FindingKey key_of(const core::Finding& finding) {
  return {finding.rule, finding.identity.platform, finding.identity.id, finding.credential_id};
}

core::Finding finding_from_key(const FindingKey& key) {
  core::Finding finding;
  finding.rule = std::get<0>(key);
  finding.identity.platform = std::get<1>(key);
  finding.identity.id = std::get<2>(key);
  finding.credential_id = std::get<3>(key);
  return finding;
}

// The status part of a stored finding, which sync_findings moves forward.
struct StoredState {
  core::FindingStatus status = core::FindingStatus::open;
  std::optional<core::UnixTime> until;
  std::optional<core::UnixTime> resolved_at;
};

constexpr std::string_view kFindingColumns =
    "rule, identity_platform, identity_id, credential_id, identity_name, title, severity, score, owasp, evidence, "
    "remediation, as_of, status, first_seen, last_seen, details, status_reason, status_until, recurring";

core::Finding read_finding(const Statement& row) {
  core::Finding finding;
  finding.rule = row.text(0);
  finding.identity = {row.text(1), row.text(2), row.text(4)};
  finding.credential_id = row.text(3);
  finding.title = row.text(5);
  finding.severity = core::parse_severity(row.text(6)).value_or(core::Severity::medium);
  finding.score = static_cast<int>(row.integer(7));
  finding.owasp = row.text(8);
  finding.evidence = core::evidence_list_from_json(parse_json_column(row.text(9), json::array()));
  finding.remediation = row.text(10);
  finding.as_of = row.optional_integer(11);
  finding.status = parse_status(row.text(12));
  finding.first_seen = row.optional_integer(13);
  finding.last_seen = row.optional_integer(14);
  const json details = parse_json_column(row.text(15), json::object());
  if (details.is_object()) core::read_finding_details(details, finding);
  finding.status_reason = row.text(16);
  finding.status_until = row.optional_integer(17);
  finding.recurring = row.integer(18) != 0;
  return finding;
}

std::optional<long long> optional_time(const std::optional<core::UnixTime>& time) {
  if (!time) return std::nullopt;
  return static_cast<long long>(*time);
}

// Returns an event about `finding` with its id and key filled.
FindingEvent event_for(const core::Finding& finding) {
  FindingEvent event;
  event.finding_id = core::finding_id(finding);
  event.rule = finding.rule;
  event.identity = {finding.identity.platform, finding.identity.id, ""};
  event.credential_id = finding.credential_id;
  return event;
}

bool is_hex_digit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

}  // namespace

core::Status SqliteStore::sync_findings(const std::vector<core::Finding>& findings, core::UnixTime as_of) {
  if (auto status = execute(db_, "BEGIN IMMEDIATE"); !status) return store_error("starting a transaction", status.error().message);
  core::Status status = write_findings(findings, as_of, core::now());
  if (!status) {
    (void)execute(db_, "ROLLBACK");
    return store_error("storing findings", status.error().message);
  }
  if (auto commit_status = execute(db_, "COMMIT"); !commit_status) {
    (void)execute(db_, "ROLLBACK");
    return store_error("committing findings", commit_status.error().message);
  }
  return {};
}

core::Status SqliteStore::write_findings(const std::vector<core::Finding>& findings, core::UnixTime as_of,
                                         core::UnixTime now) {
  std::map<FindingKey, StoredState> stored;
  {
    Statement query(db_, "SELECT rule, identity_platform, identity_id, credential_id, status, status_until, resolved_at FROM findings");
    while (query.step()) {
      stored[{query.text(0), query.text(1), query.text(2), query.text(3)}] =
          StoredState{parse_status(query.text(4)), query.optional_integer(5), query.optional_integer(6)};
    }
    if (!query.error().empty()) return store_error("reading stored findings", query.error());
  }

  Statement insert(db_, R"sql(
    INSERT INTO findings (rule, identity_platform, identity_id, credential_id, identity_name, title, severity, score,
                          owasp, evidence, remediation, as_of, status, first_seen, last_seen, details)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'open', ?12, ?12, ?13))sql");
  Statement update_content(db_, R"sql(
    UPDATE findings SET identity_name = ?5, title = ?6, severity = ?7, score = ?8, owasp = ?9, evidence = ?10,
                        remediation = ?11, as_of = ?12, last_seen = MAX(COALESCE(last_seen, ?12), ?12), details = ?13
    WHERE rule = ?1 AND identity_platform = ?2 AND identity_id = ?3 AND credential_id = ?4)sql");
  Statement update_status(db_, R"sql(
    UPDATE findings SET status = ?5, status_reason = ?6, status_until = ?7, recurring = MAX(recurring, ?8),
                        resolved_at = ?9
    WHERE rule = ?1 AND identity_platform = ?2 AND identity_id = ?3 AND credential_id = ?4)sql");

  auto bind_key = [](Statement& statement, const FindingKey& key) {
    statement.bind(1, std::get<0>(key)).bind(2, std::get<1>(key)).bind(3, std::get<2>(key)).bind(4, std::get<3>(key));
  };
  // Moves a finding to `to` and records the change as made by the posture run.
  auto change_status = [&](const FindingKey& key, core::FindingStatus from, core::FindingStatus to,
                           const std::string& reason, bool recurring, std::optional<core::UnixTime> resolved_at) {
    update_status.reset();
    bind_key(update_status, key);
    update_status.bind(5, core::to_string(to)).bind(6, reason).bind_null(7);
    update_status.bind(8, recurring ? 1LL : 0LL).bind(9, optional_time(resolved_at));
    if (auto status = update_status.run(); !status) return status;
    FindingEvent event = event_for(finding_from_key(key));
    event.time = now;
    event.from_status = from;
    event.to_status = to;
    event.reason = reason;
    return record_finding_event(event);
  };

  std::set<FindingKey> produced;
  for (const auto& finding : findings) {
    const FindingKey key = key_of(finding);
    // A check that reports the same key twice is stored once, with the first (highest-scored) content.
    if (!produced.insert(key).second) continue;

    Statement& write = stored.contains(key) ? update_content : insert;
    write.reset();
    bind_key(write, key);
    write.bind(5, finding.identity.name).bind(6, finding.title).bind(7, core::to_string(finding.severity));
    write.bind(8, static_cast<long long>(finding.score)).bind(9, finding.owasp);
    write.bind(10, core::to_json(finding.evidence).dump()).bind(11, finding.remediation);
    write.bind(12, static_cast<long long>(finding.as_of.value_or(as_of)));
    write.bind(13, core::finding_details_json(finding).dump());
    if (auto status = write.run(); !status) return status;

    auto found = stored.find(key);
    if (found == stored.end()) {
      FindingEvent event = event_for(finding);
      event.time = now;
      event.to_status = core::FindingStatus::open;
      event.reason = fmt::format("detected as of {}", core::format_date(as_of));
      if (auto status = record_finding_event(event); !status) return status;
      continue;
    }

    const StoredState& state = found->second;
    if (state.status == core::FindingStatus::resolved && (!state.resolved_at || as_of >= *state.resolved_at)) {
      const std::string reason = fmt::format("detected again as of {} after being resolved", core::format_date(as_of));
      if (auto status = change_status(key, state.status, core::FindingStatus::open, reason, true, std::nullopt); !status) {
        return status;
      }
    } else if (state.status == core::FindingStatus::muted && state.until && *state.until <= now) {
      const std::string reason = fmt::format("mute expired on {}", core::format_time(*state.until));
      if (auto status = change_status(key, state.status, core::FindingStatus::open, reason, false, std::nullopt); !status) {
        return status;
      }
    }
  }

  for (const auto& [key, state] : stored) {
    if (state.status == core::FindingStatus::resolved || produced.contains(key)) continue;
    const std::string reason = fmt::format("no longer detected as of {}", core::format_date(as_of));
    if (auto status = change_status(key, state.status, core::FindingStatus::resolved, reason, false, as_of); !status) {
      return status;
    }
  }
  return {};
}

core::Result<std::vector<core::Finding>> SqliteStore::list_findings(bool include_resolved) {
  Statement query(db_, fmt::format("SELECT {} FROM findings WHERE (?1 = 1 OR status != 'resolved') "
                                   "ORDER BY score DESC, rule, identity_id, credential_id",
                                   kFindingColumns));
  query.bind(1, include_resolved ? 1LL : 0LL);
  std::vector<core::Finding> findings;
  while (query.step()) findings.push_back(read_finding(query));
  if (!query.error().empty()) return store_error("listing findings", query.error());
  return findings;
}

core::Result<core::Finding> SqliteStore::find_finding(const std::string& finding_id) {
  std::string prefix = finding_id;
  std::transform(prefix.begin(), prefix.end(), prefix.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (prefix.size() < kMinFindingIdPrefix || prefix.size() > 16 || !std::all_of(prefix.begin(), prefix.end(), is_hex_digit)) {
    return core::make_error(core::ErrorCode::invalid_argument,
                            fmt::format("invalid finding id '{}': expected {} to 16 hex digits, the id that "
                                        "`keyward findings --format json` prints",
                                        finding_id, kMinFindingIdPrefix));
  }

  // Ids are hashes of the key, so they are computed here rather than stored.
  Statement query(db_, fmt::format("SELECT {} FROM findings ORDER BY rule, identity_id, credential_id", kFindingColumns));
  std::vector<core::Finding> matches;
  while (query.step()) {
    core::Finding finding = read_finding(query);
    if (core::finding_id(finding).starts_with(prefix)) matches.push_back(std::move(finding));
  }
  if (!query.error().empty()) return store_error("looking up a finding", query.error());

  if (matches.empty()) {
    return core::make_error(core::ErrorCode::not_found,
                            fmt::format("finding {} not found; `keyward findings --resolved --format json` lists every "
                                        "finding with its id",
                                        finding_id));
  }
  if (matches.size() > 1) {
    std::vector<std::string> ids;
    for (const auto& match : matches) ids.push_back(core::finding_id(match));
    return core::make_error(core::ErrorCode::invalid_argument,
                            fmt::format("finding id {} matches {} findings ({}); give more digits", finding_id,
                                        matches.size(), fmt::join(ids, ", ")));
  }
  return std::move(matches.front());
}

core::Result<core::Finding> SqliteStore::set_finding_status(const FindingStatusChange& change) {
  using core::FindingStatus;
  if (change.status != FindingStatus::open && change.reason.empty()) {
    return core::make_error(core::ErrorCode::invalid_argument,
                            fmt::format("a reason is required to mark a finding {}", core::to_string(change.status)));
  }
  if (change.until && change.status != FindingStatus::muted) {
    return core::make_error(core::ErrorCode::invalid_argument, "an expiry is valid only when muting a finding");
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

  auto found = find_finding(change.finding_id);
  if (!found) return rollback_with(found.error());
  const core::Finding& finding = *found;
  const std::string id = core::finding_id(finding);

  const bool resolved = finding.status == FindingStatus::resolved;
  if (resolved && (change.status == FindingStatus::acknowledged || change.status == FindingStatus::muted)) {
    return rollback_with(core::make_error(
        core::ErrorCode::invalid_argument,
        fmt::format("finding {} is resolved ({}), so it cannot be {}; a run that detects it again reopens it", id,
                    finding.status_reason.empty() ? "no reason recorded" : finding.status_reason,
                    core::to_string(change.status))));
  }
  if (change.status == FindingStatus::open && finding.status == FindingStatus::open) {
    return rollback_with(core::make_error(core::ErrorCode::invalid_argument, fmt::format("finding {} is already open", id)));
  }

  if (auto status = apply_status_change(finding, change); !status) return rollback_with(status.error());
  if (auto status = execute(db_, "COMMIT"); !status) {
    return rollback_with(store_error("committing a finding status change", status.error().message));
  }
  return find_finding(id);
}

core::Status SqliteStore::apply_status_change(const core::Finding& finding, const FindingStatusChange& change) {
  const bool resolving = change.status == core::FindingStatus::resolved;
  Statement update(db_, R"sql(
    UPDATE findings SET status = ?5, status_reason = ?6, status_until = ?7, resolved_at = ?8
    WHERE rule = ?1 AND identity_platform = ?2 AND identity_id = ?3 AND credential_id = ?4)sql");
  update.bind(1, finding.rule).bind(2, finding.identity.platform).bind(3, finding.identity.id).bind(4, finding.credential_id);
  update.bind(5, core::to_string(change.status)).bind(6, change.reason).bind(7, optional_time(change.until));
  update.bind(8, resolving ? std::optional<long long>(change.time) : std::nullopt);
  if (auto status = update.run(); !status) return store_error("changing a finding's status", status.error().message);

  FindingEvent event = event_for(finding);
  event.time = change.time;
  event.from_status = finding.status;
  event.to_status = change.status;
  event.reason = change.reason;
  event.until = change.until;
  event.actor = change.actor;
  return record_finding_event(event);
}

core::Status SqliteStore::record_finding_event(const FindingEvent& event) {
  Statement insert(db_, R"sql(
    INSERT INTO finding_events (finding_id, rule, identity_platform, identity_id, credential_id, time, from_status,
                                to_status, reason, status_until, actor)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11))sql");
  insert.bind(1, event.finding_id).bind(2, event.rule).bind(3, event.identity.platform).bind(4, event.identity.id);
  insert.bind(5, event.credential_id).bind(6, static_cast<long long>(event.time));
  // An empty text, not NULL, for a first detection: a default string_view has a null data pointer,
  // which SQLite binds as NULL.
  insert.bind(7, event.from_status ? core::to_string(*event.from_status) : std::string_view(""));
  insert.bind(8, core::to_string(event.to_status)).bind(9, event.reason).bind(10, optional_time(event.until));
  insert.bind(11, event.actor);
  if (auto status = insert.run(); !status) return store_error("recording a finding status change", status.error().message);
  return {};
}

core::Result<std::vector<FindingEvent>> SqliteStore::list_finding_events(const std::string& finding_id) {
  auto found = find_finding(finding_id);
  if (!found) return found.error();
  Statement query(db_, R"sql(
    SELECT finding_id, rule, identity_platform, identity_id, credential_id, time, from_status, to_status, reason,
           status_until, actor
    FROM finding_events WHERE finding_id = ? ORDER BY rowid)sql");
  query.bind(1, core::finding_id(*found));
  std::vector<FindingEvent> events;
  while (query.step()) {
    FindingEvent event;
    event.finding_id = query.text(0);
    event.rule = query.text(1);
    event.identity = {query.text(2), query.text(3), ""};
    event.credential_id = query.text(4);
    event.time = query.integer(5);
    const std::string from = query.text(6);
    if (!from.empty()) event.from_status = parse_status(from);
    event.to_status = parse_status(query.text(7));
    event.reason = query.text(8);
    event.until = query.optional_integer(9);
    event.actor = query.text(10);
    events.push_back(std::move(event));
  }
  if (!query.error().empty()) return store_error("listing finding events", query.error());
  return events;
}

}  // namespace keyward::store::sqlite
