-- Alert rules, the alerts they fired and the cases opened for follow-up.
-- Times are Unix milliseconds (UTC). Alerts and cases are written in the
-- ingest transaction, so, like the ingest tables, they carry no foreign keys.

CREATE TABLE alert_rules (
	workspace_id       INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	id                 INTEGER NOT NULL,
	name               TEXT    NOT NULL,
	kind               TEXT    NOT NULL DEFAULT 'score',
	survey             TEXT    NOT NULL DEFAULT '', -- survey key; '' is every survey
	max_score          INTEGER NOT NULL,            -- fires when score <= max_score
	min_customer_value REAL,                        -- customers.attributes.value must exceed it
	cooldown_seconds   INTEGER NOT NULL DEFAULT 0,
	sla_hours          INTEGER NOT NULL DEFAULT 0,  -- due date of the cases it opens; 0 is none
	actions            TEXT    NOT NULL DEFAULT '', -- comma-separated: create_case, webhook
	active             INTEGER NOT NULL DEFAULT 1,
	created_at         INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, id)
);

CREATE TABLE alerts (
	workspace_id INTEGER NOT NULL,
	id           INTEGER NOT NULL,
	rule_id      INTEGER NOT NULL,
	response_id  INTEGER NOT NULL,
	customer_id  INTEGER,          -- NULL for an anonymous response
	dedup_key    TEXT    NOT NULL, -- one incident alerts once (alert.DedupKey)
	fired_at     INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, id),
	UNIQUE (workspace_id, dedup_key)
);
-- The cooldown check: the last alert of a rule for a customer.
CREATE INDEX alerts_cooldown ON alerts (workspace_id, customer_id, rule_id, fired_at);

CREATE TABLE cases (
	workspace_id    INTEGER NOT NULL,
	id              INTEGER NOT NULL,
	alert_id        INTEGER,
	customer_id     INTEGER,
	response_id     INTEGER,
	title           TEXT    NOT NULL,
	status          TEXT    NOT NULL DEFAULT 'open', -- open, in_progress, waiting, closed
	owner           TEXT    NOT NULL DEFAULT '',
	due_at          INTEGER,
	resolution_code TEXT    NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	closed_at       INTEGER,
	PRIMARY KEY (workspace_id, id)
);
CREATE INDEX cases_status ON cases (workspace_id, status, id);

CREATE TABLE case_notes (
	workspace_id INTEGER NOT NULL,
	id           INTEGER NOT NULL,
	case_id      INTEGER NOT NULL,
	author       TEXT    NOT NULL DEFAULT '',
	body         TEXT    NOT NULL,
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, case_id) REFERENCES cases (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX case_notes_case ON case_notes (workspace_id, case_id, id);
