-- Initial schema: inventory, activity summaries, baselines, findings, alerts, the source ledger.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE identities (
  platform TEXT NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  account TEXT NOT NULL DEFAULT '',
  owner TEXT NOT NULL DEFAULT '',
  vendor TEXT NOT NULL DEFAULT '',
  created INTEGER,
  last_used INTEGER,
  status TEXT NOT NULL DEFAULT 'active',
  classification TEXT NOT NULL DEFAULT 'unknown',
  classification_reason TEXT NOT NULL DEFAULT '',
  attributes TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (platform, id)
);
CREATE INDEX identities_name ON identities (name);

CREATE TABLE credentials (
  platform TEXT NOT NULL,
  id TEXT NOT NULL,
  identity_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  fingerprint TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'active',
  created INTEGER,
  last_used INTEGER,
  last_rotated INTEGER,
  expires INTEGER,
  last_used_service TEXT NOT NULL DEFAULT '',
  last_used_region TEXT NOT NULL DEFAULT '',
  attributes TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (platform, id)
);
CREATE INDEX credentials_identity ON credentials (identity_id);

CREATE TABLE grants (
  platform TEXT NOT NULL,
  identity_id TEXT NOT NULL,
  effect TEXT NOT NULL,
  actions TEXT NOT NULL,
  not_action INTEGER NOT NULL DEFAULT 0,
  resources TEXT NOT NULL,
  not_resource INTEGER NOT NULL DEFAULT 0,
  condition TEXT NOT NULL DEFAULT 'null',
  source_policy TEXT NOT NULL DEFAULT '',
  via TEXT NOT NULL DEFAULT ''
);
CREATE INDEX grants_identity ON grants (identity_id);

CREATE TABLE activity (
  platform TEXT NOT NULL,
  identity_id TEXT NOT NULL,
  credential_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  action TEXT NOT NULL,
  network TEXT NOT NULL,
  user_agent_family TEXT NOT NULL,
  error_code TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  PRIMARY KEY (platform, identity_id, credential_id, day, action, network, user_agent_family, error_code)
);
CREATE INDEX activity_identity ON activity (identity_id, day);

CREATE TABLE baselines (
  entity TEXT NOT NULL,
  dimension TEXT NOT NULL,
  value TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (entity, dimension, value)
);

CREATE TABLE findings (
  rule TEXT NOT NULL,
  identity_platform TEXT NOT NULL,
  identity_id TEXT NOT NULL,
  credential_id TEXT NOT NULL,
  identity_name TEXT NOT NULL,
  title TEXT NOT NULL,
  severity TEXT NOT NULL,
  score INTEGER NOT NULL,
  owasp TEXT NOT NULL,
  evidence TEXT NOT NULL,
  remediation TEXT NOT NULL,
  as_of INTEGER,
  status TEXT NOT NULL DEFAULT 'open',
  first_seen INTEGER,
  last_seen INTEGER,
  PRIMARY KEY (rule, identity_platform, identity_id, credential_id)
);

CREATE TABLE alerts (
  detector TEXT NOT NULL,
  dedupe_key TEXT NOT NULL,
  title TEXT NOT NULL,
  severity TEXT NOT NULL,
  score INTEGER NOT NULL,
  identity_platform TEXT NOT NULL,
  identity_id TEXT NOT NULL,
  identity_name TEXT NOT NULL,
  credential_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  evidence TEXT NOT NULL,
  remediation TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  PRIMARY KEY (detector, dedupe_key)
);
CREATE INDEX alerts_identity ON alerts (identity_id, time);

CREATE TABLE ledger (
  content_sha256 TEXT PRIMARY KEY,
  path TEXT NOT NULL,
  source TEXT NOT NULL,
  records INTEGER NOT NULL,
  ingested_at INTEGER NOT NULL
);
