// Command query is the query benchmark of issue 4 and the README: it
// generates synthetic NPS responses (5 surveys, 8 attributes with 3–200
// values, 3 years) straight into the analytics index and runs the two
// dashboard bundles on it, the filtered one (one survey, last 365 days, two
// filters → NPS with CI, 52-week trend, top 20 of the 200 agents) and the
// wide one (every response → NPS with CI, weekly trend over 3 years, all
// 200 agents), printing the median latency, the index's bytes per response
// and its build rate.
//
// With -sql it also loads -sql-n of the same responses into PostgreSQL (COPY,
// into a scratch schema dropped afterwards) and SQLite, builds the index from
// each database (reporting rows/s), checks that the index's counts equal
// plain SQL's for both bundles, and prints the SQL medians beside the
// index's with the ratios.
//
//	go run ./bench/query [-n 10000000] [-runs 9] [-sql] [-sql-n 1000000] [-sql-runs 3] [-dbs postgres,sqlite] [-pg URL]
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"

	"github.com/cxlens/cxlens/internal/analytics"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "query:", err)
		os.Exit(1)
	}
}

type config struct {
	n, runs, customers int
	sql                bool
	sqlN, sqlRuns      int
	pg                 string
	sqliteDir          string
	dbs                []string
	end                time.Time
	logger             *slog.Logger
	stdout, stderr     io.Writer
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := config{stdout: stdout, stderr: stderr, end: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}
	fs.IntVar(&c.n, "n", 10_000_000, "responses in the index")
	fs.IntVar(&c.runs, "runs", 9, "runs of each bundle on the index (the median is reported)")
	fs.IntVar(&c.customers, "customers", 200_000, "distinct customers")
	fs.BoolVar(&c.sql, "sql", false, "also load PostgreSQL and SQLite and run the bundles as plain SQL")
	fs.IntVar(&c.sqlN, "sql-n", 1_000_000, "responses loaded into the databases")
	fs.IntVar(&c.sqlRuns, "sql-runs", 3, "runs of each bundle in SQL")
	fs.StringVar(&c.pg, "pg", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL server (a scratch schema is created and dropped)")
	fs.StringVar(&c.sqliteDir, "sqlite-dir", "", "directory for the SQLite file (default: a temporary one)")
	dbs := fs.String("dbs", "postgres,sqlite", "databases of the SQL side")
	verbose := fs.Bool("v", false, "log index builds")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	c.dbs = strings.Split(*dbs, ",")
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	c.logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	fmt.Fprintf(stdout, "bench/query on %d CPUs (GOMAXPROCS %d), %s\n\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version())
	big, err := indexSide(ctx, c, c.n)
	if err != nil {
		return err
	}
	rows := []row{big}
	if c.sql {
		small, err := indexSide(ctx, c, c.sqlN)
		if err != nil {
			return err
		}
		if err := sqlSide(ctx, c, &small); err != nil {
			return err
		}
		rows = append(rows, small)
	}
	printTable(stdout, rows)
	return nil
}

// row is one data size's measurements.
type row struct {
	n                    int
	bytesPerResponse     float64
	buildRate            float64            // synthetic rows/s into the index
	dbBuildRate          map[string]float64 // rows/s from each database
	filtered, wide       time.Duration      // index medians
	sqlFiltered, sqlWide map[string]time.Duration
	equal                map[string]bool
}

func indexSide(ctx context.Context, c config, n int) (row, error) {
	r := row{n: n, dbBuildRate: map[string]float64{}, sqlFiltered: map[string]time.Duration{},
		sqlWide: map[string]time.Duration{}, equal: map[string]bool{}}
	src := &analytics.Synthetic{N: n, Customers: c.customers, Seed: 1, End: c.end}
	fmt.Fprintf(c.stderr, "building the index of %d synthetic responses...\n", n)
	start := time.Now()
	ix, err := analytics.New(ctx, src, 1, analytics.Options{Logger: c.logger})
	if err != nil {
		return r, err
	}
	r.buildRate = float64(n) / time.Since(start).Seconds()
	r.bytesPerResponse = ix.Stats().BytesPerResponse
	runtime.GC()
	debug.FreeOSMemory()
	if r.filtered, err = median(c.runs, func() error { _, err := ix.Query(analytics.FilteredBundle(c.end)); return err }); err != nil {
		return r, err
	}
	if r.wide, err = median(c.runs, func() error { _, err := ix.Query(analytics.WideBundle()); return err }); err != nil {
		return r, err
	}
	return r, nil
}

func median(runs int, fn func() error) (time.Duration, error) {
	ds := make([]time.Duration, 0, runs)
	for range runs {
		start := time.Now()
		if err := fn(); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}

// sqlSide loads c.sqlN responses into each database, builds the index from
// it, checks equality and times the bundles in SQL.
func sqlSide(ctx context.Context, c config, r *row) error {
	pgDSN, drop, err := scratchSchema(ctx, c.pg)
	if err != nil {
		return err
	}
	defer drop()
	dir := c.sqliteDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "cxlens-bench-query-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	var dsns []string
	for _, d := range c.dbs {
		switch d {
		case store.Postgres:
			dsns = append(dsns, pgDSN)
		case store.SQLite:
			dsns = append(dsns, filepath.Join(dir, "bench.db"))
		default:
			return fmt.Errorf("-dbs: unknown database %q", d)
		}
	}
	for _, dsn := range dsns {
		db, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			return err
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			return err
		}
		name := db.Dialect()
		fmt.Fprintf(c.stderr, "loading %d responses into %s...\n", c.sqlN, name)
		start := time.Now()
		ws, err := load(ctx, c, db, dsn)
		if err != nil {
			return fmt.Errorf("load %s: %w", name, err)
		}
		fmt.Fprintf(c.stderr, "  loaded in %s\n", time.Since(start).Round(time.Millisecond))
		start = time.Now()
		ix, err := analytics.New(ctx, db, ws, analytics.Options{Logger: c.logger})
		if err != nil {
			return err
		}
		r.dbBuildRate[name] = float64(ix.Stats().Rows) / time.Since(start).Seconds()
		runtime.GC()

		r.equal[name] = true
		for _, q := range []analytics.Query{analytics.FilteredBundle(c.end), analytics.WideBundle()} {
			got, err := ix.Query(q)
			if err != nil {
				return err
			}
			want, err := analytics.SQLReference(ctx, db, ws, q, "UTC")
			if err != nil {
				return err
			}
			if !equal(got, want) {
				r.equal[name] = false
			}
		}
		fmt.Fprintf(c.stderr, "  timing the bundles in SQL on %s...\n", name)
		if r.sqlFiltered[name], err = median(c.sqlRuns, func() error {
			_, err := analytics.SQLReference(ctx, db, ws, analytics.FilteredBundle(c.end), "UTC")
			return err
		}); err != nil {
			return err
		}
		if r.sqlWide[name], err = median(c.sqlRuns, func() error {
			_, err := analytics.SQLReference(ctx, db, ws, analytics.WideBundle(), "UTC")
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// equal compares the index's counts with SQL's.
func equal(got *analytics.Result, want analytics.SQLCounts) bool {
	same := func(counts []int64, w map[int]int64) bool {
		var n int64
		for v, k := range counts {
			if w[got.Scale.Min+v] != k {
				return false
			}
			n += k
		}
		var wn int64
		for _, k := range w {
			wn += k
		}
		return n == wn
	}
	if !same(got.Overall.Counts, want.Overall) {
		return false
	}
	nb := 0
	for _, b := range got.Buckets {
		if b.N == 0 {
			continue
		}
		nb++
		if !same(b.Counts, want.Buckets[b.Start.UTC().Format("2006-01-02")]) {
			return false
		}
	}
	if nb != len(want.Buckets) {
		return false
	}
	// Top-N folds the rest into "other": compare the listed groups.
	for _, g := range got.Groups {
		if !g.Other && !same(g.Counts, want.Groups[g.Value]) {
			return false
		}
	}
	return true
}

// load writes the synthetic workspace into db: surveys through the store,
// customers and responses in bulk (COPY on PostgreSQL, one prepared insert
// in large transactions on SQLite).
func load(ctx context.Context, c config, db *store.DB, dsn string) (int64, error) {
	w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "bench", TimeZone: "UTC"})
	if err != nil {
		return 0, err
	}
	surveyID := map[int64]int64{}
	for _, s := range analytics.SyntheticSurveys() {
		created, err := db.CreateSurvey(ctx, w.ID, s)
		if err != nil {
			return 0, err
		}
		surveyID[s.ID] = created.ID
	}
	src := &analytics.Synthetic{N: c.sqlN, Customers: c.customers, Seed: 1, End: c.end}
	now := time.Now().UnixMilli()
	customer := func(id int64) []any {
		a, _ := json.Marshal(src.CustomerAttributes(id))
		return []any{w.ID, id, fmt.Sprintf("c%d", id), string(a), int64(0), now, now}
	}
	response := func(r store.ResponseRow) []any {
		a, _ := json.Marshal(r.Attributes)
		return []any{w.ID, r.ID, surveyID[r.SurveyID], r.CustomerID, r.SubmittedAt.UnixMilli(), int64(r.Score),
			r.Language, r.Channel, r.Touchpoint, string(a), now}
	}
	custCols := []string{"workspace_id", "id", "external_id", "attributes", "first_seen", "created_at", "updated_at"}
	respCols := []string{"workspace_id", "id", "survey_id", "customer_id", "submitted_at", "score",
		"language", "channel", "touchpoint", "attributes", "created_at"}
	if db.Dialect() == store.Postgres {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return 0, err
		}
		defer conn.Close(ctx)
		id := int64(0)
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"customers"}, custCols, pgx.CopyFromFunc(func() ([]any, error) {
			if id == int64(c.customers) {
				return nil, nil
			}
			id++
			return customer(id), nil
		})); err != nil {
			return 0, err
		}
		rows := make(chan []any, 1024)
		errc := make(chan error, 1)
		go func() {
			errc <- src.ScanResponses(ctx, w.ID, 0, func(r store.ResponseRow) error { rows <- response(r); return nil })
			close(rows)
		}()
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"responses"}, respCols, pgx.CopyFromFunc(func() ([]any, error) {
			row, ok := <-rows
			if !ok {
				return nil, nil
			}
			return row, nil
		})); err != nil {
			return 0, err
		}
		if err := <-errc; err != nil {
			return 0, err
		}
		_, err = conn.Exec(ctx, "ANALYZE customers; ANALYZE responses")
		return w.ID, err
	}
	// SQLite: a loading connection of its own, without fsyncs.
	path := strings.TrimPrefix(dsn, "file:")
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, err
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	insert := func(table string, cols []string, next func() []any) error {
		q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (?" + strings.Repeat(", ?", len(cols)-1) + ")"
		for done := false; !done; {
			tx, err := raw.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			st, err := tx.PrepareContext(ctx, q)
			if err != nil {
				tx.Rollback()
				return err
			}
			for range 100_000 {
				args := next()
				if args == nil {
					done = true
					break
				}
				if _, err := st.ExecContext(ctx, args...); err != nil {
					tx.Rollback()
					return err
				}
			}
			st.Close()
			if err := tx.Commit(); err != nil {
				return err
			}
		}
		return nil
	}
	id := int64(0)
	if err := insert("customers", custCols, func() []any {
		if id == int64(c.customers) {
			return nil
		}
		id++
		return customer(id)
	}); err != nil {
		return 0, err
	}
	rows := make(chan []any, 1024)
	errc := make(chan error, 1)
	go func() {
		errc <- src.ScanResponses(ctx, w.ID, 0, func(r store.ResponseRow) error { rows <- response(r); return nil })
		close(rows)
	}()
	if err := insert("responses", respCols, func() []any {
		row, ok := <-rows
		if !ok {
			return nil
		}
		return row
	}); err != nil {
		return 0, err
	}
	if err := <-errc; err != nil {
		return 0, err
	}
	_, err = raw.ExecContext(ctx, "ANALYZE")
	return w.ID, err
}

