-- Alerts a notification channel failed to deliver, kept so that the next ingest or watch cycle
-- sends them again. One row per (channel, alert); the alert itself stays in `alerts`.
CREATE TABLE notification_retries (
  channel TEXT NOT NULL,
  detector TEXT NOT NULL,
  dedupe_key TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  first_failed INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (channel, detector, dedupe_key)
);
