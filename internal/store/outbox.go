package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// Message is a notification to enqueue: an event type and its JSON data.
type Message struct {
	Topic   string          // event type, e.g. "response.created"
	Payload json.RawMessage // the event's data; empty means {}
}

// OutboxMessage is a stored outbox row.
type OutboxMessage struct {
	WorkspaceID  int64           `json:"workspace_id"`
	ID           int64           `json:"id"`
	UID          string          `json:"uid"` // unique across workspaces: what receivers deduplicate on
	Topic        string          `json:"topic"`
	Payload      json.RawMessage `json:"payload"`
	CreatedAt    time.Time       `json:"created_at"`
	AvailableAt  time.Time       `json:"available_at"`
	Attempts     int             `json:"attempts"` // claims so far; also the claim's fencing token
	LastError    string          `json:"last_error"`
	ClaimedBy    string          `json:"claimed_by,omitempty"`
	ClaimedUntil *time.Time      `json:"claimed_until,omitempty"`
	DeliveredAt  *time.Time      `json:"delivered_at,omitempty"`
	DeadAt       *time.Time      `json:"dead_at,omitempty"`
	ReplayedAt   *time.Time      `json:"replayed_at,omitempty"`
}

// RetryFrom is when the message's retry budget started: its creation, or
// its last replay from the dead letters.
func (m OutboxMessage) RetryFrom() time.Time {
	if m.ReplayedAt != nil {
		return *m.ReplayedAt
	}
	return m.CreatedAt
}

// ErrLeaseLost means a worker tried to finish a message it no longer holds:
// its lease ran out and another worker claimed the message, or it was
// already finished. The worker must drop the message.
var ErrLeaseLost = errors.New("outbox lease lost")

var outboxColumns = []string{"workspace_id", "id", "uid", "topic", "payload", "created_at", "available_at"}

const outboxSelect = `workspace_id, id, uid, topic, payload, created_at, available_at, attempts, last_error,
	claimed_by, claimed_until, delivered_at, dead_at, replayed_at`

func scanOutbox(row interface{ Scan(...any) error }) (OutboxMessage, error) {
	var m OutboxMessage
	var payload string
	var created, available int64
	var claimedBy sql.NullString
	var until, delivered, dead, replayed sql.NullInt64
	if err := row.Scan(&m.WorkspaceID, &m.ID, &m.UID, &m.Topic, &payload, &created, &available, &m.Attempts, &m.LastError,
		&claimedBy, &until, &delivered, &dead, &replayed); err != nil {
		return OutboxMessage{}, err
	}
	m.Payload = json.RawMessage(payload)
	m.CreatedAt, m.AvailableAt = fromMS(created), fromMS(available)
	m.ClaimedBy = claimedBy.String
	m.ClaimedUntil, m.DeliveredAt, m.DeadAt, m.ReplayedAt = fromNullMS(until), fromNullMS(delivered), fromNullMS(dead), fromNullMS(replayed)
	return m, nil
}

