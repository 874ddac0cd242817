package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/cxlens/cxlens/internal/cx"
)

// batchSpec describes how one kind of item (event, ticket, response) is
// validated and written; ingest does the shared work: validation, atomic or
// partial batches, idempotency keys, customer upserts, id allocation and
// multi-row inserts, all in one transaction.
type batchSpec struct {
	what     string   // "events", for messages
	table    string   // table name
	columns  []string // insert columns, starting with workspace_id, id, customer_id
	n        int
	validate func(i int) []cx.FieldError
	key      func(i int) string              // idempotency key, "" for none
	customer func(i int) (string, time.Time) // external id ("" for anonymous) and when seen
	row      func(i int, id, customer int64) ([]any, error)
	// after, when set, runs in the same transaction once the rows are
	// written, with the indexes of the items created and their customers.
	after func(ctx context.Context, tx dbtx, created []int, customers map[string]int64) error
	// prepare, when set, runs once the batch is valid and before the write
	// transaction: CPU work whose results after writes (the analysis of
	// comments), done outside the write lock so other writers need not
	// wait for it.
	prepare func(ctx context.Context) error
	// customerAttrs, when not nil, receives the stored attributes (JSON)
	// of the existing customers the batch names, read by the customer
	// lookup the batch makes anyway.
	customerAttrs map[string][]byte
}

// ingest validates and writes a batch described by spec.
func (db *DB) ingest(ctx context.Context, ws int64, opts BatchOptions, spec batchSpec) (BatchResult, error) {
	defer db.touch(ws, spec.table == "responses") // see Generation
	if spec.n > MaxBatch {
		return BatchResult{}, fmt.Errorf("store: insert %s: %w", spec.what, cx.Invalid("items", fmt.Sprintf("at most %d items per batch, got %d", MaxBatch, spec.n)))
	}
	res := BatchResult{Items: make([]ItemResult, spec.n)}
	var bad []cx.FieldError
	for i := range spec.n {
		res.Items[i] = ItemResult{Index: i}
		if errs := spec.validate(i); len(errs) > 0 {
			for j := range errs {
				errs[j].Index = i
			}
			res.Items[i].Status = Rejected
			res.Items[i].Errors = errs
			bad = append(bad, errs...)
		}
	}
	if len(bad) > 0 && !opts.Partial {
		return BatchResult{}, fmt.Errorf("store: insert %s: %w", spec.what, &cx.ValidationError{Fields: bad})
	}
	if spec.prepare != nil {
		if err := spec.prepare(ctx); err != nil {
			return BatchResult{}, fmt.Errorf("store: insert %s: %w", spec.what, err)
		}
	}
	// A concurrent writer on PostgreSQL can insert the same idempotency key
	// or customer between our check and our insert; the unique index then
	// fails the transaction, and the retry sees the other writer's rows.
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = db.inWriteTx(ctx, func(tx dbtx) error { return db.ingestTx(ctx, tx, ws, spec, &res) })
		if !isUniqueViolation(err) {
			break
		}
	}
	if err != nil {
		return BatchResult{}, fmt.Errorf("store: insert %s: %w", spec.what, err)
	}
	res.count()
	return res, nil
}

