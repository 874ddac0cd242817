-- Survey distribution: invitations (one per customer asked), the
-- suppression list honoured by every channel, and server secrets (the
-- HMAC key of invitation and unsubscribe tokens, generated once and shared
-- by every instance on the database). Times are Unix milliseconds (UTC).

CREATE TABLE invitations (
	workspace_id    INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	id              INTEGER NOT NULL,
	survey_id       INTEGER NOT NULL,
	customer_id     INTEGER,                          -- NULL for an anonymous link
	channel         TEXT    NOT NULL DEFAULT 'email', -- email, link, widget
	language        TEXT    NOT NULL DEFAULT '',      -- BCP 47, e.g. en, zh-Hans, zh-Hant, ro
	email           TEXT    NOT NULL DEFAULT '',      -- where an email invitation goes
	touchpoint      TEXT    NOT NULL DEFAULT '',      -- e.g. support, delivery: copied to the response
	touchpoint_ref  TEXT    NOT NULL DEFAULT '',      -- the ticket or order asked about
	attributes      TEXT    NOT NULL DEFAULT '{}',    -- copied to the response (agent, channel, ...)
	trigger_id      INTEGER,                          -- the trigger rule that created it, if any
	status          TEXT    NOT NULL DEFAULT 'scheduled', -- scheduled, sent, failed, suppressed, cancelled
	error           TEXT    NOT NULL DEFAULT '',
	scheduled_at    INTEGER NOT NULL,                 -- when it is due to be sent
	sent_at         INTEGER,
	opened_at       INTEGER,                          -- first page view
	answered_at     INTEGER,                          -- first score stored
	reminded_at     INTEGER,
	expires_at      INTEGER NOT NULL,
	response_id     INTEGER,                          -- the one response the token may create
	idempotency_key TEXT,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, id)
);
CREATE INDEX invitations_due ON invitations (status, scheduled_at);
CREATE INDEX invitations_customer ON invitations (workspace_id, customer_id, created_at);
CREATE INDEX invitations_survey ON invitations (workspace_id, survey_id, created_at);
CREATE UNIQUE INDEX invitations_idempotency ON invitations (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE suppressions (
	workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	email        TEXT    NOT NULL, -- lower-cased
	reason       TEXT    NOT NULL, -- unsubscribe, bounce, complaint, manual
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, email)
);

CREATE TABLE server_secrets (
	name       TEXT    NOT NULL PRIMARY KEY,
	value      TEXT    NOT NULL, -- hex
	created_at INTEGER NOT NULL
);
