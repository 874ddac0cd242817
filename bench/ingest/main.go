// Command ingest is the ingest benchmark of the README: it builds cxlens,
// starts it fresh on SQLite and then on PostgreSQL, posts N NPS responses
// in batches over HTTP (each with an idempotency key and a customer to
// upsert), kills the server with SIGKILL, and counts the rows on reopening
// the database to check that every acknowledged response was durable. As
// the reference it loads the same rows into PostgreSQL with COPY.
//
//	go run ./bench/ingest [-n 1000000] [-batch 1000] [-clients 4] [-pg URL]
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ingest:", err)
		os.Exit(1)
	}
}

type config struct {
	n, batch, clients, customers int
	pg                           string
	skipPG, noComments           bool
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	var c config
	fs.IntVar(&c.n, "n", 1_000_000, "responses to post")
	fs.IntVar(&c.batch, "batch", 1000, "responses per request")
	fs.IntVar(&c.clients, "clients", 4, "concurrent HTTP clients")
	fs.IntVar(&c.customers, "customers", 200_000, "distinct customers the responses name")
	fs.StringVar(&c.pg, "pg", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL server (a scratch database cxlens_bench is created on it)")
	fs.BoolVar(&c.skipPG, "skip-pg", false, "run SQLite only")
	fs.BoolVar(&c.noComments, "no-comments", false, "post responses without comments (by default 5 of 6 carry one, which\n"+
		"cxlens analyses when storing it: language, sentiment, themes)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.n <= 0 || c.batch <= 0 || c.batch > 10000 || c.clients <= 0 {
		return errors.New("-n, -batch (1–10000) and -clients must be positive")
	}
	tmp, err := os.MkdirTemp("", "cxlens-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "cxlens")
	fmt.Fprintln(stderr, "building cxlens…")
	build := exec.Command("go", "build", "-o", bin, "./cmd/cxlens")
	build.Stdout, build.Stderr = stderr, stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	fmt.Fprintf(stderr, "generating %d responses in batches of %d…\n", c.n, c.batch)
	bodies := makeBodies(c)

	type result struct {
		name    string
		rate    float64
		elapsed time.Duration
		stored  int64
	}
	var results []result
	targets := []struct{ name, dsn string }{{"cxlens on SQLite", filepath.Join(tmp, "bench.db")}}
	var pgBench string
	if !c.skipPG {
		pgBench, err = freshPGDatabase(c.pg, "cxlens_bench")
		if err != nil {
			return err
		}
		targets = append(targets, struct{ name, dsn string }{"cxlens on PostgreSQL", pgBench})
	}
	for _, t := range targets {
		fmt.Fprintf(stderr, "%s: starting…\n", t.name)
		elapsed, stored, err := benchServer(bin, t.dsn, bodies, c, stderr)
		if err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		if stored != int64(c.n) {
			return fmt.Errorf("%s: %d responses acknowledged but %d stored after kill -9", t.name, c.n, stored)
		}
		results = append(results, result{t.name, float64(c.n) / elapsed.Seconds(), elapsed, stored})
	}
	if !c.skipPG {
		elapsed, err := benchCopy(pgBench, c)
		if err != nil {
			return fmt.Errorf("copy: %w", err)
		}
		results = append(results, result{"PostgreSQL COPY (reference)", float64(c.n) / elapsed.Seconds(), elapsed, int64(c.n)})
	}

	fmt.Fprintf(stdout, "\n%d NPS responses, batches of %d, %d clients, %d CPUs, %s\n\n", c.n, c.batch, c.clients, runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintln(stdout, "| target | time | responses/s | durable after kill -9 |")
	fmt.Fprintln(stdout, "|---|---:|---:|---|")
	for _, r := range results {
		durable := fmt.Sprintf("%d of %d", r.stored, c.n)
		if strings.Contains(r.name, "COPY") {
			durable = "—"
		}
		fmt.Fprintf(stdout, "| %s | %.1f s | %s | %s |\n", r.name, r.elapsed.Seconds(), thousands(int64(r.rate)), durable)
	}
	if len(results) == 3 {
		fmt.Fprintf(stdout, "\nratios to COPY: SQLite %.2f×, PostgreSQL %.2f× (1 = as fast as COPY)\n",
			results[0].rate/results[2].rate, results[1].rate/results[2].rate)
	}
	return nil
}

// item is one response as the API takes it.
type item struct {
	Survey         string `json:"survey"`
	Customer       string `json:"customer"`
	Score          int    `json:"score"`
	Comment        string `json:"comment,omitempty"`
	SubmittedAt    string `json:"submitted_at"`
	Channel        string `json:"channel"`
	Touchpoint     string `json:"touchpoint"`
	IdempotencyKey string `json:"idempotency_key"`
}

var comments = []string{
	"", "Great service, fast delivery.", "The app keeps logging me out.", "Support took three days to answer.",
	"Fair price, would recommend to a friend.", "Checkout failed twice before it worked.",
}

// comment is response i's comment.
func comment(i int, c config) string {
	if c.noComments {
		return ""
	}
	return comments[i%len(comments)]
}

// row returns response i; the same function feeds the HTTP bodies and COPY.
func row(i int, c config) item {
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	// A fixed spread of scores with NPS about +20.
	score := [...]int{10, 9, 8, 10, 3, 9, 7, 6, 10, 5, 9, 8, 2, 10, 9, 0, 8, 9, 10, 7}[i%20]
	return item{
		Survey:         "nps",
		Customer:       "cust-" + strconv.Itoa((i*7919)%c.customers),
		Score:          score,
		Comment:        comment(i, c),
		SubmittedAt:    base.Add(time.Duration(i) * 31 * time.Second).Format(time.RFC3339),
		Channel:        [...]string{"email", "web", "app"}[i%3],
		Touchpoint:     [...]string{"delivery", "support", "checkout", "onboarding"}[i%4],
		IdempotencyKey: "bench-" + strconv.Itoa(i),
	}
}

func makeBodies(c config) [][]byte {
	var bodies [][]byte
	for start := 0; start < c.n; start += c.batch {
		batch := make([]item, 0, c.batch)
		for i := start; i < min(start+c.batch, c.n); i++ {
			batch = append(batch, row(i, c))
		}
		b, _ := json.Marshal(batch)
		bodies = append(bodies, b)
	}
	return bodies
}

// benchServer starts cxlens on dsn, posts every body, kills the server and
// counts what was stored.
func benchServer(bin, dsn string, bodies [][]byte, c config, stderr io.Writer) (time.Duration, int64, error) {
	cli := func(args ...string) (string, error) {
		cmd := exec.Command(bin, append([]string{"--db", dsn}, args...)...)
		cmd.Stderr = stderr
		out, err := cmd.Output()
		return strings.TrimSpace(string(out)), err
	}
	if _, err := cli("migrate"); err != nil {
		return 0, 0, fmt.Errorf("migrate: %w", err)
	}
	ws, err := cli("workspace", "create", "bench")
	if err != nil {
		return 0, 0, fmt.Errorf("workspace: %w", err)
	}
	key, err := cli("apikey", "create", "--workspace", ws)
	if err != nil {
		return 0, 0, fmt.Errorf("apikey: %w", err)
	}
	if _, err := cli("survey", "create", "--workspace", ws, "--kind", "nps", "--key", "nps"); err != nil {
		return 0, 0, fmt.Errorf("survey: %w", err)
	}
	addr, err := freeAddr()
	if err != nil {
		return 0, 0, err
	}
	srv := exec.Command(bin, "--db", dsn, "--log-level", "warn", "serve", "--addr", addr)
	srv.Stderr = stderr
	if err := srv.Start(); err != nil {
		return 0, 0, err
	}
	defer srv.Process.Kill()
	base := "http://" + addr
	if err := waitHealthy(base); err != nil {
		return 0, 0, err
	}

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c.clients}, Timeout: 2 * time.Minute}
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for range c.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(bodies) || failed.Load() != nil {
					return
				}
				if err := post(client, base, key, bodies[i]); err != nil {
					failed.Store(fmt.Errorf("batch %d: %w", i, err))
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err, _ := failed.Load().(error); err != nil {
		return 0, 0, err
	}
	// Every response was acknowledged: now pull the plug.
	srv.Process.Signal(os.Kill)
	srv.Wait()
	stored, err := countResponses(dsn)
	return elapsed, stored, err
}

func post(client *http.Client, base, key string, body []byte) error {
	req, err := http.NewRequest("POST", base+"/api/v1/responses", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("status %d: %.300s", resp.StatusCode, msg)
	}
	return nil
}

func countResponses(dsn string) (int64, error) {
	driver, src := "sqlite", dsn
	if strings.HasPrefix(dsn, "postgres") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, src)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int64
	err = db.QueryRow("SELECT count(*) FROM responses").Scan(&n)
	return n, err
}

// benchCopy loads the same rows with COPY into a plain table of the same
// column types as cxlens's responses table (no indexes or constraints).
func benchCopy(dsn string, c config) (time.Duration, error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DROP TABLE IF EXISTS copy_reference;
		CREATE TABLE copy_reference (workspace_id BIGINT, id BIGINT, survey_id BIGINT, customer_id BIGINT,
		submitted_at BIGINT, score BIGINT, comment TEXT, language TEXT, channel TEXT, touchpoint TEXT,
		attributes JSONB, idempotency_key TEXT, created_at BIGINT)`); err != nil {
		return 0, err
	}
	cols := []string{"workspace_id", "id", "survey_id", "customer_id", "submitted_at", "score", "comment", "language", "channel", "touchpoint", "attributes", "idempotency_key", "created_at"}
	now := time.Now().UnixMilli()
	start := time.Now()
	for lo := 0; lo < c.n; lo += c.batch {
		rows := make([][]any, 0, c.batch)
		for i := lo; i < min(lo+c.batch, c.n); i++ {
			r := row(i, c)
			t, _ := time.Parse(time.RFC3339, r.SubmittedAt)
			rows = append(rows, []any{int64(1), int64(i + 1), int64(1), int64((i * 7919) % c.customers), t.UnixMilli(), int64(r.Score),
				r.Comment, "", r.Channel, r.Touchpoint, "{}", r.IdempotencyKey, now})
		}
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"copy_reference"}, cols, pgx.CopyFromRows(rows)); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

// freshPGDatabase drops and creates database name on the server of dsn and
// returns its URL.
func freshPGDatabase(dsn, name string) (string, error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", fmt.Errorf("postgres: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitHealthy(base string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("server did not become healthy in 30 s")
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
