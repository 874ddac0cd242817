-- Dashboard accounts: users (email + argon2id password hash), their
-- memberships of workspaces with a role, browser sessions (only the SHA-256
-- of the session token is kept), password resets and user invitations
-- (single-use tokens, kept as SHA-256), and the audit log of admin actions.
-- Times are Unix milliseconds (UTC).

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT    NOT NULL UNIQUE, -- lower-cased
	name          TEXT    NOT NULL DEFAULT '',
	password_hash TEXT    NOT NULL DEFAULT '', -- PHC string, $argon2id$...; empty: cannot log in
	lang          TEXT    NOT NULL DEFAULT '', -- UI language preference (en, zh, ro), empty: none
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
);

CREATE TABLE memberships (
	workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	role         TEXT    NOT NULL, -- owner, admin, analyst, agent, viewer
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE sessions (
	token_hash   TEXT    NOT NULL PRIMARY KEY, -- hex SHA-256 of the cookie's token
	user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	workspace_id INTEGER, -- the workspace last chosen in the switcher
	csrf         TEXT    NOT NULL, -- synchronizer token of the session's forms
	created_at   INTEGER NOT NULL,
	seen_at      INTEGER NOT NULL, -- idle expiry counts from here
	expires_at   INTEGER NOT NULL, -- absolute expiry
	ip           TEXT    NOT NULL DEFAULT '',
	user_agent   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE password_resets (
	token_hash TEXT    NOT NULL PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER
);
CREATE INDEX password_resets_user ON password_resets (user_id);

CREATE TABLE user_invitations (
	workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	id           INTEGER NOT NULL,
	email        TEXT    NOT NULL, -- lower-cased
	role         TEXT    NOT NULL,
	token_hash   TEXT    NOT NULL UNIQUE,
	invited_by   INTEGER, -- user id
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	accepted_at  INTEGER,
	revoked_at   INTEGER,
	PRIMARY KEY (workspace_id, id)
);

CREATE TABLE audit_log (
	workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	id           INTEGER NOT NULL,
	user_id      INTEGER, -- who did it; NULL for the command line
	actor        TEXT    NOT NULL DEFAULT '', -- their email at the time
	action       TEXT    NOT NULL, -- e.g. user.invited, apikey.created
	target       TEXT    NOT NULL DEFAULT '', -- what it was done to
	detail       TEXT    NOT NULL DEFAULT '',
	ip           TEXT    NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, id)
);
CREATE INDEX audit_log_time ON audit_log (workspace_id, created_at);
