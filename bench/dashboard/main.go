// Command dashboard measures the dashboard's Overview page with a large
// analytics index: the server time of GET /app (median of -runs requests,
// after one warm-up that builds the index) with -n synthetic responses
// (internal/analytics.Synthetic: 5 NPS surveys over 3 years, 8 attributes),
// and the compressed bytes of the JS and CSS a first page load fetches.
//
//	go run ./bench/dashboard -n 10000000 -runs 30
//
// The dashboard runs in-process over a fresh SQLite database that holds
// the workspace and a user who logs in through the login form; the survey
// figures come from the index, as in production. The KPI tiles (churn,
// NRR, FRT…) are a separate htmx request computed from the database's
// customers, events and tickets, not from the index; their time is
// reported apart, over this database (which has none).
package main

import (
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/analytics"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/demo"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/web"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dashboard:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("dashboard", flag.ContinueOnError)
	n := fs.Int("n", 10_000_000, "synthetic responses in the index")
	runs := fs.Int("runs", 30, "timed requests of the Overview")
	query := fs.String("query", "", "Overview query, e.g. seg=customer.plan%3Dplan-001 (default: the last 90 days)")
	demoCustomers := fs.Int("demo-customers", 0, "also time the pages computed from customers, events and tickets\n"+
		"(tiles, Customers, Support, Say vs do, Journey) on a demo workspace of this many customers; 0 skips")
	if err := fs.Parse(args); err != nil {
		return err
	}
	end := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	logger := slog.New(slog.DiscardHandler)

	dir, err := os.MkdirTemp("", "cxlens-bench-dashboard-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, filepath.Join(dir, "cxlens.db"), store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	ws, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "bench", TimeZone: "UTC"})
	if err != nil {
		return err
	}
	const email, password = "bench@example.com", "bench password 123"
	hash, err := web.HashPassword(password)
	if err != nil {
		return err
	}
	if _, err := db.CreateUser(ctx, store.User{Email: email, PasswordHash: hash}, ws.ID, "viewer"); err != nil {
		return err
	}
	src := &analytics.Synthetic{N: *n, Customers: max(1, *n/20), Seed: 1, End: end}
	ixs := analytics.NewIndexes(src, analytics.Options{Logger: logger})
	t0 := time.Now()
	if _, err := ixs.Get(ctx, ws.ID); err != nil {
		return fmt.Errorf("build index: %w", err)
	}
	fmt.Fprintf(out, "index: %d responses built in %s\n", *n, time.Since(t0).Round(time.Millisecond))
	srv := web.New(db, logger, web.Options{Now: func() time.Time { return end.Add(-time.Hour) }, Indexes: ixs})

	b := &browser{h: srv, cookies: map[string]string{}}
	if err := b.login(email, password); err != nil {
		return err
	}
	target := "/app"
	if *query != "" {
		target += "?" + *query
	}
	status, _, _ := b.get(target, true)
	if status != http.StatusOK {
		return fmt.Errorf("GET %s: %d", target, status)
	}
	times := make([]time.Duration, *runs)
	for i := range times {
		t := time.Now()
		if status, _, _ = b.get(target, true); status != http.StatusOK {
			return fmt.Errorf("GET %s: %d", target, status)
		}
		times[i] = time.Since(t)
	}
	slices.Sort(times)
	fmt.Fprintf(out, "overview %s: server time median %s, min %s, max %s over %d requests\n", target,
		times[len(times)/2].Round(10*time.Microsecond), times[0].Round(10*time.Microsecond), times[len(times)-1].Round(10*time.Microsecond), len(times))

	t := time.Now()
	if status, _, _ := b.get("/app/overview/tiles", true); status != http.StatusOK {
		return fmt.Errorf("tiles: %d", status)
	}
	fmt.Fprintf(out, "tiles partial (database KPIs, empty here): %s\n", time.Since(t).Round(10*time.Microsecond))

	// The first page load: the HTML, then every script and stylesheet it
	// names, gzip-encoded as a browser asks for them.
	_, html, htmlGz := b.get(target, true)
	fmt.Fprintf(out, "first load: HTML %d bytes (%d gzipped)\n", len(html), htmlGz)
	total := 0
	for _, m := range assetRef.FindAllStringSubmatch(html, -1) {
		u := strings.ReplaceAll(m[1], "&amp;", "&")
		status, raw, gz := b.get(u, true)
		if status != http.StatusOK {
			return fmt.Errorf("GET %s: %d", u, status)
		}
		fmt.Fprintf(out, "  %-60s %8d bytes, %7d compressed\n", u, len(raw), gz)
		total += gz
	}
	fmt.Fprintf(out, "first load: compressed JS/CSS %d bytes (%.1f KB)\n", total, float64(total)/1024)
	if *demoCustomers > 0 {
		return demoPages(ctx, out, db, logger, *demoCustomers, *runs)
	}
	return nil
}

// demoPages times the pages computed from a workspace's customers, events
// and tickets on demo data: the first request, which reads them from the
// database into a snapshot (report.Snapshots), and the median of later
// ones, served from it.
func demoPages(ctx context.Context, out io.Writer, db *store.DB, logger *slog.Logger, customers, runs int) error {
	now := time.Now()
	t0 := time.Now()
	ws, sum, err := demo.Create(ctx, db, demo.Options{Seed: 1, Customers: customers, Now: now, WorkspaceName: "demo"})
	if err != nil {
		return err
	}
	responses, events := 0, 0
	for _, n := range sum.Responses {
		responses += n
	}
	for _, n := range sum.Events {
		events += n
	}
	fmt.Fprintf(out, "demo workspace: %d customers, %d events, %d tickets, %d responses, loaded in %s\n",
		sum.Customers, events, sum.Tickets, responses, time.Since(t0).Round(time.Millisecond))
	const email, password = "demo-bench@example.com", "bench password 123"
	hash, err := web.HashPassword(password)
	if err != nil {
		return err
	}
	if _, err := db.CreateUser(ctx, store.User{Email: email, PasswordHash: hash}, ws.ID, "viewer"); err != nil {
		return err
	}
	srv := web.New(db, logger, web.Options{Now: time.Now})
	b := &browser{h: srv, cookies: map[string]string{}}
	if err := b.login(email, password); err != nil {
		return err
	}
	fmt.Fprintf(out, "%-22s %12s %14s\n", "page", "first", "later, median")
	for _, page := range []string{"/app/overview/tiles", "/app/customers", "/app/support", "/app/say-vs-do", "/app/journey"} {
		t := time.Now()
		if status, _, _ := b.get(page, true); status != http.StatusOK {
			return fmt.Errorf("GET %s: %d", page, status)
		}
		first := time.Since(t)
		times := make([]time.Duration, runs)
		for i := range times {
			t := time.Now()
			if status, _, _ := b.get(page, true); status != http.StatusOK {
				return fmt.Errorf("GET %s: %d", page, status)
			}
			times[i] = time.Since(t)
		}
		slices.Sort(times)
		fmt.Fprintf(out, "%-22s %12s %14s\n", page, first.Round(10*time.Microsecond), times[len(times)/2].Round(10*time.Microsecond))
	}
	return nil
}

var assetRef = regexp.MustCompile(`<(?:script[^>]*\ssrc|link[^>]*\shref)="(/static/[^"]+)"`)

// browser keeps cookies across in-process requests.
type browser struct {
	h       http.Handler
	cookies map[string]string
}

// get returns the status, the decoded body and the bytes on the wire.
func (b *browser) get(target string, gz bool) (int, string, int) {
	req := httptest.NewRequest("GET", target, nil)
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	return b.do(req)
}

func (b *browser) do(req *http.Request) (int, string, int) {
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	res := rec.Result()
	for _, c := range res.Cookies() {
		b.cookies[c.Name] = c.Value
	}
	wire := rec.Body.Len()
	var body []byte
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(rec.Body)
		if err == nil {
			body, _ = io.ReadAll(zr)
		}
	} else {
		body = rec.Body.Bytes()
	}
	return res.StatusCode, string(body), wire
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// login signs in through the login form.
func (b *browser) login(email, password string) error {
	_, page, _ := b.get("/login", false)
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		return fmt.Errorf("login page has no CSRF token")
	}
	form := url.Values{"csrf": {m[1]}, "email": {email}, "password": {password}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, _, _ := b.do(req)
	if status != http.StatusSeeOther {
		return fmt.Errorf("login: status %d", status)
	}
	return nil
}
