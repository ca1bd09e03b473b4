// Exposures: the secrets `keyward scan` found, keyed by keyed fingerprint, with every location,
// and the store's fingerprint key. Before writing, each exposure is checked for values that
// could only be a raw secret in a column meant for a hash or a redacted form, so a caller's
// mistake fails loudly instead of persisting a secret.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <stdexcept>
#include <unordered_map>

#include "secrets/secret_text.hpp"
#include "store/sqlite/row_helpers.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"

namespace keyward::store::sqlite {
namespace {

constexpr std::string_view kFingerprintPrefix = "hmac-sha256:";
constexpr size_t kFingerprintHexDigits = 32;
constexpr std::string_view kEllipsis = "…";
constexpr size_t kRedactedTailBytes = 4;
// A shorter key is more likely to be a placeholder typed by hand than a generated one.
constexpr size_t kMinFingerprintKeyLength = 32;

constexpr std::string_view kExposureColumns =
    "fingerprint, rule_id, rule_name, service, category, redacted, checksum_valid, platform, credential_kind, "
    "identifier, join_key, paired_fingerprint, verification, matched_credential_id, matched_identity_id, "
    "first_seen, last_seen";

bool is_lower_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// True for the output of secrets::fingerprint: "hmac-sha256:" and 32 lowercase hex digits.
bool is_keyed_fingerprint(std::string_view value) {
  if (!value.starts_with(kFingerprintPrefix)) return false;
  const std::string_view digits = value.substr(kFingerprintPrefix.size());
  return digits.size() == kFingerprintHexDigits && is_lower_hex(digits);
}

// True for the output of secrets::redact: "****", or a prefix, "…" and the last four characters.
bool is_redacted_form(std::string_view value) {
  if (value.empty() || value == "****") return true;
  const size_t ellipsis = value.rfind(kEllipsis);
  return ellipsis != std::string_view::npos && value.size() - ellipsis - kEllipsis.size() == kRedactedTailBytes;
}

core::Error invalid_exposure(size_t index, const core::Exposure& exposure, std::string_view problem) {
  return core::make_error(core::ErrorCode::invalid_argument,
                          fmt::format("exposure {} (rule '{}', {}) not stored: {}", index + 1, exposure.rule_id,
                                      exposure.redacted.empty() ? "no redacted form" : exposure.redacted, problem));
}

// Rejects an exposure whose hash or redacted columns hold anything but a hash or a redacted form.
core::Status validate_exposure(size_t index, const core::Exposure& exposure) {
  if (exposure.rule_id.empty()) return invalid_exposure(index, exposure, "the rule id is empty");
  if (!is_keyed_fingerprint(exposure.fingerprint)) {
    return invalid_exposure(index, exposure,
                            "the fingerprint is not 'hmac-sha256:' and 32 hex digits; compute it with "
                            "secrets::fingerprint and the store's fingerprint_key()");
  }
  if (!exposure.join_key.empty() && !is_keyed_fingerprint(exposure.join_key)) {
    return invalid_exposure(index, exposure, "the join key is not a keyed fingerprint; compute it with secrets::fingerprint");
  }
  if (!exposure.paired_fingerprint.empty() && !is_keyed_fingerprint(exposure.paired_fingerprint)) {
    return invalid_exposure(index, exposure, "the paired fingerprint is not a keyed fingerprint");
  }
  if (!is_redacted_form(exposure.redacted)) {
    return invalid_exposure(index, exposure,
                            "the redacted form does not end in '…' and four characters; build it with secrets::redact");
  }
  for (const auto& location : exposure.locations) {
    if (location.path.empty()) return invalid_exposure(index, exposure, "a location has an empty path");
    if (location.line < 0 || location.column < 0) {
      return invalid_exposure(index, exposure, fmt::format("location {} has a negative line or column", location.path));
    }
  }
  return {};
}

core::Exposure read_exposure(const Statement& row) {
  core::Exposure exposure;
  exposure.fingerprint = row.text(0);
  exposure.rule_id = row.text(1);
  exposure.rule_name = row.text(2);
  exposure.service = row.text(3);
  exposure.category = row.text(4);
  exposure.redacted = row.text(5);
  exposure.checksum_valid = row.integer(6) != 0;
  exposure.platform = row.text(7);
  exposure.credential_kind = row.text(8);
  exposure.identifier = row.text(9);
  exposure.join_key = row.text(10);
  exposure.paired_fingerprint = row.text(11);
  exposure.verification = row.text(12);
  exposure.matched_credential_id = row.text(13);
  exposure.matched_identity_id = row.text(14);
  exposure.first_seen = row.optional_integer(15);
  exposure.last_seen = row.optional_integer(16);
  return exposure;
}

std::optional<long long> optional_time(const std::optional<core::UnixTime>& time) {
  if (!time) return std::nullopt;
  return static_cast<long long>(*time);
}

// Runs `write` in one IMMEDIATE transaction: everything it writes lands, or nothing does.
core::Status in_transaction(sqlite3* db, std::string_view what, const std::function<core::Status()>& write) {
  if (auto status = execute(db, "BEGIN IMMEDIATE"); !status) return store_error("starting a transaction", status.error().message);
  core::Status status = write();
  if (!status) {
    (void)execute(db, "ROLLBACK");
    return status;
  }
  if (auto commit_status = execute(db, "COMMIT"); !commit_status) {
    (void)execute(db, "ROLLBACK");
    return store_error(fmt::format("committing {}", what), commit_status.error().message);
  }
  return {};
}

}  // namespace

core::Status SqliteStore::put_exposures(const std::vector<core::Exposure>& exposures, core::UnixTime scan_time) {
  for (size_t i = 0; i < exposures.size(); ++i) {
    if (auto status = validate_exposure(i, exposures[i]); !status) return status;
  }
  return in_transaction(db_, "exposures", [&] { return write_exposures(exposures, scan_time); });
}

core::Status SqliteStore::write_exposures(const std::vector<core::Exposure>& exposures, core::UnixTime scan_time) {
  Statement upsert(db_, R"sql(
    INSERT INTO exposures (fingerprint, rule_id, rule_name, service, category, redacted, checksum_valid, platform,
                           credential_kind, identifier, join_key, paired_fingerprint, verification,
                           matched_credential_id, matched_identity_id, first_seen, last_seen)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
    ON CONFLICT (fingerprint) DO UPDATE SET
      rule_id = excluded.rule_id,
      rule_name = excluded.rule_name,
      service = excluded.service,
      category = excluded.category,
      redacted = excluded.redacted,
      checksum_valid = excluded.checksum_valid,
      platform = excluded.platform,
      credential_kind = excluded.credential_kind,
      identifier = CASE WHEN excluded.identifier != '' THEN excluded.identifier ELSE identifier END,
      join_key = CASE WHEN excluded.join_key != '' THEN excluded.join_key ELSE join_key END,
      paired_fingerprint = CASE WHEN excluded.paired_fingerprint != '' THEN excluded.paired_fingerprint
                                ELSE paired_fingerprint END,
      verification = CASE WHEN excluded.verification != '' THEN excluded.verification ELSE verification END,
      matched_identity_id = CASE WHEN excluded.matched_credential_id != '' THEN excluded.matched_identity_id
                                 ELSE matched_identity_id END,
      matched_credential_id = CASE WHEN excluded.matched_credential_id != '' THEN excluded.matched_credential_id
                                   ELSE matched_credential_id END,
      first_seen = MIN(COALESCE(first_seen, excluded.first_seen), excluded.first_seen),
      last_seen = MAX(COALESCE(last_seen, excluded.last_seen), excluded.last_seen)
  )sql");
  Statement add_location(db_, R"sql(
    INSERT INTO exposure_locations (fingerprint, path, line, "column", "commit", author, commit_time, encoding)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
    ON CONFLICT (fingerprint, path, line, "column", "commit", encoding) DO UPDATE SET
      author = CASE WHEN excluded.author != '' THEN excluded.author ELSE author END,
      commit_time = COALESCE(excluded.commit_time, commit_time)
  )sql");

  for (const auto& exposure : exposures) {
    upsert.reset();
    upsert.bind(1, exposure.fingerprint).bind(2, exposure.rule_id).bind(3, exposure.rule_name);
    upsert.bind(4, exposure.service).bind(5, exposure.category).bind(6, exposure.redacted);
    upsert.bind(7, exposure.checksum_valid ? 1LL : 0LL).bind(8, exposure.platform).bind(9, exposure.credential_kind);
    upsert.bind(10, exposure.identifier).bind(11, exposure.join_key).bind(12, exposure.paired_fingerprint);
    upsert.bind(13, exposure.verification).bind(14, exposure.matched_credential_id);
    upsert.bind(15, exposure.matched_identity_id);
    upsert.bind(16, static_cast<long long>(std::min(exposure.first_seen.value_or(scan_time), scan_time)));
    upsert.bind(17, static_cast<long long>(scan_time));
    if (auto status = upsert.run(); !status) {
      return store_error(fmt::format("storing exposure {} ({})", exposure.redacted, exposure.rule_id),
                         status.error().message);
    }

    for (const auto& location : exposure.locations) {
      add_location.reset();
      add_location.bind(1, exposure.fingerprint).bind(2, location.path).bind(3, location.line);
      add_location.bind(4, location.column).bind(5, location.commit).bind(6, location.author);
      add_location.bind(7, optional_time(location.commit_time)).bind(8, location.encoding);
      if (auto status = add_location.run(); !status) {
        return store_error(fmt::format("storing location {}:{} of exposure {}", location.path, location.line,
                                       exposure.redacted),
                           status.error().message);
      }
    }
  }
  return {};
}

core::Result<std::vector<core::Exposure>> SqliteStore::list_exposures() {
  std::vector<core::Exposure> exposures;
  std::unordered_map<std::string, size_t> index;
  Statement query(db_, fmt::format("SELECT {} FROM exposures ORDER BY first_seen, fingerprint", kExposureColumns));
  while (query.step()) {
    exposures.push_back(read_exposure(query));
    index.emplace(exposures.back().fingerprint, exposures.size() - 1);
  }
  if (!query.error().empty()) return store_error("listing exposures", query.error());

  Statement locations(db_, R"sql(
    SELECT fingerprint, path, line, "column", "commit", author, commit_time, encoding FROM exposure_locations
    ORDER BY fingerprint, path, line, "column", "commit", encoding)sql");
  while (locations.step()) {
    auto owner = index.find(locations.text(0));
    if (owner == index.end()) continue;  // unreachable: the foreign key requires the exposure
    core::ExposureLocation location;
    location.path = locations.text(1);
    location.line = locations.integer(2);
    location.column = locations.integer(3);
    location.commit = locations.text(4);
    location.author = locations.text(5);
    location.commit_time = locations.optional_integer(6);
    location.encoding = locations.text(7);
    exposures[owner->second].locations.push_back(std::move(location));
  }
  if (!locations.error().empty()) return store_error("listing exposure locations", locations.error());
  return exposures;
}

core::Status SqliteStore::update_exposure_matches(const std::vector<core::Exposure>& exposures) {
  return in_transaction(db_, "exposure matches", [&] { return write_exposure_matches(exposures); });
}

core::Status SqliteStore::write_exposure_matches(const std::vector<core::Exposure>& exposures) {
  Statement update(db_, "UPDATE exposures SET matched_credential_id = ?1, matched_identity_id = ?2 WHERE fingerprint = ?3");
  for (const auto& exposure : exposures) {
    update.reset();
    update.bind(1, exposure.matched_credential_id).bind(2, exposure.matched_identity_id).bind(3, exposure.fingerprint);
    if (auto status = update.run(); !status) return store_error("storing an exposure match", status.error().message);
    if (sqlite3_changes(db_) == 0) {
      return core::make_error(core::ErrorCode::not_found,
                              fmt::format("exposure {} ({}) is not stored; store it with put_exposures first",
                                          exposure.redacted, exposure.fingerprint));
    }
  }
  return {};
}

core::Result<std::string> SqliteStore::fingerprint_key() {
  const std::string setting(kFingerprintKeySetting);
  auto stored = get_setting(setting);
  if (!stored.ok()) return stored.error();
  if (!stored->has_value()) {
    std::string key;
    try {
      key = secrets::new_fingerprint_key();
    } catch (const std::runtime_error& error) {
      return core::make_error(core::ErrorCode::store_error, fmt::format("creating the fingerprint key failed: {}", error.what()));
    }
    // Two processes may create a key at once: the first insert wins and both read it back.
    Statement insert(db_, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING");
    insert.bind(1, setting).bind(2, key);
    if (auto status = insert.run(); !status) return store_error("storing the fingerprint key", status.error().message);
    stored = get_setting(setting);
    if (!stored.ok()) return stored.error();
    if (!stored->has_value()) return store_error("reading the fingerprint key", "the setting is missing after it was stored");
  }
  if ((*stored)->size() < kMinFingerprintKeyLength) {
    return core::make_error(core::ErrorCode::invalid_input,
                            fmt::format("setting {} is shorter than {} characters; set it to 64 hex digits (for "
                                        "example from `openssl rand -hex 32`), knowing that fingerprints stored "
                                        "with the old key no longer match",
                                        setting, kMinFingerprintKeyLength));
  }
  return **stored;
}

}  // namespace keyward::store::sqlite