func (db *DB) ingestTx(ctx context.Context, tx dbtx, ws int64, spec batchSpec, res *BatchResult) error {
	// Idempotency: keys already stored, and repeats within the batch.
	var keys []string
	for i := range spec.n {
		if res.Items[i].Status != Rejected {
			res.Items[i].Status, res.Items[i].ID = "", 0
			if k := spec.key(i); k != "" {
				keys = append(keys, k)
			}
		}
	}
	seen, err := db.lookupKeys(ctx, tx, spec.table, ws, keys)
	if err != nil {
		return err
	}
	firstInBatch := map[string]int{}
	var fresh []int
	for i := range spec.n {
		it := &res.Items[i]
		if it.Status == Rejected {
			continue
		}
		k := spec.key(i)
		if id, ok := seen[k]; ok && k != "" {
			it.Status, it.ID = Duplicate, id
			continue
		}
		if k != "" {
			if j, ok := firstInBatch[k]; ok {
				it.Status = Duplicate
				it.ID = -1 - int64(j) // resolved below, once j has its id
				continue
			}
			firstInBatch[k] = i
		}
		fresh = append(fresh, i)
	}
	if len(fresh) == 0 {
		return nil
	}

	need := map[string]time.Time{}
	for _, i := range fresh {
		ext, at := spec.customer(i)
		if ext == "" {
			continue
		}
		if t, ok := need[ext]; !ok || at.Before(t) {
			need[ext] = at
		}
	}
	if spec.customerAttrs != nil {
		clear(spec.customerAttrs) // a retried transaction reads them again
	}
	customers, err := db.ensureCustomersAttrs(ctx, tx, ws, need, spec.customerAttrs)
	if err != nil {
		return err
	}
	ids, err := db.allocIDs(ctx, tx, spec.table, ws, len(fresh))
	if err != nil {
		return err
	}
	rows := make([][]any, len(fresh))
	for n, i := range fresh {
		ext, _ := spec.customer(i)
		row, err := spec.row(i, ids[n], customers[ext])
		if err != nil {
			return err
		}
		rows[n] = row
		res.Items[i].Status, res.Items[i].ID = Created, ids[n]
	}
	for i := range res.Items {
		if it := &res.Items[i]; it.Status == Duplicate && it.ID < 0 {
			it.ID = res.Items[-1-it.ID].ID
		}
	}
	if err := db.insertRows(ctx, tx, spec.table, spec.columns, rows); err != nil {
		return err
	}
	if spec.after != nil {
		return spec.after(ctx, tx, fresh, customers)
	}
	return nil
}

// lookupKeys returns the ids of rows of table already stored under keys.
func (db *DB) lookupKeys(ctx context.Context, tx dbtx, table string, ws int64, keys []string) (map[string]int64, error) {
	out := map[string]int64{}
	err := db.lookupUnique(ctx, tx, table, "idempotency_key", "id", ws, keys, func(rows *sql.Rows) error {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			return err
		}
		out[k] = id
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("look up idempotency keys: %w", err)
	}
	return out, nil
}

