// Command alerts is the close-the-loop benchmark: on SQLite and then on
// PostgreSQL it
//
//  1. ingests N NPS responses in batches (store.InsertResponses, the path
//     of POST /api/v1/responses) into a workspace with no alert rule, then
//     into a fresh one with 50 score rules (5 per survey over 10 NPS
//     surveys: thresholds 0–6, some with a customer-value condition, a 24 h
//     cooldown, create_case and webhook actions, a webhook subscribed), and
//     reports the throughput of each and the overhead of the rules;
//
//  2. enqueues M alert.fired messages and lets one webhook worker deliver
//     them, signed, to a local HTTP receiver, and reports messages/s.
//
//     go run ./bench/alerts [-n 200000] [-batch 1000] [-m 20000] [-pg URL] [-skip-pg]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cxlens/cxlens/internal/alert"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/webhook"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "alerts:", err)
		os.Exit(1)
	}
}

type config struct {
	n, batch, m, customers int
	pg                     string
	skipPG                 bool
}

type result struct {
	db                      string
	plain, quiet, withRules time.Duration
	alerts, cases           int
	delivered               int
	deliver                 time.Duration
}

// Workspace setups of the ingest runs.
const (
	noRules    = iota
	quietRules // 50 rules that match no response: the cost of evaluating
	firing     // 50 rules that fire on detractors: evaluation and actions
)

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("alerts", flag.ContinueOnError)
	var c config
	fs.IntVar(&c.n, "n", 200_000, "responses to ingest per run")
	fs.IntVar(&c.batch, "batch", 1000, "responses per batch")
	fs.IntVar(&c.customers, "customers", 100_000, "distinct customers the responses name")
	fs.IntVar(&c.m, "m", 20_000, "webhook messages to deliver")
	fs.StringVar(&c.pg, "pg", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL server (a scratch database cxlens_bench_alerts is created on it)")
	fs.BoolVar(&c.skipPG, "skip-pg", false, "run SQLite only")
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
	if c.n <= 0 || c.batch <= 0 || c.batch > 10000 || c.m <= 0 || c.customers <= 0 {
		return errors.New("-n, -batch (1–10000), -m and -customers must be positive")
	}
	tmp, err := os.MkdirTemp("", "cxlens-bench-alerts-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var results []result
	// Each database twice: ingest, and a fresh one for delivery, so the
	// worker sees only the benchmark's messages.
	dsns := [][2]string{{filepath.Join(tmp, "ingest.db"), filepath.Join(tmp, "deliver.db")}}
	if !c.skipPG {
		var pair [2]string
		for i, name := range []string{"cxlens_bench_alerts", "cxlens_bench_alerts_deliver"} {
			dsn, err := freshPGDatabase(c.pg, name)
			if err != nil {
				return fmt.Errorf("postgres: %w (use -skip-pg to run SQLite only)", err)
			}
			pair[i] = dsn
		}
		dsns = append(dsns, pair)
	}
	for _, pair := range dsns {
		r, err := benchDB(pair[0], pair[1], c, stderr)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "database\t0 rules\t50 rules, none firing\toverhead\t50 rules firing\toverhead\talerts (cases)\twebhooks delivered\t\n")
	rate := func(d time.Duration) float64 { return float64(c.n) / d.Seconds() }
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%.0f/s\t%.0f/s\t%+.1f%%\t%.0f/s\t%+.1f%%\t%d (%d)\t%.0f/s\t\n", r.db, rate(r.plain),
			rate(r.quiet), 100*(r.quiet.Seconds()/r.plain.Seconds()-1), rate(r.withRules), 100*(r.withRules.Seconds()/r.plain.Seconds()-1),
			r.alerts, r.cases, float64(r.delivered)/r.deliver.Seconds())
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%d responses per workspace in batches of %d (the three setups interleaved batch by batch), %d customers; %d webhooks to a local receiver, one worker.\n",
		c.n, c.batch, c.customers, c.m)
	return nil
}

