package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// Webhook is a workspace's subscription: messages of the listed event
// types are POSTed to URL, signed with Secret.
type Webhook struct {
	WorkspaceID int64     `json:"workspace_id"`
	ID          int64     `json:"id"`
	URL         string    `json:"url"`
	Secret      string    `json:"secret,omitempty"` // the API shows it only at creation
	Events      []string  `json:"events"`           // event types; "*" is every type
	Format      string    `json:"format"`           // WebhookJSON (signed envelope) or WebhookSlack (incoming-webhook message)
	Active      bool      `json:"active"`
	CreatedAt   time.Time `json:"created_at"`
}

// Webhook formats.
const (
	WebhookJSON  = "json"
	WebhookSlack = "slack"
)

// Subscribes reports whether w wants messages of event type topic.
func (w Webhook) Subscribes(topic string) bool {
	return slices.Contains(w.Events, topic) || slices.Contains(w.Events, "*")
}

// eventType is the shape of an event type: "response.created".
var eventType = regexp.MustCompile(`^[a-z][a-z_]*(\.[a-z][a-z_]*)+$`)

// validate normalises w and reports its bad fields.
func (w *Webhook) validate() error {
	var errs []cx.FieldError
	w.URL = strings.TrimSpace(w.URL)
	u, err := url.Parse(w.URL)
	switch {
	case w.URL == "":
		errs = append(errs, cx.FieldError{Field: "url", Reason: "is required"})
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		errs = append(errs, cx.FieldError{Field: "url", Reason: "must be an absolute http or https URL"})
	case u.User != nil:
		errs = append(errs, cx.FieldError{Field: "url", Reason: "must not carry credentials; verify the signature instead"})
	case len(w.URL) > 2048:
		errs = append(errs, cx.FieldError{Field: "url", Reason: "must be at most 2048 characters"})
	}
	var events []string
	for _, e := range w.Events {
		e = strings.TrimSpace(e)
		if e != "*" && !eventType.MatchString(e) {
			errs = append(errs, cx.FieldError{Field: "events", Reason: fmt.Sprintf("%q is not an event type like response.created (or *)", e)})
			continue
		}
		if !slices.Contains(events, e) {
			events = append(events, e)
		}
	}
	if len(w.Events) == 0 {
		errs = append(errs, cx.FieldError{Field: "events", Reason: "must name at least one event type"})
	}
	w.Events = events
	if w.Format == "" {
		w.Format = WebhookJSON
	}
	if w.Format != WebhookJSON && w.Format != WebhookSlack {
		errs = append(errs, cx.FieldError{Field: "format", Reason: "must be json or slack"})
	}
	if len(w.Secret) > 0 && len(w.Secret) < 16 {
		errs = append(errs, cx.FieldError{Field: "secret", Reason: "must be at least 16 characters, or empty to generate one"})
	}
	if len(errs) > 0 {
		return &cx.ValidationError{Fields: errs}
	}
	return nil
}

// NewWebhookSecret returns a fresh random signing secret.
func NewWebhookSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return "whsec_" + hex.EncodeToString(b)
}

// CreateWebhook subscribes w.URL to w.Events in workspace ws. An empty
// Secret is generated; the returned Webhook carries it.
func (db *DB) CreateWebhook(ctx context.Context, ws int64, w Webhook) (Webhook, error) {
	if err := w.validate(); err != nil {
		return Webhook{}, fmt.Errorf("store: create webhook: %w", err)
	}
	if _, err := db.Workspace(ctx, ws); err != nil {
		return Webhook{}, fmt.Errorf("store: create webhook: %w", err)
	}
	if w.Secret == "" {
		w.Secret = NewWebhookSecret()
	}
	w.WorkspaceID, w.Active, w.CreatedAt = ws, true, db.now().Truncate(time.Millisecond)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		ids, err := db.allocIDs(ctx, tx, "webhooks", ws, 1)
		if err != nil {
			return err
		}
		w.ID = ids[0]
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO webhooks (workspace_id, id, url, secret, events, active, created_at, format)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), ws, w.ID, w.URL, w.Secret, strings.Join(w.Events, ","), w.Active, ms(w.CreatedAt), w.Format)
		return err
	})
	if err != nil {
		return Webhook{}, fmt.Errorf("store: create webhook: %w", err)
	}
	return w, nil
}

