// Command survey is the survey-page benchmark of the README: it serves the
// hosted survey pages from a fresh database (SQLite, then PostgreSQL) on a
// loopback port and drives them with a Go load generator in the same
// process: first page views of invitation links (GET /s/{token}), then
// score submissions (POST /w/v1/responses from an allowed widget origin,
// each acknowledged only once committed: SQLite syncs the WAL at every
// commit, PostgreSQL runs with synchronous_commit on). It prints requests
// per second and latency percentiles, and checks every acknowledged
// submission is in the database.
//
//	go run ./bench/survey [-duration 10s] [-clients 32] [-invitations 1000] [-pg URL] [-skip-pg]
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/survey"
	"github.com/cxlens/cxlens/internal/web"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "survey:", err)
		os.Exit(1)
	}
}

type config struct {
	duration    time.Duration
	clients     int
	invitations int
	pg          string
	skipPG      bool
	cpuprofile  string
	phase       string
	wrk         bool
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("survey", flag.ContinueOnError)
	var c config
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long each load phase runs")
	fs.IntVar(&c.clients, "clients", 32, "concurrent HTTP clients (keep-alive connections)")
	fs.IntVar(&c.invitations, "invitations", 1000, "invitation links the page views rotate through")
	fs.StringVar(&c.pg, "pg", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL server (a scratch schema is created on it)")
	fs.BoolVar(&c.skipPG, "skip-pg", false, "run SQLite only")
	fs.StringVar(&c.cpuprofile, "cpuprofile", "", "write a CPU profile of the run to `file`")
	fs.StringVar(&c.phase, "phase", "all", "which phases to run: all, view or submit")
	fs.BoolVar(&c.wrk, "wrk", false, "drive the page views with wrk (Debian package wrk) instead of the Go client, which shares the CPU with the server")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.cpuprofile != "" {
		f, err := os.Create(c.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	fmt.Fprintf(out, "survey benchmark: %d clients, %s per phase, GOMAXPROCS %d, %s/%s\n\n", c.clients, c.duration, runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(out, "%-10s  %-28s  %10s  %8s  %8s  %8s  %8s\n", "database", "phase", "requests", "req/s", "p50 ms", "p99 ms", "errors")
	dir, err := os.MkdirTemp("", "cxlens-bench-survey-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := bench(c, filepath.Join(dir, "bench.db"), "sqlite", out); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	if !c.skipPG {
		dsn, drop, err := pgSchema(c.pg)
		if err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		defer drop()
		if err := bench(c, dsn, "postgres", out); err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
	}
	return nil
}

// pgSchema creates a scratch schema and returns a DSN that uses it.
func pgSchema(base string) (string, func(), error) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "bench_survey_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		return "", nil, err
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema, func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	}, nil
}

func bench(c config, dsn, name string, out io.Writer) error {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "bench"})
	if err != nil {
		return err
	}
	sv, _ := survey.FromTemplate("nps", "nps")
	if _, err := db.CreateSurvey(ctx, w.ID, sv); err != nil {
		return err
	}
	list := make([]cx.Invitation, c.invitations)
	for i := range list {
		list[i] = cx.Invitation{Survey: "nps", Customer: fmt.Sprintf("c%d", i), Email: fmt.Sprintf("c%d@example.com", i), Language: []string{"en", "zh-Hans", "ro"}[i%3]}
	}
	invs, err := db.CreateInvitations(ctx, w.ID, list)
	if err != nil {
		return err
	}
	const origin = "https://shop.example.com"
	set, err := db.SetWidgetOrigins(ctx, w.ID, []string{origin})
	if err != nil {
		return err
	}
	pages := web.New(db, slog.New(slog.DiscardHandler), web.Options{PublicRate: 1e9, PublicBurst: 1e9})
	sg, err := pages.Signer(ctx)
	if err != nil {
		return err
	}
	paths := make([]string, len(invs))
	for i, in := range invs {
		paths[i] = web.InvitationPath(sg, w.ID, in)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: pages, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c.clients * 2, MaxConnsPerHost: c.clients * 2}, Timeout: 30 * time.Second}

	// Warm up: the first view of each invitation marks it opened (a write).
	for _, p := range paths {
		resp, err := client.Get(base + p)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("warm-up GET %s: %d", p, resp.StatusCode)
		}
	}

	var next atomic.Int64
	view := func() (bool, error) {
		p := paths[int(next.Add(1))%len(paths)]
		resp, err := client.Get(base + p)
		if err != nil {
			return false, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode == 200, err
	}
	if c.phase != "submit" {
		r := load(c, view)
		fmt.Fprintf(out, "%-10s  %-28s  %10d  %8.0f  %8.2f  %8.2f  %8d\n", name, "page view GET /s/{token}", r.n, r.rate, ms(r.p50), ms(r.p99), r.errors)
		if c.wrk {
			r, err := runWrk(c, base, paths)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "%-10s  %-28s  %10d  %8.0f  %8.2f  %8.2f  %8d\n", name, "page view (wrk)", r.n, r.rate, ms(r.p50), ms(r.p99), r.errors)
		}
	}
	if c.phase == "view" {
		return nil
	}

	var acked atomic.Int64
	submit := func() (bool, error) {
		b := make([]byte, 16)
		rand.Read(b)
		i := next.Add(1)
		body := fmt.Sprintf(`{"survey":"nps","customer":"w%d","score":%d,"lang":"en","nonce":"%s"}`, i%5000, i%11, hex.EncodeToString(b))
		req, _ := http.NewRequest("POST", base+"/w/v1/responses?key="+set.PublicKey, bytes.NewBufferString(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", origin)
		resp, err := client.Do(req)
		if err != nil {
			return false, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusCreated {
			acked.Add(1)
			return true, err
		}
		return false, err
	}
	r := load(c, submit)
	fmt.Fprintf(out, "%-10s  %-28s  %10d  %8.0f  %8.2f  %8.2f  %8d\n", name, "submit POST /w/v1/responses", r.n, r.rate, ms(r.p50), ms(r.p99), r.errors)

	// Durability check: every acknowledged submission is stored.
	var stored int64
	if err := countResponses(ctx, dsn, w.ID, &stored); err != nil {
		return err
	}
	if stored < acked.Load() {
		return fmt.Errorf("%d submissions acknowledged, %d stored", acked.Load(), stored)
	}
	fmt.Fprintf(out, "%-10s  %d submissions acknowledged, %d stored (reopened database)\n", name, acked.Load(), stored)
	return nil
}

// countResponses counts the workspace's responses on a new connection.
func countResponses(ctx context.Context, dsn string, ws int64, n *int64) error {
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	total := int64(0)
	cursor := ""
	for {
		p, err := db.Responses(ctx, ws, store.ResponseFilter{ListFilter: store.ListFilter{Limit: 1000, Cursor: cursor}})
		if err != nil {
			return err
		}
		total += int64(len(p.Items))
		if p.NextCursor == "" {
			break
		}
		cursor = p.NextCursor
	}
	*n = total
	return nil
}

type result struct {
	n, errors int
	rate      float64
	p50, p99  time.Duration
}

// load runs fn from c.clients goroutines for c.duration and measures each call.
func load(c config, fn func() (bool, error)) result {
	var mu sync.Mutex
	var all []time.Duration
	errs := 0
	start := time.Now()
	deadline := start.Add(c.duration)
	var wg sync.WaitGroup
	for range c.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 1<<16)
			bad := 0
			for time.Now().Before(deadline) {
				t := time.Now()
				ok, err := fn()
				lat = append(lat, time.Since(t))
				if !ok || err != nil {
					bad++
				}
			}
			mu.Lock()
			all = append(all, lat...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start)
	slices.Sort(all)
	q := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[min(len(all)-1, int(p*float64(len(all))))]
	}
	return result{n: len(all), errors: errs, rate: float64(len(all)) / el.Seconds(), p50: q(0.50), p99: q(0.99)}
}

