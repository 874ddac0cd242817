// Package store keeps cxlens data in SQLite (modernc.org/sqlite, the
// embedded default) or PostgreSQL (pgx), behind one set of methods. SQL is
// written once with ? placeholders and rewritten to $n for PostgreSQL; the
// two schemas differ only in column types (see migrations/).
//
// Every method takes the workspace id and every query filters by it, so one
// workspace can never read or write another's rows.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is a cxlens database. Writes go through a single connection on SQLite
// (its one-writer model; transactions start IMMEDIATE so they never
// deadlock on upgrade) and through the pool on PostgreSQL.
type DB struct {
	dialect string
	write   *sql.DB
	read    *sql.DB
	now     func() time.Time

	queries     sync.Map // ?-query → $n-query, for PostgreSQL
	generations sync.Map // (workspace, responses?) → *atomic.Uint64; see Generation
	// SQLite's prepared multi-row inserts (insertRowsPrepared): insertKey
	// → *sql.Stmt, and those to prepare after the current transaction
	// (insertKey → query).
	inserts, insertsWanted sync.Map
}

// Options tunes Open.
type Options struct {
	// Now returns the current time; tests set it. Defaults to time.Now.
	Now func() time.Time
	// ReadConns is the size of the SQLite read pool (default: max(4, CPUs)).
	ReadConns int
}

// Open opens the database named by dsn: a postgres:// or postgresql:// URL
// for PostgreSQL, otherwise a SQLite file path (optionally "sqlite:" or
// "file:" prefixed). It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	db := &DB{now: func() time.Time { return opts.Now().UTC() }}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db.dialect = Postgres
		db.write, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		db.write.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
		db.write.SetMaxIdleConns(max(8, 4*runtime.NumCPU()))
		db.write.SetConnMaxIdleTime(5 * time.Minute)
		db.read = db.write
	} else {
		db.dialect = SQLite
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
		if path == "" || strings.Contains(path, ":memory:") {
			return nil, fmt.Errorf("store: open sqlite: a file path is required (the read pool and the writer share it)")
		}
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=cache_size(-65536)&_pragma=temp_store(MEMORY)"
		// The writer syncs the WAL at every commit (synchronous=FULL): an
		// acknowledged batch survives power loss, not only a crash, for one
		// fsync per transaction (about 0.1 ms here). Readers never write,
		// so NORMAL is enough for them. The writer checkpoints the WAL every
		// 64 MiB instead of SQLite's 4 MiB, and truncates it back to 64 MiB
		// after: a checkpoint runs inside a commit, and checkpointing that
		// often cost 13% of ingest throughput in bench/ingest (44,800 vs
		// 51,500 responses/s).
		db.write, err = sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=synchronous(FULL)&_pragma=wal_autocheckpoint(16384)&_pragma=journal_size_limit(67108864)&_txlock=immediate")
		if err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		db.write.SetMaxOpenConns(1)
		db.write.SetMaxIdleConns(1)
		db.write.SetConnMaxLifetime(0)
		db.read, err = sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=synchronous(NORMAL)&_pragma=query_only(1)")
		if err != nil {
			db.write.Close()
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		n := opts.ReadConns
		if n <= 0 {
			n = max(4, runtime.NumCPU())
		}
		db.read.SetMaxOpenConns(n)
		db.read.SetMaxIdleConns(n)
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Dialect returns SQLite or Postgres.
func (db *DB) Dialect() string { return db.dialect }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping %s: %w", db.dialect, err)
	}
	return nil
}

// Close closes every connection.
func (db *DB) Close() error {
	db.inserts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// q returns query with ? placeholders rewritten for the dialect.
func (db *DB) q(query string) string {
	if db.dialect != Postgres {
		return query
	}
	if v, ok := db.queries.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	inString := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		if c == '\'' {
			inString = !inString
		}
		if c == '?' && !inString {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(c)
	}
	out := b.String()
	if len(query) < 4096 { // multi-row inserts vary in length; don't keep them
		db.queries.Store(query, out)
	}
	return out
}

// dbtx is what a transaction offers the write paths: *sql.Tx, or on
// PostgreSQL a *sql.Conn inside BEGIN … COMMIT (so COPY can join it).
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inTx runs fn in a write transaction, committing when it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// inWriteTx runs fn in a write transaction like inTx; on PostgreSQL the
// transaction is opened by hand on one pinned connection, so that
// insertRows can stream rows with COPY on the same connection.
func (db *DB) inWriteTx(ctx context.Context, fn func(tx dbtx) error) error {
	if db.dialect != Postgres {
		err := db.inTx(ctx, func(tx *sql.Tx) error { return fn(tx) })
		db.prepareInserts(ctx)
		return err
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(conn); err != nil {
		// A fresh context: the caller's may be the reason we are rolling back.
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn }) // drop the connection
		}
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// allocIDs reserves n ids for new rows of table in workspace ws. SQLite
// has one writer, so max(id)+1 inside the IMMEDIATE transaction is safe;
// PostgreSQL takes them from the table's sequence in one round trip.
func (db *DB) allocIDs(ctx context.Context, tx dbtx, table string, ws int64, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if n == 0 {
		return ids, nil
	}
	if db.dialect == Postgres {
		rows, err := tx.QueryContext(ctx, "SELECT nextval('"+table+"_id_seq') FROM generate_series(1, $1)", n)
		if err != nil {
			return nil, fmt.Errorf("allocate %s ids: %w", table, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, fmt.Errorf("allocate %s ids: %w", table, err)
			}
			ids = append(ids, id)
		}
		return ids, rows.Err()
	}
	var last int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM "+table+" WHERE workspace_id = ?", ws).Scan(&last); err != nil {
		return nil, fmt.Errorf("allocate %s ids: %w", table, err)
	}
	for i := range n {
		ids = append(ids, last+1+int64(i))
	}
	return ids, nil
}

// ms stores a time as Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

// msOrNil stores an optional time.
func msOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

// fromMS reads a stored time.
func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// fromNullMS reads an optional stored time.
func fromNullMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

// isUniqueViolation reports whether err is a unique-constraint failure.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}