func open(ctx context.Context, dsn string) (*store.DB, error) {
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func benchDB(dsn, deliverDSN string, c config, stderr io.Writer) (result, error) {
	ctx := context.Background()
	db, err := open(ctx, dsn)
	if err != nil {
		return result{}, err
	}
	defer db.Close()
	r := result{db: db.Dialect()}
	// The three setups ingest the same batches in turn, batch by batch
	// (rotating which goes first), so load from other processes on the
	// machine falls on all of them alike; each setup's time is the sum of
	// its batches' times.
	var wss [3]int64
	for _, setup := range []int{firing, quietRules, noRules} {
		if wss[setup], err = workspace(ctx, db, setup); err != nil {
			return r, err
		}
		if err := customers(ctx, db, wss[setup], c.customers); err != nil {
			return r, err
		}
	}
	warm, err := workspace(ctx, db, noRules)
	if err != nil {
		return r, err
	}
	if err := customers(ctx, db, warm, c.customers); err != nil {
		return r, err
	}
	fmt.Fprintf(stderr, "%s: ingesting %d responses into each of 3 workspaces (after a warm-up of %d)…\n", r.db, c.n, min(c.n, 20_000))
	for start := 0; start < min(c.n, 20_000); start += c.batch {
		if _, err := insertBatch(ctx, db, warm, start, c); err != nil {
			return r, err
		}
	}
	var took [3]time.Duration
	for n, start := 0, 0; start < c.n; n, start = n+1, start+c.batch {
		for k := range wss {
			setup := (n + k) % len(wss)
			d, err := insertBatch(ctx, db, wss[setup], start, c)
			if err != nil {
				return r, err
			}
			took[setup] += d
		}
	}
	r.plain, r.quiet, r.withRules = took[noRules], took[quietRules], took[firing]
	alerts, err := store.All(func(cur string) (store.Page[store.Alert], error) {
		return db.Alerts(ctx, wss[firing], store.AlertFilter{Cursor: cur, Limit: store.MaxLimit})
	})
	if err != nil {
		return r, err
	}
	r.alerts = len(alerts)
	for _, a := range alerts {
		if a.CaseID != 0 {
			r.cases++
		}
	}
	if q, err := db.Alerts(ctx, wss[quietRules], store.AlertFilter{Limit: 1}); err != nil || len(q.Items) > 0 {
		return r, fmt.Errorf("the quiet rules fired (%v)", err)
	}
	fmt.Fprintf(stderr, "%s: delivering %d webhooks…\n", r.db, c.m)
	ddb, err := open(ctx, deliverDSN)
	if err != nil {
		return r, err
	}
	defer ddb.Close()
	r.delivered, r.deliver, err = deliver(ctx, ddb, c.m)
	return r, err
}

// workspace creates a workspace with the survey, customers with a value
// attribute, and, with rules, 50 score rules and a webhook.
func workspace(ctx context.Context, db *store.DB, rules int) (int64, error) {
	w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: fmt.Sprintf("bench setup %d", rules)})
	if err != nil {
		return 0, err
	}
	for s := range surveys {
		if _, err := db.CreateSurvey(ctx, w.ID, cx.Survey{Key: surveyKey(s), Kind: cx.NPS}); err != nil {
			return 0, err
		}
	}
	if rules == noRules {
		return w.ID, nil
	}
	srv := "https://hooks.example.com/cx" // never called: the benchmark does not run a worker here
	if _, err := db.CreateWebhook(ctx, w.ID, store.Webhook{URL: srv, Events: []string{store.TopicAlertFired}}); err != nil {
		return 0, err
	}
	// Per survey: detractors open a case; very low scores of valuable
	// customers, and any low score of the most valuable, go to webhooks.
	shapes := []struct {
		max      int
		minValue float64
		actions  []alert.Action
	}{
		{6, -1, []alert.Action{alert.ActionCreateCase, alert.ActionWebhook}},
		{2, 500, []alert.Action{alert.ActionWebhook}},
		{4, 900, []alert.Action{alert.ActionWebhook}},
		{6, 990, []alert.Action{alert.ActionCreateCase}},
		{0, -1, []alert.Action{alert.ActionWebhook}},
	}
	for i := range 50 {
		sh := shapes[i%len(shapes)]
		r := alert.Rule{Name: fmt.Sprintf("rule %d", i), Survey: surveyKey(i / len(shapes)), MaxScore: sh.max, CooldownSeconds: 24 * 3600,
			SLAHours: 24, Actions: sh.actions}
		if rules == quietRules {
			r.MaxScore = -1 // below the 0–10 scale: evaluated on every response, never fires
		}
		if sh.minValue >= 0 {
			v := sh.minValue
			r.MinCustomerValue = &v
		}
		if _, err := db.CreateAlertRule(ctx, w.ID, r); err != nil {
			return 0, err
		}
	}
	return w.ID, nil
}

