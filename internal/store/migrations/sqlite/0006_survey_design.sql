-- Survey design (questions, follow-ups, translations, thank-you messages,
-- branding: a JSON document, see cx.SurveyDesign), archiving, and the
-- widget settings of a workspace: its public key and the origins allowed
-- to embed the widget. Times are Unix milliseconds (UTC).

ALTER TABLE surveys ADD COLUMN design TEXT NOT NULL DEFAULT '{}';
ALTER TABLE surveys ADD COLUMN archived_at INTEGER;
ALTER TABLE surveys ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;

CREATE TABLE widget_settings (
	workspace_id    INTEGER NOT NULL PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
	public_key      TEXT    NOT NULL,           -- shown in the embed snippet; not a secret
	allowed_origins TEXT    NOT NULL DEFAULT '[]', -- JSON array of origins, e.g. ["https://shop.example.com"]
	updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX widget_settings_key ON widget_settings (public_key);

-- One response per invitation, enforced by the database too.
CREATE UNIQUE INDEX invitations_response ON invitations (workspace_id, response_id) WHERE response_id IS NOT NULL;
