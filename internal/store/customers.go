package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// ensureCustomers returns the ids of the customers named in need, creating
// the unknown ones (first seen at the given time) and moving first_seen
// earlier for known ones seen before their first_seen.
func (db *DB) ensureCustomers(ctx context.Context, tx dbtx, ws int64, need map[string]time.Time) (map[string]int64, error) {
	return db.ensureCustomersAttrs(ctx, tx, ws, need, nil)
}

// ensureCustomersAttrs is ensureCustomers that, when attrs is not nil, also
// records the stored attributes (JSON) of the customers that already
// existed, read by the same lookup; new customers have none.
func (db *DB) ensureCustomersAttrs(ctx context.Context, tx dbtx, ws int64, need map[string]time.Time, attrs map[string][]byte) (map[string]int64, error) {
	ids := make(map[string]int64, len(need))
	if len(need) == 0 {
		return ids, nil
	}
	exts := sortedKeys(need)
	type known struct {
		id    int64
		first int64
	}
	found := map[string]known{}
	cols := "id, first_seen"
	if attrs != nil {
		cols += ", attributes"
	}
	err := db.lookupUnique(ctx, tx, "customers", "external_id", cols, ws, exts, func(rows *sql.Rows) error {
		var e string
		var k known
		if attrs == nil {
			if err := rows.Scan(&e, &k.id, &k.first); err != nil {
				return err
			}
		} else {
			var a []byte
			if err := rows.Scan(&e, &k.id, &k.first, &a); err != nil {
				return err
			}
			attrs[e] = a
		}
		found[e] = k
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("look up customers: %w", err)
	}
	var missing []string
	for _, e := range exts {
		k, ok := found[e]
		if !ok {
			missing = append(missing, e)
			continue
		}
		ids[e] = k.id
		if t := ms(need[e]); t < k.first {
			if _, err := tx.ExecContext(ctx, db.q("UPDATE customers SET first_seen = ? WHERE workspace_id = ? AND id = ?"), t, ws, k.id); err != nil {
				return nil, fmt.Errorf("update customer first_seen: %w", err)
			}
		}
	}
	newIDs, err := db.allocIDs(ctx, tx, "customers", ws, len(missing))
	if err != nil {
		return nil, err
	}
	now := ms(db.now())
	rows := make([][]any, len(missing))
	for n, e := range missing {
		ids[e] = newIDs[n]
		rows[n] = []any{ws, newIDs[n], e, ms(need[e]), now, now}
	}
	if err := db.insertRows(ctx, tx, "customers", []string{"workspace_id", "id", "external_id", "first_seen", "created_at", "updated_at"}, rows); err != nil {
		return nil, err
	}
	return ids, nil
}

// UpsertCustomers creates customers by external_id or updates the given
// fields of existing ones: non-empty email and name replace the stored
// ones, and attributes are merged key by key (a null value removes a key).
func (db *DB) UpsertCustomers(ctx context.Context, ws int64, cs []cx.Customer, opts BatchOptions) (BatchResult, error) {
	defer db.touch(ws, false) // see Generation
	if len(cs) > MaxBatch {
		return BatchResult{}, fmt.Errorf("store: upsert customers: %w", cx.Invalid("items", fmt.Sprintf("at most %d items per batch, got %d", MaxBatch, len(cs))))
	}
	res := BatchResult{Items: make([]ItemResult, len(cs))}
	var bad []cx.FieldError
	for i := range cs {
		res.Items[i].Index = i
		if errs := cs[i].Validate(); len(errs) > 0 {
			for j := range errs {
				errs[j].Index = i
			}
			res.Items[i].Status, res.Items[i].Errors = Rejected, errs
			bad = append(bad, errs...)
		}
	}
	if len(bad) > 0 && !opts.Partial {
		return BatchResult{}, fmt.Errorf("store: upsert customers: %w", &cx.ValidationError{Fields: bad})
	}
	now := db.now()
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = db.inWriteTx(ctx, func(tx dbtx) error {
			// Later items of the batch win over earlier ones for the same customer.
			merged := map[string]cx.Customer{}
			var order []string
			for i, c := range cs {
				if res.Items[i].Status == Rejected {
					continue
				}
				prev, ok := merged[c.ExternalID]
				if !ok {
					order = append(order, c.ExternalID)
					merged[c.ExternalID] = c
					continue
				}
				merged[c.ExternalID] = mergeCustomer(prev, c)
			}
			need := map[string]time.Time{}
			existing := map[string]cx.Customer{}
			for _, e := range order {
				c, err := db.customerTx(ctx, tx, ws, e)
				if err == nil {
					existing[e] = c
					continue
				}
				if !errors.Is(err, cx.ErrNotFound) {
					return err
				}
				first := merged[e].FirstSeen
				if first.IsZero() {
					first = now
				}
				need[e] = first
			}
			ids, err := db.ensureCustomers(ctx, tx, ws, need)
			if err != nil {
				return err
			}
			for _, e := range order {
				c := merged[e]
				if old, ok := existing[e]; ok {
					c = mergeCustomer(old, c)
					c.ID = old.ID
				} else {
					c.ID = ids[e]
				}
				attrs, err := encodeAttrs(c.Attributes)
				if err != nil {
					return err
				}
				_, err = tx.ExecContext(ctx, db.q("UPDATE customers SET email = ?, name = ?, attributes = ?, updated_at = ? WHERE workspace_id = ? AND id = ?"),
					c.Email, c.Name, attrs, ms(now), ws, c.ID)
				if err != nil {
					return fmt.Errorf("update customer: %w", err)
				}
				for i := range cs {
					if cs[i].ExternalID == e && res.Items[i].Status != Rejected {
						res.Items[i].ID = c.ID
						res.Items[i].Status = Created
						if _, ok := existing[e]; ok {
							res.Items[i].Status = Updated
						}
					}
				}
			}
			return nil
		})
		if !isUniqueViolation(err) {
			break
		}
	}
	if err != nil {
		return BatchResult{}, fmt.Errorf("store: upsert customers: %w", err)
	}
	res.count()
	return res, nil
}

