// Package storetest opens fresh cxlens databases for tests: a temporary
// SQLite file, and a private schema on the PostgreSQL server named by
// CXLENS_TEST_PG (default postgres://postgres@127.0.0.1:5432/test). Each
// test gets its own schema, dropped afterwards, so runs never collide.
//
// When CXLENS_TEST_PG_REQUIRED=1 (make test sets it) an unreachable
// PostgreSQL fails the test; otherwise PostgreSQL cases are skipped.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/store"
)

// DefaultPG is the PostgreSQL server tests use unless CXLENS_TEST_PG says otherwise.
const DefaultPG = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Dialects lists the dialects every store test runs on.
var Dialects = []string{store.SQLite, store.Postgres}

// Each runs fn as a subtest per dialect, each with a fresh migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			fn(t, New(t, d, store.Options{}))
		})
	}
}

// New returns a fresh, migrated database of the dialect, closed and removed
// when the test ends.
func New(t testing.TB, dialect string, opts store.Options) *store.DB {
	t.Helper()
	dsn := DSN(t, dialect)
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return db
}

// DSN returns the connection string of a fresh, empty database of the
// dialect: a SQLite file in a temporary directory, or a new PostgreSQL
// schema (dropped when the test ends) selected through search_path.
func DSN(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == store.SQLite {
		return filepath.Join(t.TempDir(), "cxlens.db")
	}
	base := os.Getenv("CXLENS_TEST_PG")
	if base == "" {
		base = DefaultPG
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		if os.Getenv("CXLENS_TEST_PG_REQUIRED") == "1" {
			t.Fatalf("postgres at %s is required but unreachable: %v", base, err)
		}
		t.Skipf("postgres unreachable (%v); set CXLENS_TEST_PG or run make test", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "cxtest_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("CXLENS_TEST_PG: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