const webhookColumns = "workspace_id, id, url, secret, events, active, created_at, format"

func scanWebhook(row interface{ Scan(...any) error }) (Webhook, error) {
	var w Webhook
	var events string
	var created int64
	if err := row.Scan(&w.WorkspaceID, &w.ID, &w.URL, &w.Secret, &events, &w.Active, &created, &w.Format); err != nil {
		return Webhook{}, err
	}
	w.Events = strings.Split(events, ",")
	w.CreatedAt = fromMS(created)
	return w, nil
}

// Webhooks lists workspace ws's subscriptions, secrets included, oldest first.
func (db *DB) Webhooks(ctx context.Context, ws int64) ([]Webhook, error) {
	out, err := db.queryWebhooks(ctx, db.read, "SELECT "+webhookColumns+" FROM webhooks WHERE workspace_id = ? ORDER BY id", ws)
	if err != nil {
		return nil, fmt.Errorf("store: list webhooks: %w", err)
	}
	return out, nil
}

// Webhook returns one subscription of workspace ws, or cx.ErrNotFound.
func (db *DB) Webhook(ctx context.Context, ws, id int64) (Webhook, error) {
	w, err := scanWebhook(db.read.QueryRowContext(ctx, db.q("SELECT "+webhookColumns+" FROM webhooks WHERE workspace_id = ? AND id = ?"), ws, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Webhook{}, fmt.Errorf("store: webhook %d: %w", id, cx.ErrNotFound)
	}
	if err != nil {
		return Webhook{}, fmt.Errorf("store: webhook %d: %w", id, err)
	}
	return w, nil
}

// SetWebhookActive pauses (false) or resumes (true) a subscription. A
// paused subscription receives nothing, not even retries of earlier
// messages, and what it missed is not sent when it resumes.
func (db *DB) SetWebhookActive(ctx context.Context, ws, id int64, active bool) error {
	res, err := db.write.ExecContext(ctx, db.q("UPDATE webhooks SET active = ? WHERE workspace_id = ? AND id = ?"), active, ws, id)
	if err != nil {
		return fmt.Errorf("store: update webhook %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: update webhook %d: %w", id, cx.ErrNotFound)
	}
	return nil
}

// DeleteWebhook removes a subscription and its delivery log.
func (db *DB) DeleteWebhook(ctx context.Context, ws, id int64) error {
	res, err := db.write.ExecContext(ctx, db.q("DELETE FROM webhooks WHERE workspace_id = ? AND id = ?"), ws, id)
	if err != nil {
		return fmt.Errorf("store: delete webhook %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: delete webhook %d: %w", id, cx.ErrNotFound)
	}
	return nil
}

// WebhookTargets returns the subscriptions message m is still owed to: the
// active webhooks of its workspace that subscribe to its topic, existed
// when it was created, and have not yet answered it with a 2xx. A retry
// therefore goes only to the endpoints that failed.
func (db *DB) WebhookTargets(ctx context.Context, m OutboxMessage) ([]Webhook, error) {
	list, err := db.queryWebhooks(ctx, db.read, `SELECT `+webhookColumns+` FROM webhooks w
		WHERE w.workspace_id = ? AND w.active = ? AND w.created_at <= ?
		AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.workspace_id = w.workspace_id
			AND d.message_id = ? AND d.webhook_id = w.id AND d.status_code BETWEEN 200 AND 299)
		ORDER BY w.id`, m.WorkspaceID, true, ms(m.CreatedAt), m.ID)
	if err != nil {
		return nil, fmt.Errorf("store: webhook targets of message %d: %w", m.ID, err)
	}
	out := list[:0]
	for _, w := range list {
		if w.Subscribes(m.Topic) {
			out = append(out, w)
		}
	}
	return out, nil
}

// HasSubscribers reports whether workspace ws has an active webhook for
// event type topic. Write paths check it (with subscribed, inside their
// transaction) to skip the outbox when nobody listens.
func (db *DB) HasSubscribers(ctx context.Context, ws int64, topic string) (bool, error) {
	ok, err := db.subscribed(ctx, db.read, ws, topic)
	if err != nil {
		return false, fmt.Errorf("store: webhook subscribers: %w", err)
	}
	return ok, nil
}

// subscribed is HasSubscribers on q, which may be a write transaction.
func (db *DB) subscribed(ctx context.Context, q dbtx, ws int64, topic string) (bool, error) {
	rows, err := q.QueryContext(ctx, db.q("SELECT events FROM webhooks WHERE workspace_id = ? AND active = ?"), ws, true)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var events string
		if err := rows.Scan(&events); err != nil {
			return false, err
		}
		if (Webhook{Events: strings.Split(events, ",")}).Subscribes(topic) {
			return true, nil
		}
	}
	return false, rows.Err()
}