// scratchSchema creates a schema on the server and returns a DSN selecting
// it, and a function dropping it.
func scratchSchema(ctx context.Context, base string) (string, func(), error) {
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", nil, fmt.Errorf("postgres: %w", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "cxbench_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	drop := func() {
		conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		conn.Close(context.Background())
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

func ms(d time.Duration) string {
	if d == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}

func ratio(sql, ix time.Duration) string {
	if sql == 0 || ix == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f×", float64(sql)/float64(ix))
}

func printTable(w io.Writer, rows []row) {
	fmt.Fprintln(w, "| Bundle | Responses | Index | PostgreSQL | PG / index | SQLite | SQLite / index | Counts equal |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---|")
	for _, b := range []string{"filtered", "wide"} {
		for _, r := range rows {
			ix, pg, lite := r.filtered, r.sqlFiltered[store.Postgres], r.sqlFiltered[store.SQLite]
			if b == "wide" {
				ix, pg, lite = r.wide, r.sqlWide[store.Postgres], r.sqlWide[store.SQLite]
			}
			var eqs []string
			for _, d := range []string{store.Postgres, store.SQLite} {
				if e, ok := r.equal[d]; ok {
					eqs = append(eqs, d+" "+yes(e))
				}
			}
			eq := "–"
			if len(eqs) > 0 {
				eq = strings.Join(eqs, ", ")
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", b, count(r.n), ms(ix), ms(pg), ratio(pg, ix), ms(lite), ratio(lite, ix), eq)
		}
	}
	fmt.Fprintln(w)
	for _, r := range rows {
		fmt.Fprintf(w, "%s responses: %.1f bytes/response; index build %s rows/s from the generator", count(r.n), r.bytesPerResponse, count(int(r.buildRate)))
		for _, d := range []string{store.Postgres, store.SQLite} {
			if v, ok := r.dbBuildRate[d]; ok {
				fmt.Fprintf(w, ", %s rows/s from %s", count(int(v)), d)
			}
		}
		fmt.Fprintln(w)
	}
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "NO"
}

// count formats n with thousands separators.
func count(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