// mergeCustomer applies upd's given fields over old.
func mergeCustomer(old, upd cx.Customer) cx.Customer {
	out := old
	if upd.Email != "" {
		out.Email = upd.Email
	}
	if upd.Name != "" {
		out.Name = upd.Name
	}
	if len(upd.Attributes) > 0 {
		attrs := maps.Clone(old.Attributes)
		if attrs == nil {
			attrs = cx.Attributes{}
		}
		for k, v := range upd.Attributes {
			if v == nil {
				delete(attrs, k)
			} else {
				attrs[k] = v
			}
		}
		out.Attributes = attrs
	}
	if !upd.FirstSeen.IsZero() && (out.FirstSeen.IsZero() || upd.FirstSeen.Before(out.FirstSeen)) {
		out.FirstSeen = upd.FirstSeen
	}
	return out
}

const customerColumns = "id, external_id, email, name, attributes, first_seen, churned_at, erased_at, created_at, updated_at"

func scanCustomer(row interface{ Scan(...any) error }) (cx.Customer, error) {
	var c cx.Customer
	var attrs []byte
	var first, created, updated int64
	var churned, erased sql.NullInt64
	if err := row.Scan(&c.ID, &c.ExternalID, &c.Email, &c.Name, &attrs, &first, &churned, &erased, &created, &updated); err != nil {
		return c, err
	}
	var err error
	c.Attributes, err = decodeAttrs(attrs)
	c.FirstSeen, c.CreatedAt, c.UpdatedAt = fromMS(first), fromMS(created), fromMS(updated)
	c.ChurnedAt, c.ErasedAt = fromNullMS(churned), fromNullMS(erased)
	return c, err
}

func (db *DB) customerTx(ctx context.Context, q querier, ws int64, ext string) (cx.Customer, error) {
	c, err := scanCustomer(q.QueryRowContext(ctx, db.q("SELECT "+customerColumns+" FROM customers WHERE workspace_id = ? AND external_id = ?"), ws, ext))
	if errors.Is(err, sql.ErrNoRows) {
		return cx.Customer{}, fmt.Errorf("customer %q: %w", ext, cx.ErrNotFound)
	}
	if err != nil {
		return cx.Customer{}, fmt.Errorf("customer %q: %w", ext, err)
	}
	return c, nil
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Customer returns the customer with external id ext, or cx.ErrNotFound.
func (db *DB) Customer(ctx context.Context, ws int64, ext string) (cx.Customer, error) {
	c, err := db.customerTx(ctx, db.read, ws, ext)
	if err != nil {
		return cx.Customer{}, fmt.Errorf("store: %w", err)
	}
	return c, nil
}

// Customers lists customers in creation order.
func (db *DB) Customers(ctx context.Context, ws int64, f CustomerFilter) (Page[cx.Customer], error) {
	after, err := decodeCursor(f.Cursor)
	if err != nil {
		return Page[cx.Customer]{}, fmt.Errorf("store: list customers: %w", err)
	}
	limit := clampLimit(f.Limit)
	rows, err := db.read.QueryContext(ctx, db.q("SELECT "+customerColumns+" FROM customers WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?"), ws, after, limit+1)
	if err != nil {
		return Page[cx.Customer]{}, fmt.Errorf("store: list customers: %w", err)
	}
	defer rows.Close()
	page := Page[cx.Customer]{Items: []cx.Customer{}}
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return Page[cx.Customer]{}, fmt.Errorf("store: list customers: %w", err)
		}
		page.Items = append(page.Items, c)
	}
	if err := rows.Err(); err != nil {
		return Page[cx.Customer]{}, fmt.Errorf("store: list customers: %w", err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.NextCursor = encodeCursor(page.Items[limit-1].ID)
	}
	return page, nil
}
