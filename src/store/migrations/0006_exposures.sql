-- Secrets that `keyward scan` found, one row per secret, keyed by the keyed fingerprint
-- (secrets::fingerprint with the store's setting "secrets.fingerprint_key"). No column holds a
-- raw secret: only its redacted form (prefix and last four characters), the fingerprint and the
-- public identifiers the inventory join needs.
CREATE TABLE exposures (
  fingerprint TEXT PRIMARY KEY,
  rule_id TEXT NOT NULL,
  rule_name TEXT NOT NULL DEFAULT '',
  service TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  redacted TEXT NOT NULL DEFAULT '',
  checksum_valid INTEGER NOT NULL DEFAULT 0,
  platform TEXT NOT NULL DEFAULT '',
  credential_kind TEXT NOT NULL DEFAULT '',
  identifier TEXT NOT NULL DEFAULT '',
  join_key TEXT NOT NULL DEFAULT '',
  paired_fingerprint TEXT NOT NULL DEFAULT '',
  verification TEXT NOT NULL DEFAULT '',
  matched_credential_id TEXT NOT NULL DEFAULT '',
  matched_identity_id TEXT NOT NULL DEFAULT '',
  first_seen INTEGER,
  last_seen INTEGER
);
CREATE INDEX exposures_identifier ON exposures (identifier) WHERE identifier != '';

-- Every place a secret was found. A rescan of the same content adds no row: the location is
-- unique on the secret, file, position, commit and encoding.
CREATE TABLE exposure_locations (
  fingerprint TEXT NOT NULL REFERENCES exposures (fingerprint) ON DELETE CASCADE,
  path TEXT NOT NULL,
  line INTEGER NOT NULL,
  "column" INTEGER NOT NULL,
  "commit" TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  commit_time INTEGER,
  encoding TEXT NOT NULL DEFAULT '',
  UNIQUE (fingerprint, path, line, "column", "commit", encoding)
);
