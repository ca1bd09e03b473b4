-- Grants from platforms other than AWS: a normalized level, the resource type, who granted it,
-- and the export that wrote it, so one export's grants can be replaced without touching another's.
ALTER TABLE grants ADD COLUMN level TEXT NOT NULL DEFAULT '';
ALTER TABLE grants ADD COLUMN resource_type TEXT NOT NULL DEFAULT '';
ALTER TABLE grants ADD COLUMN granted_by TEXT NOT NULL DEFAULT '';
ALTER TABLE grants ADD COLUMN origin TEXT NOT NULL DEFAULT '';
CREATE INDEX grants_identity_origin ON grants (identity_id, origin);
