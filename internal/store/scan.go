package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// scanPageSize is how many responses ScanResponses reads per query: large
// enough that the round trips do not matter, small enough that database/sql
// never holds more than one page in memory and no query runs for long.
const scanPageSize = 5000

// ResponseRow is one response as the analytics index reads it: the fields
// it counts and segments by, with the customer's attributes joined in.
type ResponseRow struct {
	ID          int64
	SurveyID    int64
	CustomerID  int64 // 0 for an anonymous response
	SubmittedAt time.Time
	Score       int
	Language    string
	Channel     string
	Touchpoint  string
	Attributes  cx.Attributes
	// CustomerAttributes are the customer's attributes as they are now
	// (nil for an anonymous response). ScanResponses passes the same map
	// for the rows of one customer: read it, do not modify it.
	CustomerAttributes cx.Attributes
}

const responseRowSelect = `SELECT r.id, r.survey_id, coalesce(r.customer_id, 0), r.submitted_at, r.score,
	r.language, r.channel, r.touchpoint, r.attributes, c.attributes
	FROM responses r
	LEFT JOIN customers c ON c.workspace_id = r.workspace_id AND c.id = r.customer_id`

// ScanResponses calls fn for every response of the workspace whose id is
// greater than afterID, in id order. It reads scanPageSize rows per query
// (keyset pagination on the primary key), so it runs in constant memory on
// any number of rows; an error from fn stops the scan and is returned.
// Rows committed while the scan runs may or may not be seen.
func (db *DB) ScanResponses(ctx context.Context, ws, afterID int64, fn func(ResponseRow) error) error {
	query := db.q(responseRowSelect + " WHERE r.workspace_id = ? AND r.id > ? ORDER BY r.id LIMIT ?")
	// Customers answer many times: decoding their attributes once halves
	// the JSON work. The cache is bounded and simply dropped when full.
	customers := map[int64]cx.Attributes{}
	for {
		n := 0
		last := afterID
		rows, err := db.read.QueryContext(ctx, query, ws, afterID, scanPageSize)
		if err != nil {
			return fmt.Errorf("store: scan responses: %w", err)
		}
		// Rows of a page are decoded and passed on one by one; only the
		// driver's own buffer of the page is held.
		for rows.Next() {
			r, err := scanResponseRow(rows, customers)
			if err == nil {
				err = fn(r)
			}
			if err != nil {
				rows.Close()
				return fmt.Errorf("store: scan responses: %w", err)
			}
			n++
			last = r.ID
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("store: scan responses: %w", err)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: scan responses: %w", err)
		}
		if n < scanPageSize {
			return nil
		}
		afterID = last
	}
}

// responseRowsProbe is ResponseRows's query on PostgreSQL (see there).
const responseRowsProbe = `SELECT t.* FROM unnest(?::bigint[]) AS k(id) CROSS JOIN LATERAL (` + responseRowSelect +
	` WHERE r.workspace_id = ? AND r.id = k.id LIMIT 1) t ORDER BY t.id`

// ResponseRows returns the responses with the given ids (those that exist in
// the workspace), in id order: what the analytics index adds after an
// ingest.
func (db *DB) ResponseRows(ctx context.Context, ws int64, ids []int64) ([]ResponseRow, error) {
	out := []ResponseRow{}
	const chunk = 500 // well under SQLite's and PostgreSQL's parameter limits
	for len(ids) > 0 {
		part := ids[:min(chunk, len(ids))]
		ids = ids[len(part):]
		var query string
		var args []any
		if db.dialect == Postgres {
			// One primary-key probe per id, customer join inside: on young
			// tables an IN list was planned as a scan of the workspace
			// (ingest fell from 56,000 to 5,100 responses/s, measured with
			// bench/ingest), as in lookupUnique.
			//
			// The LIMIT 1 (harmless: ids are unique) is what keeps it a
			// probe per id. Without it PostgreSQL pulls the LATERAL
			// subquery up into a plain join of unnest × responses ×
			// customers and plans that as a whole. On tables never
			// analysed (young ones, or autovacuum off as on the bench
			// machine) it guesses that "workspace_id = $2" keeps 0.5% of
			// the rows (the default equality selectivity), so for 500 ids
			// it hashed every customer of the workspace and, without
			// comments (narrower rows, fewer pages, a lower guess still),
			// also sorted every response of it to a temp file for a merge
			// join: 350–420 ms per 500 ids at 400,000 responses, growing
			// with the table, which is why bench/ingest -no-comments fell
			// to 5,431/s on PostgreSQL. A short EXPLAIN with 4 ids chose
			// the probes, so the query looked fast alone; forcing custom
			// plans cannot help since the custom plan is the bad one.
			// With LIMIT 1 (a subquery with LIMIT is never flattened) the
			// same 500 ids take 1.5 ms (EXPLAIN (ANALYZE, BUFFERS) with
			// the bench's ids, 2026-11-24).
			query = responseRowsProbe
			args = []any{part, ws}
		} else {
			query = responseRowSelect + " WHERE r.workspace_id = ? AND r.id IN (?" + strings.Repeat(", ?", len(part)-1) + ") ORDER BY r.id"
			args = make([]any, 0, len(part)+1)
			args = append(args, ws)
			for _, id := range part {
				args = append(args, id)
			}
		}
		rows, err := db.read.QueryContext(ctx, db.q(query), args...)
		if err != nil {
			return nil, fmt.Errorf("store: response rows: %w", err)
		}
		for rows.Next() {
			r, err := scanResponseRow(rows, nil)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: response rows: %w", err)
			}
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: response rows: %w", err)
		}
	}
	return out, nil
}

// maxCachedCustomers bounds ScanResponses's cache of decoded customer
// attributes.
const maxCachedCustomers = 200_000

// scanResponseRow reads a row of responseRowSelect; customers, when not
// nil, caches decoded customer attributes by customer id.
func scanResponseRow(rows *sql.Rows, customers map[int64]cx.Attributes) (ResponseRow, error) {
	var r ResponseRow
	var submitted int64
	var attrs, cattrs []byte
	if err := rows.Scan(&r.ID, &r.SurveyID, &r.CustomerID, &submitted, &r.Score, &r.Language, &r.Channel,
		&r.Touchpoint, &attrs, &cattrs); err != nil {
		return r, err
	}
	r.SubmittedAt = fromMS(submitted)
	var err error
	if r.Attributes, err = decodeAttrs(attrs); err != nil {
		return r, fmt.Errorf("response %d: %w", r.ID, err)
	}
	if a, ok := customers[r.CustomerID]; ok && customers != nil {
		r.CustomerAttributes = a
		return r, nil
	}
	if r.CustomerAttributes, err = decodeAttrs(cattrs); err != nil {
		return r, fmt.Errorf("response %d: customer: %w", r.ID, err)
	}
	if customers != nil {
		if len(customers) >= maxCachedCustomers {
			clear(customers)
		}
		customers[r.CustomerID] = r.CustomerAttributes
	}
	return r, nil
}

// ReadQuery runs a read-only query written with ? placeholders (rewritten
// for the dialect) on the read pool. It is for the analytics package's plain
// SQL reference (internal/analytics/sqlref.go), which checks the index
// against the database and benchmarks it; the application's own reads are
// methods of DB.
func (db *DB) ReadQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := db.read.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: read query: %w", err)
	}
	return rows, nil
}
