-- Finding state that persists across runs: why a finding was acknowledged, resolved or muted,
-- until when a mute holds, whether it returned after being resolved, and the engine's details
-- (risk factors, context, remediation steps) as one JSON object.
ALTER TABLE findings ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
ALTER TABLE findings ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN status_until INTEGER;
ALTER TABLE findings ADD COLUMN recurring INTEGER NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN resolved_at INTEGER;

-- Findings resolved before this migration were last produced at last_seen, so a later run that
-- produces them again reopens them as recurring.
UPDATE findings SET resolved_at = COALESCE(last_seen, as_of) WHERE status = 'resolved';

-- Every status change of a finding: opened, acknowledged, muted, resolved, reopened.
-- from_status is '' when the finding was first detected.
CREATE TABLE finding_events (
  finding_id TEXT NOT NULL,
  rule TEXT NOT NULL,
  identity_platform TEXT NOT NULL,
  identity_id TEXT NOT NULL,
  credential_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  status_until INTEGER,
  actor TEXT NOT NULL DEFAULT ''
);
CREATE INDEX finding_events_finding ON finding_events (finding_id);
