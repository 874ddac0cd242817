-- Text analytics: the workspace codeframe, the themes and sentiment of each
-- comment (survey response or feedback item), feedback items without a
-- survey behind them, and the workspace's own sentiment model.

-- A workspace's codeframe, one row per theme; a workspace without rows
-- uses the starter codeframe. status is 'active' or 'excluded' (an
-- excluded theme is kept but never tagged).
CREATE TABLE text_themes (
	workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	id           TEXT    NOT NULL,
	parent       TEXT    NOT NULL DEFAULT '',
	name         TEXT    NOT NULL,
	terms        TEXT    NOT NULL DEFAULT '{}',
	exclude      TEXT    NOT NULL DEFAULT '{}',
	status       TEXT    NOT NULL DEFAULT 'active',
	position     INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, id)
);

-- Per-workspace text state: a hash of the codeframe (changes on every edit;
-- '' while the starter codeframe is used)
-- and the trained sentiment model, if any.
CREATE TABLE text_state (
	workspace_id      INTEGER PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
	codeframe_hash    TEXT    NOT NULL DEFAULT '',
	model_id          TEXT    NOT NULL DEFAULT '',
	model             BLOB,
	model_report      TEXT    NOT NULL DEFAULT '{}',
	model_trained_at  INTEGER
);

-- Feedback items: text with no survey behind it (reviews, social posts,
-- chats, tickets, call notes).
CREATE TABLE feedback (
	workspace_id    INTEGER NOT NULL,
	id              INTEGER NOT NULL,
	customer_id     INTEGER,
	source          TEXT    NOT NULL,
	rating          REAL,
	rating_scale    INTEGER,
	author          TEXT    NOT NULL DEFAULT '',
	url             TEXT    NOT NULL DEFAULT '',
	text            TEXT    NOT NULL,
	language        TEXT    NOT NULL DEFAULT '',
	occurred_at     INTEGER NOT NULL,
	attributes      TEXT    NOT NULL DEFAULT '{}',
	idempotency_key TEXT,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id)
);
CREATE INDEX feedback_time ON feedback (workspace_id, occurred_at);
CREATE INDEX feedback_source ON feedback (workspace_id, source, occurred_at);
CREATE UNIQUE INDEX feedback_idempotency ON feedback (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Language and sentiment of each analysed comment. kind is 'response' or
-- 'feedback'; model names the sentiment model used ('workspace', 'builtin').
CREATE TABLE text_sentiment (
	workspace_id INTEGER NOT NULL,
	kind         TEXT    NOT NULL,
	item_id      INTEGER NOT NULL,
	language     TEXT    NOT NULL,
	score        REAL    NOT NULL,
	label        TEXT    NOT NULL,
	model        TEXT    NOT NULL,
	analyzed_at  INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, kind, item_id)
) WITHOUT ROWID; -- one b-tree write per row instead of two: these rows come with every comment

-- Themes of each comment. source is 'auto' (the tagger), 'manual' (added
-- by a person) or 'removed' (taken off by a person; re-runs keep it off).
-- sentences are the matched byte ranges of the comment, JSON [[start,end],…].
CREATE TABLE response_themes (
	workspace_id INTEGER NOT NULL,
	kind         TEXT    NOT NULL,
	item_id      INTEGER NOT NULL,
	theme_id     TEXT    NOT NULL,
	source       TEXT    NOT NULL,
	sentences    TEXT    NOT NULL DEFAULT '[]',
	PRIMARY KEY (workspace_id, kind, item_id, theme_id)
) WITHOUT ROWID;
CREATE INDEX response_themes_theme ON response_themes (workspace_id, theme_id);
