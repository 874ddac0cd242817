package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

var eventColumns = []string{"workspace_id", "id", "customer_id", "type", "occurred_at", "value", "currency",
	"attributes", "idempotency_key", "created_at"}

// InsertEvents validates and stores customer events, creating the
// customers they name. See BatchOptions for atomic and partial batches.
func (db *DB) InsertEvents(ctx context.Context, ws int64, es []cx.Event, opts BatchOptions) (BatchResult, error) {
	now := db.now()
	created := ms(now)
	return db.ingest(ctx, ws, opts, batchSpec{
		what: "events", table: "events", columns: eventColumns, n: len(es),
		validate: func(i int) []cx.FieldError { return es[i].Validate(now) },
		key:      func(i int) string { return es[i].IdempotencyKey },
		customer: func(i int) (string, time.Time) { return es[i].Customer, es[i].OccurredAt },
		row: func(i int, id, customer int64) ([]any, error) {
			e := &es[i]
			attrs, err := encodeAttrs(e.Attributes)
			if err != nil {
				return nil, err
			}
			return []any{ws, id, customer, string(e.Type), ms(e.OccurredAt), e.Value, e.Currency,
				attrs, nullString(e.IdempotencyKey), created}, nil
		},
		after: func(ctx context.Context, tx dbtx, fresh []int, customers map[string]int64) error {
			return db.applyChurn(ctx, tx, ws, es, fresh, customers)
		},
	})
}

// applyChurn keeps customers.churned_at in step with churn and reactivate
// events: a churn marks the customer churned at its time unless a later
// reactivation is known, and a reactivation after the churn clears it.
func (db *DB) applyChurn(ctx context.Context, tx dbtx, ws int64, es []cx.Event, fresh []int, customers map[string]int64) error {
	var idx []int
	for _, i := range fresh {
		if es[i].Type == cx.Churn || es[i].Type == cx.Reactivate {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return es[a].OccurredAt.Compare(es[b].OccurredAt) })
	for _, i := range idx {
		e := es[i]
		id, at := customers[e.Customer], ms(e.OccurredAt)
		var q string
		var args []any
		if e.Type == cx.Churn {
			q = `UPDATE customers SET churned_at = ? WHERE workspace_id = ? AND id = ?
				AND (churned_at IS NULL OR churned_at < ?)
				AND NOT EXISTS (SELECT 1 FROM events r WHERE r.workspace_id = ? AND r.customer_id = ? AND r.type = 'reactivate' AND r.occurred_at > ?)`
			args = []any{at, ws, id, at, ws, id, at}
		} else {
			q = "UPDATE customers SET churned_at = NULL WHERE workspace_id = ? AND id = ? AND churned_at < ?"
			args = []any{ws, id, at}
		}
		if _, err := tx.ExecContext(ctx, db.q(q), args...); err != nil {
			return fmt.Errorf("update churned_at: %w", err)
		}
	}
	return nil
}

const eventSelect = `SELECT e.id, c.external_id, e.type, e.occurred_at, e.value, e.currency, e.attributes,
	coalesce(e.idempotency_key, ''), e.created_at
	FROM events e JOIN customers c ON c.workspace_id = e.workspace_id AND c.id = e.customer_id`

func scanEvent(row interface{ Scan(...any) error }) (cx.Event, int64, error) {
	var e cx.Event
	var typ string
	var occurred, created int64
	var attrs []byte
	err := row.Scan(&e.ID, &e.Customer, &typ, &occurred, &e.Value, &e.Currency, &attrs, &e.IdempotencyKey, &created)
	if err != nil {
		return e, 0, err
	}
	e.Type = cx.EventType(typ)
	e.OccurredAt, e.CreatedAt = fromMS(occurred), fromMS(created)
	e.Attributes, err = decodeAttrs(attrs)
	return e, e.ID, err
}

// Events lists events in the order they were stored.
func (db *DB) Events(ctx context.Context, ws int64, f EventFilter) (Page[cx.Event], error) {
	var l listQuery
	if err := l.common(ws, "e", "occurred_at", f.ListFilter); err != nil {
		return Page[cx.Event]{}, fmt.Errorf("store: list events: %w", err)
	}
	if f.Type != "" {
		l.add("e.type = ?", string(f.Type))
	}
	page, err := list(ctx, db, l.sql(eventSelect, "e", f.limit()), l.args, f.limit(), scanEvent)
	if err != nil {
		return page, fmt.Errorf("store: list events: %w", err)
	}
	return page, nil
}

// Event returns one event, or cx.ErrNotFound.
func (db *DB) Event(ctx context.Context, ws, id int64) (cx.Event, error) {
	e, _, err := scanEvent(db.read.QueryRowContext(ctx, db.q(eventSelect+" WHERE e.workspace_id = ? AND e.id = ?"), ws, id))
	if errors.Is(err, sql.ErrNoRows) {
		return cx.Event{}, fmt.Errorf("store: event %d: %w", id, cx.ErrNotFound)
	}
	if err != nil {
		return cx.Event{}, fmt.Errorf("store: event %d: %w", id, err)
	}
	return e, nil
}
