-- Close the loop, second part: scheduled rule kinds (their settings and
-- next run), alerts not tied to a response, Slack-formatted webhooks, case
-- assignment rules, first contact on cases, and the weekly digest.
-- Times are Unix milliseconds (UTC).

ALTER TABLE alert_rules ADD COLUMN params TEXT NOT NULL DEFAULT '{}'; -- JSON alert.Params
-- Scheduled kinds run when next_run_at has passed; a run claims the rule
-- by moving next_run_at forward in one UPDATE (FOR UPDATE SKIP LOCKED on PostgreSQL).
ALTER TABLE alert_rules ADD COLUMN next_run_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX alert_rules_due ON alert_rules (next_run_at, workspace_id, id);

-- subject: what a scheduled alert is about (cooldown key); title and
-- detail (JSON) describe it. response_id is 0 when no response caused it.
ALTER TABLE alerts ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN detail TEXT NOT NULL DEFAULT '';
CREATE INDEX alerts_subject ON alerts (workspace_id, rule_id, subject, fired_at);

-- format: json (signed envelope) or slack (incoming-webhook message).
ALTER TABLE webhooks ADD COLUMN format TEXT NOT NULL DEFAULT 'json';

-- first_contact_at: the first note or status change after opening.
ALTER TABLE cases ADD COLUMN first_contact_at BIGINT;
CREATE INDEX cases_owner ON cases (workspace_id, owner, id);
-- The case an alert opened (GET /alerts shows it per alert).
CREATE INDEX cases_alert ON cases (workspace_id, alert_id);

-- Assignment rules, tried in position order: the first whose segment
-- matches the case's customer (segment_key '' matches all) assigns the
-- case to the next of its owners, round-robin; next_index is advanced in
-- the transaction that opens the case.
CREATE TABLE case_assignment_rules (
	workspace_id  BIGINT  NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	id            BIGINT  NOT NULL,
	position      BIGINT  NOT NULL,
	segment_key   TEXT    NOT NULL DEFAULT '',
	segment_value TEXT    NOT NULL DEFAULT '',
	owners        TEXT    NOT NULL, -- comma-separated
	next_index    BIGINT  NOT NULL DEFAULT 0,
	created_at    BIGINT  NOT NULL,
	PRIMARY KEY (workspace_id, id)
);

-- Per-workspace settings of notifications: the dashboard's public address
-- for links in emails and Slack messages ('' gives relative links).
CREATE TABLE loop_settings (
	workspace_id  BIGINT  NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	dashboard_url TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (workspace_id)
);

-- Weekly digest: who receives it, and which ISO weeks were sent (the
-- primary key makes each week's digest go out once).
CREATE TABLE digest_subscribers (
	workspace_id BIGINT  NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	email        TEXT    NOT NULL,
	created_at   BIGINT  NOT NULL,
	PRIMARY KEY (workspace_id, email)
);
CREATE TABLE digests_sent (
	workspace_id BIGINT  NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	week         TEXT    NOT NULL, -- ISO week, e.g. 2026-W09
	sent_at      BIGINT  NOT NULL,
	PRIMARY KEY (workspace_id, week)
);
CREATE SEQUENCE case_assignment_rules_id_seq;