// surveys is how many NPS surveys the workspace has (touchpoints); the
// 50 rules are 5 per survey and the responses spread over them.
const surveys = 10

func surveyKey(i int) string { return fmt.Sprintf("nps-%d", i) }

// customers upserts n customers with the value attribute half the rules read.
func customers(ctx context.Context, db *store.DB, ws int64, n int) error {
	for start := 0; start < n; start += 1000 {
		cs := make([]cx.Customer, min(1000, n-start))
		for i := range cs {
			cs[i] = cx.Customer{ExternalID: fmt.Sprintf("c%d", start+i), Attributes: cx.Attributes{"value": float64((start + i) % 1000)}}
		}
		if _, err := db.UpsertCustomers(ctx, ws, cs, store.BatchOptions{}); err != nil {
			return err
		}
	}
	return nil
}

// scores follow a typical NPS mix: 20% detractors, 20% passives.
var scores = []int{10, 9, 9, 10, 8, 7, 8, 3, 6, 10, 9, 0, 8, 9, 10, 5, 9, 10, 7, 2}

// insertBatch inserts responses start… of the run (a batch) into ws and
// returns the time InsertResponses took.
func insertBatch(ctx context.Context, db *store.DB, ws int64, start int, c config) (time.Duration, error) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := make([]cx.Response, min(c.batch, c.n-start))
	for i := range b {
		k := start + i
		b[i] = cx.Response{Survey: surveyKey(k % surveys), Customer: fmt.Sprintf("c%d", (k*7919)%c.customers), Score: &scores[k%len(scores)],
			SubmittedAt: base.Add(time.Duration(k) * time.Second), IdempotencyKey: fmt.Sprintf("k%d", k)}
	}
	t0 := time.Now()
	if _, err := db.InsertResponses(ctx, ws, b, store.BatchOptions{}); err != nil {
		return 0, err
	}
	return time.Since(t0), nil
}

// deliver enqueues m alert.fired messages to a workspace subscribed by a
// local receiver and times one worker delivering them all.
func deliver(ctx context.Context, db *store.DB, m int) (int, time.Duration, error) {
	var got atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		got.Add(1)
	}))
	defer srv.Close()
	w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "bench webhooks"})
	if err != nil {
		return 0, 0, err
	}
	if _, err := db.CreateWebhook(ctx, w.ID, store.Webhook{URL: srv.URL, Events: []string{store.TopicAlertFired}}); err != nil {
		return 0, 0, err
	}
	payload, _ := json.Marshal(map[string]any{"alert": map[string]any{"id": 1, "rule_id": 1, "customer": "c1"}, "response": map[string]any{"score": 2, "comment": "slow"}})
	for start := 0; start < m; start += 1000 {
		msgs := make([]store.Message, min(1000, m-start))
		for i := range msgs {
			msgs[i] = store.Message{Topic: store.TopicAlertFired, Payload: payload}
		}
		if _, err := db.Enqueue(ctx, w.ID, msgs); err != nil {
			return 0, 0, err
		}
	}
	wk := webhook.NewWorker(db, webhook.Options{ID: "bench", Logger: slog.New(slog.DiscardHandler)})
	t0 := time.Now()
	done := 0
	for done < m {
		n, err := wk.RunOnce(ctx)
		if err != nil {
			return done, 0, err
		}
		if n == 0 {
			return done, 0, fmt.Errorf("outbox empty after %d of %d", done, m)
		}
		done += n
	}
	d := time.Since(t0)
	if int(got.Load()) != m {
		dl, _ := db.Deliveries(ctx, w.ID, store.DeliveryFilter{Limit: 1})
		return done, d, fmt.Errorf("receiver got %d of %d (%+v)", got.Load(), m, dl.Items)
	}
	return m, d, nil
}

func freshPGDatabase(dsn, name string) (string, error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", err
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