// Enqueue writes msgs to workspace ws's outbox in one transaction. Changes
// that cause notifications call enqueueTx inside their own transaction
// instead, so the message is stored exactly when the change is.
func (db *DB) Enqueue(ctx context.Context, ws int64, msgs []Message) ([]OutboxMessage, error) {
	if _, err := db.Workspace(ctx, ws); err != nil {
		return nil, fmt.Errorf("store: enqueue: %w", err)
	}
	var out []OutboxMessage
	err := db.inWriteTx(ctx, func(tx dbtx) error {
		var err error
		out, err = db.enqueueTx(ctx, tx, ws, msgs)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: enqueue: %w", err)
	}
	return out, nil
}

// enqueueTx writes msgs to workspace ws's outbox inside tx, due at once.
func (db *DB) enqueueTx(ctx context.Context, tx dbtx, ws int64, msgs []Message) ([]OutboxMessage, error) {
	var bad []cx.FieldError
	for i, m := range msgs {
		if !eventType.MatchString(m.Topic) {
			bad = append(bad, cx.FieldError{Index: i, Field: "topic", Reason: fmt.Sprintf("%q is not an event type like response.created", m.Topic)})
		}
		if len(m.Payload) > 0 && !json.Valid(m.Payload) {
			bad = append(bad, cx.FieldError{Index: i, Field: "payload", Reason: "must be valid JSON"})
		}
	}
	if len(bad) > 0 {
		return nil, &cx.ValidationError{Fields: bad}
	}
	ids, err := db.allocIDs(ctx, tx, "outbox", ws, len(msgs))
	if err != nil {
		return nil, err
	}
	now := db.now().Truncate(time.Millisecond)
	out := make([]OutboxMessage, len(msgs))
	rows := make([][]any, len(msgs))
	for i, m := range msgs {
		payload := m.Payload
		if len(payload) == 0 {
			payload = json.RawMessage("{}")
		}
		out[i] = OutboxMessage{WorkspaceID: ws, ID: ids[i], UID: "msg_" + rand.Text(), Topic: m.Topic, Payload: payload,
			CreatedAt: now, AvailableAt: now}
		rows[i] = []any{ws, ids[i], out[i].UID, m.Topic, string(payload), ms(now), ms(now)}
	}
	if err := db.insertRows(ctx, tx, "outbox", outboxColumns, rows); err != nil {
		return nil, err
	}
	return out, nil
}

// ClaimOutbox claims up to n due messages, oldest first, for worker until
// lease from now, and returns them with Attempts counting this claim. A
// message is due when it is neither delivered nor dead and its available_at
// (retry time, or the lease of a previous claim) has passed. On PostgreSQL
// the candidates are locked with FOR UPDATE SKIP LOCKED, so concurrent
// workers on several instances never claim the same message; SQLite has a
// single writer, so the one UPDATE … RETURNING is atomic there already.
// Filters, all of which must hold, restrict the topics claimed: the mail
// worker claims TopicPrefix("mail."), the webhook worker every other topic.
func (db *DB) ClaimOutbox(ctx context.Context, worker string, n int, lease time.Duration, filters ...TopicFilter) ([]OutboxMessage, error) {
	if worker == "" || n <= 0 || lease <= 0 {
		return nil, fmt.Errorf("store: claim outbox: %w", cx.Invalid("worker", "a worker name, n > 0 and lease > 0 are required"))
	}
	now := db.now()
	until := ms(now.Add(lease))
	lock := ""
	if db.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	args := []any{worker, until, until, ms(now)}
	topics := ""
	for _, f := range filters {
		op := "="
		if f.Except {
			op = "<>"
		}
		topics += " AND substr(topic, 1, " + fmt.Sprint(len(f.Prefix)) + ") " + op + " ?"
		args = append(args, f.Prefix)
	}
	args = append(args, n)
	rows, err := db.write.QueryContext(ctx, db.q(`UPDATE outbox
		SET claimed_by = ?, claimed_until = ?, available_at = ?, attempts = attempts + 1
		WHERE (workspace_id, id) IN (
			SELECT workspace_id, id FROM outbox
			WHERE delivered_at IS NULL AND dead_at IS NULL AND available_at <= ?`+topics+`
			ORDER BY available_at LIMIT ?`+lock+`)
		RETURNING `+outboxSelect), args...)
	if err != nil {
		return nil, fmt.Errorf("store: claim outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("store: claim outbox: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: claim outbox: %w", err)
	}
	slices.SortFunc(out, func(a, b OutboxMessage) int {
		if c := a.AvailableAt.Compare(b.AvailableAt); c != 0 {
			return c
		}
		return a.CreatedAt.Compare(b.CreatedAt)
	})
	return out, nil
}

// TopicFilter selects outbox topics by prefix: those starting with Prefix,
// or with Except, those that do not.
type TopicFilter struct {
	Prefix string
	Except bool
}

// TopicPrefix selects the topics starting with p.
func TopicPrefix(p string) TopicFilter { return TopicFilter{Prefix: p} }

// TopicNotPrefix selects the topics not starting with p.
func TopicNotPrefix(p string) TopicFilter { return TopicFilter{Prefix: p, Except: true} }

// finish updates a message claimed as m, if the claim still holds: same
// worker, same attempt, not finished.
func (db *DB) finish(ctx context.Context, what string, m OutboxMessage, set string, args ...any) error {
	args = append(args, m.WorkspaceID, m.ID, m.ClaimedBy, m.Attempts)
	res, err := db.write.ExecContext(ctx, db.q(`UPDATE outbox SET `+set+`, claimed_by = NULL, claimed_until = NULL
		WHERE workspace_id = ? AND id = ? AND claimed_by = ? AND attempts = ? AND delivered_at IS NULL AND dead_at IS NULL`), args...)
	if err != nil {
		return fmt.Errorf("store: mark message %d %s: %w", m.ID, what, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: mark message %d %s: %w", m.ID, what, ErrLeaseLost)
	}
	return nil
}

// MarkDelivered records that the message claimed as m was delivered.
func (db *DB) MarkDelivered(ctx context.Context, m OutboxMessage) error {
	return db.finish(ctx, "delivered", m, "delivered_at = ?, last_error = ''", ms(db.now()))
}

// MarkFailed releases the message claimed as m for another attempt at next,
// recording cause.
func (db *DB) MarkFailed(ctx context.Context, m OutboxMessage, next time.Time, cause error) error {
	return db.finish(ctx, "failed", m, "available_at = ?, last_error = ?", ms(next), errText(cause))
}

// MarkDead moves the message claimed as m to the dead letters, recording
// cause; Replay brings it back.
func (db *DB) MarkDead(ctx context.Context, m OutboxMessage, cause error) error {
	return db.finish(ctx, "dead", m, "dead_at = ?, last_error = ?", ms(db.now()), errText(cause))
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if len(s) > 1000 {
		s = s[:1000]
	}
	return s
}

// OutboxMessage returns one message of workspace ws, or cx.ErrNotFound.
func (db *DB) OutboxMessage(ctx context.Context, ws, id int64) (OutboxMessage, error) {
	m, err := scanOutbox(db.read.QueryRowContext(ctx, db.q("SELECT "+outboxSelect+" FROM outbox WHERE workspace_id = ? AND id = ?"), ws, id))
	if errors.Is(err, sql.ErrNoRows) {
		return OutboxMessage{}, fmt.Errorf("store: outbox message %d: %w", id, cx.ErrNotFound)
	}
	if err != nil {
		return OutboxMessage{}, fmt.Errorf("store: outbox message %d: %w", id, err)
	}
	return m, nil
}

// DeadLetters lists workspace ws's dead messages, oldest first, a page at a time.
func (db *DB) DeadLetters(ctx context.Context, ws int64, cursor string, limit int) (Page[OutboxMessage], error) {
	after, err := decodeCursor(cursor)
	if err != nil {
		return Page[OutboxMessage]{}, fmt.Errorf("store: list dead letters: %w", err)
	}
	var l listQuery
	l.add("o.workspace_id = ?", ws)
	l.add("o.dead_at IS NOT NULL")
	if after > 0 {
		l.add("o.id > ?", after)
	}
	limit = clampLimit(limit)
	page, err := list(ctx, db, l.sql("SELECT "+outboxSelect+" FROM outbox o", "o", limit), l.args, limit,
		func(row interface{ Scan(...any) error }) (OutboxMessage, int64, error) {
			m, err := scanOutbox(row)
			return m, m.ID, err
		})
	if err != nil {
		return page, fmt.Errorf("store: list dead letters: %w", err)
	}
	return page, nil
}

// Replay moves dead message id of workspace ws back to the queue, due now,
// with a fresh retry budget. It goes only to the subscriptions that have not
// yet accepted it. Replaying a message that is not dead is cx.ErrConflict.
func (db *DB) Replay(ctx context.Context, ws, id int64) error {
	now := ms(db.now())
	res, err := db.write.ExecContext(ctx, db.q(`UPDATE outbox SET dead_at = NULL, available_at = ?, replayed_at = ?, attempts = 0,
		claimed_by = NULL, claimed_until = NULL WHERE workspace_id = ? AND id = ? AND dead_at IS NOT NULL`), now, now, ws, id)
	if err != nil {
		return fmt.Errorf("store: replay message %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := db.OutboxMessage(ctx, ws, id); err != nil {
			return fmt.Errorf("store: replay message %d: %w", id, cx.ErrNotFound)
		}
		return fmt.Errorf("store: replay message %d: %w", id, &conflict{"the message is not dead"})
	}
	return nil
}

// PurgeOutbox deletes, in every workspace, the messages delivered before
// t, with their delivery log, and returns how many it deleted. Dead
// letters stay until replayed. Receivers deduplicate on the random uid,
// never on the numeric id, so ids reused after a purge are harmless.
func (db *DB) PurgeOutbox(ctx context.Context, t time.Time) (int64, error) {
	res, err := db.write.ExecContext(ctx, db.q("DELETE FROM outbox WHERE delivered_at < ?"), ms(t))
	if err != nil {
		return 0, fmt.Errorf("store: purge outbox: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: purge outbox: %w", err)
	}
	return n, nil
}

// conflict is a cx.ErrConflict with a reason.
type conflict struct{ reason string }

func (c *conflict) Error() string        { return c.reason }
func (c *conflict) Is(target error) bool { return target == cx.ErrConflict }