// runWrk drives GET paths (in turn) with wrk and reads its summary.
func runWrk(c config, base string, paths []string) (result, error) {
	dir, err := os.MkdirTemp("", "cxlens-wrk-")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(dir)
	var lua strings.Builder
	lua.WriteString("local paths = {\n")
	for _, p := range paths {
		fmt.Fprintf(&lua, "%q,\n", p)
	}
	lua.WriteString("}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n" +
		"done = function(summary, latency, requests)\n  io.write(string.format(\"CXLENS %d %d %d %d %d\\n\", summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))\nend\n")
	script := filepath.Join(dir, "paths.lua")
	if err := os.WriteFile(script, []byte(lua.String()), 0o600); err != nil {
		return result{}, err
	}
	cmd := exec.Command("wrk", "-t1", fmt.Sprintf("-c%d", c.clients), "-d"+c.duration.String(), "-s", script, base+"/")
	outb, err := cmd.CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %w\n%s", err, outb)
	}
	var n, us, p50, p99, errs int64
	for _, line := range strings.Split(string(outb), "\n") {
		if strings.HasPrefix(line, "CXLENS ") {
			fmt.Sscan(strings.TrimPrefix(line, "CXLENS "), &n, &us, &p50, &p99, &errs)
		}
	}
	if n == 0 {
		return result{}, fmt.Errorf("wrk: no summary in\n%s", outb)
	}
	return result{n: int(n), errors: int(errs), rate: float64(n) / (float64(us) / 1e6), p50: time.Duration(p50) * time.Microsecond, p99: time.Duration(p99) * time.Microsecond}, nil
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
