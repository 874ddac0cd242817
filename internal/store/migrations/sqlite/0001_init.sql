-- cxlens schema, SQLite dialect. Times are Unix milliseconds (UTC); JSON is text.
-- Every table's key starts with workspace_id (DESIGN.md: tenancy, Citus-ready).
CREATE TABLE workspaces (
	id         INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL,
	time_zone  TEXT    NOT NULL DEFAULT 'UTC',
	created_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
	workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	id           INTEGER NOT NULL,
	name         TEXT    NOT NULL DEFAULT '',
	prefix       TEXT    NOT NULL,
	hash         TEXT    NOT NULL,
	scopes       TEXT    NOT NULL,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER,
	revoked_at   INTEGER,
	PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX api_keys_hash ON api_keys (hash);

CREATE TABLE surveys (
	workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	id           INTEGER NOT NULL,
	key          TEXT    NOT NULL,
	name         TEXT    NOT NULL,
	kind         TEXT    NOT NULL,
	scale_min    INTEGER NOT NULL,
	scale_max    INTEGER NOT NULL,
	question     TEXT    NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, id),
	UNIQUE (workspace_id, key)
);

CREATE TABLE customers (
	workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	id           INTEGER NOT NULL,
	external_id  TEXT    NOT NULL,
	email        TEXT    NOT NULL DEFAULT '',
	name         TEXT    NOT NULL DEFAULT '',
	attributes   TEXT    NOT NULL DEFAULT '{}',
	first_seen   INTEGER NOT NULL,
	churned_at   INTEGER,
	erased_at    INTEGER,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, id),
	UNIQUE (workspace_id, external_id)
);

CREATE TABLE events (
	workspace_id    INTEGER NOT NULL,
	id              INTEGER NOT NULL,
	customer_id     INTEGER NOT NULL,
	type            TEXT    NOT NULL,
	occurred_at     INTEGER NOT NULL,
	value           REAL    NOT NULL DEFAULT 0,
	currency        TEXT    NOT NULL DEFAULT '',
	attributes      TEXT    NOT NULL DEFAULT '{}',
	idempotency_key TEXT,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id)
);
CREATE INDEX events_customer ON events (workspace_id, customer_id, occurred_at);
CREATE INDEX events_time ON events (workspace_id, occurred_at);
CREATE UNIQUE INDEX events_idempotency ON events (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE tickets (
	workspace_id      INTEGER NOT NULL,
	id                INTEGER NOT NULL,
	external_id       TEXT    NOT NULL DEFAULT '',
	customer_id       INTEGER NOT NULL,
	agent             TEXT    NOT NULL DEFAULT '',
	channel           TEXT    NOT NULL DEFAULT '',
	opened_at         INTEGER NOT NULL,
	first_response_at INTEGER,
	resolved_at       INTEGER,
	handle_seconds    REAL,
	reopened          INTEGER NOT NULL DEFAULT 0,
	attributes        TEXT    NOT NULL DEFAULT '{}',
	idempotency_key   TEXT,
	created_at        INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id)
);
CREATE INDEX tickets_customer ON tickets (workspace_id, customer_id, opened_at);
CREATE INDEX tickets_time ON tickets (workspace_id, opened_at);
CREATE UNIQUE INDEX tickets_idempotency ON tickets (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE responses (
	workspace_id    INTEGER NOT NULL,
	id              INTEGER NOT NULL,
	survey_id       INTEGER NOT NULL,
	customer_id     INTEGER,
	submitted_at    INTEGER NOT NULL,
	score           INTEGER NOT NULL,
	comment         TEXT    NOT NULL DEFAULT '',
	language        TEXT    NOT NULL DEFAULT '',
	channel         TEXT    NOT NULL DEFAULT '',
	touchpoint      TEXT    NOT NULL DEFAULT '',
	attributes      TEXT    NOT NULL DEFAULT '{}',
	idempotency_key TEXT,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, survey_id) REFERENCES surveys (workspace_id, id),
	FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id)
);
CREATE INDEX responses_survey ON responses (workspace_id, survey_id, submitted_at);
CREATE INDEX responses_customer ON responses (workspace_id, customer_id, submitted_at);
CREATE UNIQUE INDEX responses_idempotency ON responses (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Results of requests sent with an Idempotency-Key header, replayed on retry.
CREATE TABLE idempotency_requests (
	workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	key          TEXT    NOT NULL,
	fingerprint  TEXT    NOT NULL,
	status       INTEGER NOT NULL,
	body         BLOB    NOT NULL,
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, key)
);
