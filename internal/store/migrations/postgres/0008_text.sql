-- Text analytics: the workspace codeframe, the themes and sentiment of each
-- comment (survey response or feedback item), feedback items without a
-- survey behind them, and the workspace's own sentiment model.

-- A workspace's codeframe, one row per theme; a workspace without rows
-- uses the starter codeframe. status is 'active' or 'excluded' (an
-- excluded theme is kept but never tagged).
CREATE TABLE text_themes (
	workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	id           TEXT    NOT NULL,
	parent       TEXT    NOT NULL DEFAULT '',
	name         TEXT    NOT NULL,
	terms        TEXT    NOT NULL DEFAULT '{}',
	exclude      TEXT    NOT NULL DEFAULT '{}',
	status       TEXT    NOT NULL DEFAULT 'active',
	position     BIGINT NOT NULL,
	updated_at   BIGINT NOT NULL,
	PRIMARY KEY (workspace_id, id)
);

-- Per-workspace text state: a hash of the codeframe (changes on every edit;
-- '' while the starter codeframe is used)
-- and the trained sentiment model, if any.
CREATE TABLE text_state (
	workspace_id      BIGINT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
	codeframe_hash    TEXT    NOT NULL DEFAULT '',
	model_id          TEXT    NOT NULL DEFAULT '',
	model             BYTEA,
	model_report      TEXT    NOT NULL DEFAULT '{}',
	model_trained_at  BIGINT
);

-- Feedback items: text with no survey behind it (reviews, social posts,
-- chats, tickets, call notes).
CREATE TABLE feedback (
	workspace_id    BIGINT NOT NULL,
	id              BIGINT NOT NULL,
	customer_id     BIGINT,
	source          TEXT    NOT NULL,
	rating          DOUBLE PRECISION,
	rating_scale    BIGINT,
	author          TEXT    NOT NULL DEFAULT '',
	url             TEXT    NOT NULL DEFAULT '',
	text            TEXT    NOT NULL,
	language        TEXT    NOT NULL DEFAULT '',
	occurred_at     BIGINT NOT NULL,
	attributes      TEXT    NOT NULL DEFAULT '{}',
	idempotency_key TEXT,
	created_at      BIGINT NOT NULL,
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id)
);
CREATE INDEX feedback_time ON feedback (workspace_id, occurred_at);
CREATE INDEX feedback_source ON feedback (workspace_id, source, occurred_at);
CREATE UNIQUE INDEX feedback_idempotency ON feedback (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Language and sentiment of each analysed comment. kind is 'response' or
-- 'feedback'; model names the sentiment model used ('workspace', 'builtin').
CREATE TABLE text_sentiment (
	workspace_id BIGINT NOT NULL,
	kind         TEXT    NOT NULL,
	item_id      BIGINT NOT NULL,
	language     TEXT    NOT NULL,
	score        DOUBLE PRECISION    NOT NULL,
	label        TEXT    NOT NULL,
	model        TEXT    NOT NULL,
	analyzed_at  BIGINT NOT NULL,
	PRIMARY KEY (workspace_id, kind, item_id)
);

-- Themes of each comment. source is 'auto' (the tagger), 'manual' (added
-- by a person) or 'removed' (taken off by a person; re-runs keep it off).
-- sentences are the matched byte ranges of the comment, JSON [[start,end],…].
CREATE TABLE response_themes (
	workspace_id BIGINT NOT NULL,
	kind         TEXT    NOT NULL,
	item_id      BIGINT NOT NULL,
	theme_id     TEXT    NOT NULL,
	source       TEXT    NOT NULL,
	sentences    TEXT    NOT NULL DEFAULT '[]',
	PRIMARY KEY (workspace_id, kind, item_id, theme_id)
);
CREATE INDEX response_themes_theme ON response_themes (workspace_id, theme_id);
CREATE SEQUENCE feedback_id_seq;
