-- Alert state that persists across ingests: why an alert was acknowledged, resolved or muted,
-- until when a mute holds, when the alert was first stored, and whether notification channels
-- have yet to be sent it.
ALTER TABLE alerts ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN status_until INTEGER;
ALTER TABLE alerts ADD COLUMN stored_at INTEGER;
-- 1 from insertion until Store::take_new_alerts returns the alert. Alerts stored before this
-- migration are 0, so upgrading does not send old alerts.
ALTER TABLE alerts ADD COLUMN notify_pending INTEGER NOT NULL DEFAULT 0;
CREATE INDEX alerts_notify_pending ON alerts (notify_pending) WHERE notify_pending = 1;

-- Every status change of an alert: raised, acknowledged, muted, resolved, reopened.
-- from_status is '' when the alert was first stored.
CREATE TABLE alert_events (
  alert_id TEXT NOT NULL,
  detector TEXT NOT NULL,
  dedupe_key TEXT NOT NULL,
  time INTEGER NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  status_until INTEGER,
  actor TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alert_events_alert ON alert_events (alert_id);
