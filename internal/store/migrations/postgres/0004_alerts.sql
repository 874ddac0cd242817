-- Alert rules, the alerts they fired and the cases opened for follow-up.
-- Times are Unix milliseconds (UTC), as in SQLite, so the SQL is shared.
-- Alerts and cases are written in the ingest transaction, so, like the
-- ingest tables, they carry no foreign keys.

CREATE TABLE alert_rules (
	workspace_id       BIGINT  NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	id                 BIGINT  NOT NULL,
	name               TEXT    NOT NULL,
	kind               TEXT    NOT NULL DEFAULT 'score',
	survey             TEXT    NOT NULL DEFAULT '', -- survey key; '' is every survey
	max_score          BIGINT  NOT NULL,            -- fires when score <= max_score
	min_customer_value DOUBLE PRECISION,            -- customers.attributes.value must exceed it
	cooldown_seconds   BIGINT  NOT NULL DEFAULT 0,
	sla_hours          BIGINT  NOT NULL DEFAULT 0,  -- due date of the cases it opens; 0 is none
	actions            TEXT    NOT NULL DEFAULT '', -- comma-separated: create_case, webhook
	active             BOOLEAN NOT NULL DEFAULT TRUE,
	created_at         BIGINT  NOT NULL,
	PRIMARY KEY (workspace_id, id)
);

CREATE TABLE alerts (
	workspace_id BIGINT  NOT NULL,
	id           BIGINT  NOT NULL,
	rule_id      BIGINT  NOT NULL,
	response_id  BIGINT  NOT NULL,
	customer_id  BIGINT,          -- NULL for an anonymous response
	dedup_key    TEXT    NOT NULL, -- one incident alerts once (alert.DedupKey)
	fired_at     BIGINT  NOT NULL,
	PRIMARY KEY (workspace_id, id),
	UNIQUE (workspace_id, dedup_key)
);
-- The cooldown check: the last alert of a rule for a customer.
CREATE INDEX alerts_cooldown ON alerts (workspace_id, customer_id, rule_id, fired_at);

CREATE TABLE cases (
	workspace_id    BIGINT  NOT NULL,
	id              BIGINT  NOT NULL,
	alert_id        BIGINT,
	customer_id     BIGINT,
	response_id     BIGINT,
	title           TEXT    NOT NULL,
	status          TEXT    NOT NULL DEFAULT 'open', -- open, in_progress, waiting, closed
	owner           TEXT    NOT NULL DEFAULT '',
	due_at          BIGINT,
	resolution_code TEXT    NOT NULL DEFAULT '',
	created_at      BIGINT  NOT NULL,
	updated_at      BIGINT  NOT NULL,
	closed_at       BIGINT,
	PRIMARY KEY (workspace_id, id)
);
CREATE INDEX cases_status ON cases (workspace_id, status, id);

CREATE TABLE case_notes (
	workspace_id BIGINT  NOT NULL,
	id           BIGINT  NOT NULL,
	case_id      BIGINT  NOT NULL,
	author       TEXT    NOT NULL DEFAULT '',
	body         TEXT    NOT NULL,
	created_at   BIGINT  NOT NULL,
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, case_id) REFERENCES cases (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX case_notes_case ON case_notes (workspace_id, case_id, id);

CREATE SEQUENCE alert_rules_id_seq;
CREATE SEQUENCE alerts_id_seq;
CREATE SEQUENCE cases_id_seq;
CREATE SEQUENCE case_notes_id_seq;
