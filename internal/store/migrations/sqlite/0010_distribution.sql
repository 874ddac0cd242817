-- Distribution: when an invitation's mail was accepted by the relay, the
-- workspace's throttle settings (recontact limit, quiet hours), per-survey
-- sampling and reminder settings, and trigger rules that create
-- invitations from events, resolved tickets or a period. Times are Unix
-- milliseconds (UTC).

ALTER TABLE invitations ADD COLUMN delivered_at INTEGER;
CREATE INDEX invitations_sent ON invitations (status, sent_at);

CREATE TABLE throttle_settings (
	workspace_id   INTEGER NOT NULL PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
	recontact_days INTEGER NOT NULL DEFAULT 0,  -- 0: no global limit
	quiet_start    TEXT    NOT NULL DEFAULT '', -- HH:MM local time; '' with quiet_end '': none
	quiet_end      TEXT    NOT NULL DEFAULT '',
	time_zone      TEXT    NOT NULL DEFAULT '', -- '' means the workspace's
	updated_at     INTEGER NOT NULL
);

CREATE TABLE survey_distribution (
	workspace_id   INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	survey_id      INTEGER NOT NULL,
	sample_percent INTEGER NOT NULL DEFAULT 100,
	reminder_days  INTEGER NOT NULL DEFAULT 3, -- 0: no reminder
	updated_at     INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, survey_id)
);

CREATE TABLE triggers (
	workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	id            INTEGER NOT NULL,
	survey_id     INTEGER NOT NULL,
	name          TEXT    NOT NULL,
	source        TEXT    NOT NULL,             -- ticket_resolved, event, periodic
	event_type    TEXT    NOT NULL DEFAULT '',  -- for source event, e.g. purchase
	delay_seconds INTEGER NOT NULL DEFAULT 0,
	every_days    INTEGER NOT NULL DEFAULT 0,   -- for source periodic
	language      TEXT    NOT NULL DEFAULT '',
	touchpoint    TEXT    NOT NULL DEFAULT '',
	enabled       INTEGER NOT NULL DEFAULT 1,
	watermark     INTEGER NOT NULL DEFAULT 0,   -- last event id / ticket resolved_at (ms) seen
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, id)
);
