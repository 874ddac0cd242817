package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/cxlens/cxlens/internal/cx"
)

// CustomerExport is everything stored about one customer (GDPR Art. 15).
type CustomerExport struct {
	Customer  cx.Customer   `json:"customer"`
	Responses []cx.Response `json:"responses"`
	Events    []cx.Event    `json:"events"`
	Tickets   []cx.Ticket   `json:"tickets"`
}

// ExportCustomer returns everything stored about customer ext.
func (db *DB) ExportCustomer(ctx context.Context, ws int64, ext string) (CustomerExport, error) {
	c, err := db.Customer(ctx, ws, ext)
	if err != nil {
		return CustomerExport{}, err
	}
	out := CustomerExport{Customer: c}
	lf := func(cur string) ListFilter { return ListFilter{Customer: ext, Cursor: cur, Limit: MaxLimit} }
	if out.Responses, err = All(func(cur string) (Page[cx.Response], error) {
		return db.Responses(ctx, ws, ResponseFilter{ListFilter: lf(cur)})
	}); err != nil {
		return CustomerExport{}, err
	}
	if out.Events, err = All(func(cur string) (Page[cx.Event], error) {
		return db.Events(ctx, ws, EventFilter{ListFilter: lf(cur)})
	}); err != nil {
		return CustomerExport{}, err
	}
	if out.Tickets, err = All(func(cur string) (Page[cx.Ticket], error) {
		return db.Tickets(ctx, ws, TicketFilter{ListFilter: lf(cur)})
	}); err != nil {
		return CustomerExport{}, err
	}
	return out, nil
}

// EraseCustomer removes customer ext's personal data: email, name, PII
// attributes, free-text comments, and the external id itself (replaced by
// "erased-<id>"). Scores, events and tickets stay, unlinked from the person,
// so every metric keeps its value.
func (db *DB) EraseCustomer(ctx context.Context, ws int64, ext string) error {
	defer db.touch(ws, false) // erasure changes customers and responses; see Generation
	defer db.touch(ws, true)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		c, err := db.customerTx(ctx, tx, ws, ext)
		if err != nil {
			return err
		}
		attrs, err := encodeAttrs(c.Attributes.WithoutPII())
		if err != nil {
			return err
		}
		now := ms(db.now())
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE customers SET external_id = ?, email = '', name = '', attributes = ?,
			erased_at = ?, updated_at = ? WHERE workspace_id = ? AND id = ?`),
			"erased-"+strconv.FormatInt(c.ID, 10), attrs, now, now, ws, c.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q("UPDATE responses SET comment = '' WHERE workspace_id = ? AND customer_id = ?"), ws, c.ID); err != nil {
			return err
		}
		// PII keys inside the JSON attributes of the customer's rows.
		for _, table := range []string{"responses", "events", "tickets", "invitations"} {
			if err := db.stripPII(ctx, tx, table, ws, c.ID); err != nil {
				return err
			}
		}
		// Where invitations went; the suppression list keeps its address so
		// an erased customer is never mailed again.
		if _, err := tx.ExecContext(ctx, db.q("UPDATE invitations SET email = '' WHERE workspace_id = ? AND customer_id = ?"), ws, c.ID); err != nil {
			return err
		}
		// Feedback text and the analysis of the customer's comments.
		return db.eraseCustomerTextTx(ctx, tx, ws, c.ID)
	})
	if err != nil {
		return fmt.Errorf("store: erase customer: %w", err)
	}
	return nil
}

func (db *DB) stripPII(ctx context.Context, tx dbtx, table string, ws, customer int64) error {
	rows, err := tx.QueryContext(ctx, db.q("SELECT id, attributes FROM "+table+" WHERE workspace_id = ? AND customer_id = ?"), ws, customer)
	if err != nil {
		return err
	}
	type upd struct {
		id    int64
		attrs string
	}
	var todo []upd
	for rows.Next() {
		var id int64
		var raw []byte
		if err := rows.Scan(&id, &raw); err != nil {
			rows.Close()
			return err
		}
		a, err := decodeAttrs(raw)
		if err != nil {
			rows.Close()
			return err
		}
		clean := a.WithoutPII()
		if len(clean) != len(a) {
			s, err := encodeAttrs(clean)
			if err != nil {
				rows.Close()
				return err
			}
			todo = append(todo, upd{id, s})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, u := range todo {
		if _, err := tx.ExecContext(ctx, db.q("UPDATE "+table+" SET attributes = ? WHERE workspace_id = ? AND id = ?"), u.attrs, ws, u.id); err != nil {
			return err
		}
	}
	return nil
}
