package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

var ticketColumns = []string{"workspace_id", "id", "customer_id", "external_id", "agent", "channel", "opened_at",
	"first_response_at", "resolved_at", "handle_seconds", "reopened", "attributes", "idempotency_key", "created_at"}

// InsertTickets validates and stores support tickets, creating the
// customers they name. See BatchOptions for atomic and partial batches.
func (db *DB) InsertTickets(ctx context.Context, ws int64, ts []cx.Ticket, opts BatchOptions) (BatchResult, error) {
	now := db.now()
	created := ms(now)
	return db.ingest(ctx, ws, opts, batchSpec{
		what: "tickets", table: "tickets", columns: ticketColumns, n: len(ts),
		validate: func(i int) []cx.FieldError { return ts[i].Validate(now) },
		key:      func(i int) string { return ts[i].IdempotencyKey },
		customer: func(i int) (string, time.Time) { return ts[i].Customer, ts[i].OpenedAt },
		row: func(i int, id, customer int64) ([]any, error) {
			t := &ts[i]
			attrs, err := encodeAttrs(t.Attributes)
			if err != nil {
				return nil, err
			}
			var handle any
			if t.HandleSeconds != nil {
				handle = *t.HandleSeconds
			}
			return []any{ws, id, customer, t.ExternalID, t.Agent, t.Channel, ms(t.OpenedAt),
				msOrNil(t.FirstResponseAt), msOrNil(t.ResolvedAt), handle, t.Reopened, attrs,
				nullString(t.IdempotencyKey), created}, nil
		},
	})
}

const ticketSelect = `SELECT t.id, t.external_id, c.external_id, t.agent, t.channel, t.opened_at, t.first_response_at,
	t.resolved_at, t.handle_seconds, t.reopened, t.attributes, coalesce(t.idempotency_key, ''), t.created_at
	FROM tickets t JOIN customers c ON c.workspace_id = t.workspace_id AND c.id = t.customer_id`

func scanTicket(row interface{ Scan(...any) error }) (cx.Ticket, int64, error) {
	var t cx.Ticket
	var opened, created int64
	var first, resolved sql.NullInt64
	var handle sql.NullFloat64
	var attrs []byte
	err := row.Scan(&t.ID, &t.ExternalID, &t.Customer, &t.Agent, &t.Channel, &opened, &first, &resolved,
		&handle, &t.Reopened, &attrs, &t.IdempotencyKey, &created)
	if err != nil {
		return t, 0, err
	}
	t.OpenedAt, t.CreatedAt = fromMS(opened), fromMS(created)
	t.FirstResponseAt, t.ResolvedAt = fromNullMS(first), fromNullMS(resolved)
	if handle.Valid {
		t.HandleSeconds = &handle.Float64
	}
	t.Attributes, err = decodeAttrs(attrs)
	return t, t.ID, err
}

// Tickets lists tickets in the order they were stored.
func (db *DB) Tickets(ctx context.Context, ws int64, f TicketFilter) (Page[cx.Ticket], error) {
	var l listQuery
	if err := l.common(ws, "t", "opened_at", f.ListFilter); err != nil {
		return Page[cx.Ticket]{}, fmt.Errorf("store: list tickets: %w", err)
	}
	if f.Agent != "" {
		l.add("t.agent = ?", f.Agent)
	}
	if f.Channel != "" {
		l.add("t.channel = ?", f.Channel)
	}
	page, err := list(ctx, db, l.sql(ticketSelect, "t", f.limit()), l.args, f.limit(), scanTicket)
	if err != nil {
		return page, fmt.Errorf("store: list tickets: %w", err)
	}
	return page, nil
}

// Ticket returns one ticket, or cx.ErrNotFound.
func (db *DB) Ticket(ctx context.Context, ws, id int64) (cx.Ticket, error) {
	t, _, err := scanTicket(db.read.QueryRowContext(ctx, db.q(ticketSelect+" WHERE t.workspace_id = ? AND t.id = ?"), ws, id))
	if errors.Is(err, sql.ErrNoRows) {
		return cx.Ticket{}, fmt.Errorf("store: ticket %d: %w", id, cx.ErrNotFound)
	}
	if err != nil {
		return cx.Ticket{}, fmt.Errorf("store: ticket %d: %w", id, err)
	}
	return t, nil
}