// lookupUnique selects the rows of table whose unique column keyCol (with
// workspace_id) is one of keys, scanning keyCol followed by cols. On
// PostgreSQL each key is probed with its own LIMIT 1 subquery: planned
// against a young table without statistics, "keyCol = ANY(…)" walked the
// whole workspace through another index (11 ms for 1,000 keys among
// 100,000 rows, growing with the table, measured with EXPLAIN ANALYZE),
// while a per-key probe can only use the unique index.
func (db *DB) lookupUnique(ctx context.Context, tx dbtx, table, keyCol, cols string, ws int64, keys []string, scan func(*sql.Rows) error) error {
	for start := 0; start < len(keys); start += 1000 {
		chunk := keys[start:min(start+1000, len(keys))]
		var q string
		var args []any
		if db.dialect == Postgres {
			q = "SELECT k.key, t." + strings.ReplaceAll(cols, ", ", ", t.") + " FROM unnest(?::text[]) AS k(key) CROSS JOIN LATERAL (SELECT " + cols +
				" FROM " + table + " WHERE workspace_id = ? AND " + keyCol + " = k.key LIMIT 1) t"
			args = []any{chunk, ws}
		} else {
			q = "SELECT " + keyCol + ", " + cols + " FROM " + table + " WHERE workspace_id = ? AND " + keyCol + " IN (" + placeholders(len(chunk)) + ")"
			args = make([]any, 0, len(chunk)+1)
			args = append(args, ws)
			for _, k := range chunk {
				args = append(args, k)
			}
		}
		rows, err := tx.QueryContext(ctx, db.q(q), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// insertRows writes rows with multi-row INSERT statements, as many rows per
// statement as the bind-parameter limit allows; on PostgreSQL, larger
// batches go through COPY, several times faster.
func (db *DB) insertRows(ctx context.Context, tx dbtx, table string, columns []string, rows [][]any) error {
	if conn, ok := tx.(*sql.Conn); ok && len(rows) >= 20 {
		return copyRows(ctx, conn, table, columns, rows)
	}
	if t, ok := tx.(*sql.Tx); ok && db.dialect == SQLite {
		return db.insertRowsPrepared(ctx, t, table, columns, rows)
	}
	per := min(1000, 30000/len(columns))
	tuple := "(" + placeholders(len(columns)) + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES "
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		var b strings.Builder
		b.Grow(len(head) + len(chunk)*(len(tuple)+1))
		b.WriteString(head)
		args := make([]any, 0, len(chunk)*len(columns))
		for n, r := range chunk {
			if n > 0 {
				b.WriteByte(',')
			}
			b.WriteString(tuple)
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, db.q(b.String()), args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

// insertRowsPrepared is insertRows on SQLite: multi-row INSERT statements
// of power-of-two sizes (512 rows, then 256, … down to 1 for the rest),
// each prepared once on the single write connection and reused by every
// transaction. Preparing a fresh 1,000-row statement per batch and table
// was 9% of the server's CPU in bench/ingest (SQLite's parser, in a CPU
// profile of cxlens serve); the writer is serial, so that time was
// throughput.
func (db *DB) insertRowsPrepared(ctx context.Context, tx *sql.Tx, table string, columns []string, rows [][]any) error {
	largest := 1
	for largest*2*len(columns) <= 30000 && largest*2 <= 512 {
		largest *= 2
	}
	args := make([]any, 0, largest*len(columns))
	for start := 0; start < len(rows); {
		n := largest
		for n > len(rows)-start {
			n /= 2
		}
		args = args[:0]
		for _, r := range rows[start : start+n] {
			args = append(args, r...)
		}
		key := insertKey{table, strings.Join(columns, ","), n}
		var err error
		if v, ok := db.inserts.Load(key); ok {
			_, err = tx.StmtContext(ctx, v.(*sql.Stmt)).ExecContext(ctx, args...)
		} else {
			query := insertQuery(table, columns, n)
			// The transaction holds SQLite's one write connection, so
			// the shared statement cannot be prepared now: run this one
			// unshared and prepare it once the transaction is over
			// (inWriteTx calls prepareInserts).
			db.insertsWanted.Store(key, query)
			_, err = tx.ExecContext(ctx, query, args...)
		}
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		start += n
	}
	return nil
}

// insertKey names a prepared insert of n rows of columns into table.
type insertKey struct {
	table, columns string
	n              int
}

// insertQuery returns the statement inserting n rows of columns into table.
func insertQuery(table string, columns []string, n int) string {
	tuple := "(" + placeholders(len(columns)) + ")"
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(tuple)
	}
	return b.String()
}

// prepareInserts prepares the insert statements transactions asked for
// (see insertRowsPrepared) on the write pool, outside any transaction. A
// failure only means the next transaction runs them unshared again.
func (db *DB) prepareInserts(ctx context.Context) {
	db.insertsWanted.Range(func(k, q any) bool {
		db.insertsWanted.Delete(k)
		if _, ok := db.inserts.Load(k); ok {
			return true
		}
		stmt, err := db.write.PrepareContext(ctx, q.(string))
		if err != nil {
			return true
		}
		if _, loaded := db.inserts.LoadOrStore(k, stmt); loaded {
			stmt.Close()
		}
		return true
	})
}

// copyRows streams rows into table with PostgreSQL's COPY, on the
// connection (and so inside the transaction) of conn.
func copyRows(ctx context.Context, conn *sql.Conn, table string, columns []string, rows [][]any) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: not a pgx connection", table)
		}
		if _, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
		}
		return nil
	})
}

// placeholders returns "?, ?, ?" with n marks.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// sortedKeys returns a map's keys in order, so statements are deterministic.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