func (db *DB) queryWebhooks(ctx context.Context, q dbtx, query string, args ...any) ([]Webhook, error) {
	rows, err := q.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Webhook{}
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// Delivery is one attempt to deliver an outbox message to a webhook.
type Delivery struct {
	WorkspaceID int64         `json:"workspace_id"`
	ID          int64         `json:"id"`
	MessageID   int64         `json:"message_id"`
	WebhookID   int64         `json:"webhook_id"`
	Attempt     int           `json:"attempt"`
	StatusCode  int           `json:"status_code"` // 0 when no response arrived
	Duration    time.Duration `json:"duration_ns"`
	Error       string        `json:"error"` // "" on success
	At          time.Time     `json:"at"`
}

// OK reports whether the receiver accepted the delivery (a 2xx status).
func (d Delivery) OK() bool { return d.StatusCode >= 200 && d.StatusCode <= 299 }

// LogDelivery records one delivery attempt and returns it with its id.
func (db *DB) LogDelivery(ctx context.Context, d Delivery) (Delivery, error) {
	if d.At.IsZero() {
		d.At = db.now()
	}
	d.At = d.At.UTC().Truncate(time.Millisecond)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		ids, err := db.allocIDs(ctx, tx, "webhook_deliveries", d.WorkspaceID, 1)
		if err != nil {
			return err
		}
		d.ID = ids[0]
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO webhook_deliveries
			(workspace_id, id, message_id, webhook_id, attempt, status_code, duration_ms, error, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			d.WorkspaceID, d.ID, d.MessageID, d.WebhookID, d.Attempt, d.StatusCode, d.Duration.Milliseconds(), d.Error, ms(d.At))
		return err
	})
	if err != nil {
		return Delivery{}, fmt.Errorf("store: log delivery of message %d: %w", d.MessageID, err)
	}
	return d, nil
}

// DeliveryFilter selects delivery log entries; zero fields match all.
type DeliveryFilter struct {
	WebhookID int64
	MessageID int64
	Cursor    string
	Limit     int // default DefaultLimit, at most MaxLimit
}

// Deliveries lists workspace ws's delivery log, oldest first, a page at a time.
func (db *DB) Deliveries(ctx context.Context, ws int64, f DeliveryFilter) (Page[Delivery], error) {
	after, err := decodeCursor(f.Cursor)
	if err != nil {
		return Page[Delivery]{}, fmt.Errorf("store: list deliveries: %w", err)
	}
	var l listQuery
	l.add("d.workspace_id = ?", ws)
	if after > 0 {
		l.add("d.id > ?", after)
	}
	if f.WebhookID != 0 {
		l.add("d.webhook_id = ?", f.WebhookID)
	}
	if f.MessageID != 0 {
		l.add("d.message_id = ?", f.MessageID)
	}
	limit := clampLimit(f.Limit)
	q := l.sql(`SELECT d.workspace_id, d.id, d.message_id, d.webhook_id, d.attempt, d.status_code, d.duration_ms, d.error, d.at
		FROM webhook_deliveries d`, "d", limit)
	page, err := list(ctx, db, q, l.args, limit, func(row interface{ Scan(...any) error }) (Delivery, int64, error) {
		var d Delivery
		var dur, at int64
		if err := row.Scan(&d.WorkspaceID, &d.ID, &d.MessageID, &d.WebhookID, &d.Attempt, &d.StatusCode, &dur, &d.Error, &at); err != nil {
			return d, 0, err
		}
		d.Duration, d.At = time.Duration(dur)*time.Millisecond, fromMS(at)
		return d, d.ID, nil
	})
	if err != nil {
		return page, fmt.Errorf("store: list deliveries: %w", err)
	}
	return page, nil
}
