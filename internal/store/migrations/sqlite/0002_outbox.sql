-- Webhook subscriptions, the transactional outbox and the webhook delivery log.
-- Times are Unix milliseconds (UTC); JSON is text.

CREATE TABLE webhooks (
	workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	id           INTEGER NOT NULL,
	url          TEXT    NOT NULL,
	-- The signing secret is kept in clear, unlike API keys: an API key is
	-- only ever compared, so its hash suffices, but HMAC-SHA256 signing needs
	-- the key itself, and a hash of it cannot sign. It is shown to the owner
	-- at creation and guarded like the rest of the database.
	secret       TEXT    NOT NULL,
	events       TEXT    NOT NULL, -- comma-separated event types; '*' is every type
	active       INTEGER NOT NULL DEFAULT 1,
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, id)
);

-- Messages written in the transaction of the change that caused them and
-- delivered by workers. available_at is both the retry time and the lease:
-- a claim pushes it to claimed_until, so a message whose worker died becomes
-- due again when the lease runs out.
CREATE TABLE outbox (
	workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	id            INTEGER NOT NULL,
	-- The id receivers see and deduplicate on: "msg_" and 130 random bits,
	-- unique without an index (one cost 15% of ingest with a subscriber).
	uid           TEXT    NOT NULL,
	topic         TEXT    NOT NULL, -- event type, e.g. response.created
	payload       TEXT    NOT NULL,
	created_at    INTEGER NOT NULL,
	available_at  INTEGER NOT NULL,
	attempts      INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT    NOT NULL DEFAULT '',
	claimed_by    TEXT,
	claimed_until INTEGER,
	delivered_at  INTEGER,
	dead_at       INTEGER,
	replayed_at   INTEGER,
	PRIMARY KEY (workspace_id, id)
);
-- Claiming reads the oldest due messages across workspaces; delivered and
-- dead ones leave the index.
CREATE INDEX outbox_due ON outbox (available_at) WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_dead ON outbox (workspace_id, id) WHERE dead_at IS NOT NULL;
-- PurgeOutbox deletes old delivered messages by time.
CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL;

CREATE TABLE webhook_deliveries (
	workspace_id INTEGER NOT NULL,
	id           INTEGER NOT NULL,
	message_id   INTEGER NOT NULL,
	webhook_id   INTEGER NOT NULL,
	attempt      INTEGER NOT NULL,
	status_code  INTEGER NOT NULL DEFAULT 0, -- 0 when no response arrived
	duration_ms  INTEGER NOT NULL,
	error        TEXT    NOT NULL DEFAULT '',
	at           INTEGER NOT NULL,
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, message_id) REFERENCES outbox (workspace_id, id) ON DELETE CASCADE,
	FOREIGN KEY (workspace_id, webhook_id) REFERENCES webhooks (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (workspace_id, webhook_id, id);
CREATE INDEX webhook_deliveries_message ON webhook_deliveries (workspace_id, message_id, webhook_id);
