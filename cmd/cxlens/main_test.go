package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
	"github.com/cxlens/cxlens/internal/webhook"
)

// result is what one run of the command did.
type result struct {
	stdout, stderr string
	err            error
	code           int // the exit status main would use
}

// env is a test's environment: CXLENS_* variables, and standard input.
type env struct {
	vars  map[string]string
	stdin string
}

// cxlens runs the command through run(), as main would, with a database
// named by e.vars (tests set CXLENS_DB).
func (e env) cxlens(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string { return e.vars[k] }
	err := run(context.Background(), append([]string{"cxlens"}, args...), getenv, strings.NewReader(e.stdin), &stdout, &stderr)
	r := result{stdout: stdout.String(), stderr: stderr.String(), err: err}
	if err != nil {
		r.code = exitCode(err)
	}
	return r
}

// must runs the command and fails the test unless it succeeds.
func (e env) must(t *testing.T, args ...string) result {
	t.Helper()
	r := e.cxlens(t, args...)
	if r.err != nil {
		t.Fatalf("cxlens %s: %v\nstderr:\n%s", strings.Join(args, " "), r.err, r.stderr)
	}
	return r
}

// newEnv returns an environment on a fresh database of the dialect.
func newEnv(t *testing.T, dialect string) env {
	t.Helper()
	return env{vars: map[string]string{"CXLENS_DB": storetest.DSN(t, dialect), "CXLENS_LOG_LEVEL": "warn"}}
}

// setup creates a workspace with an NPS survey "nps" and returns its id.
func (e env) setup(t *testing.T) string {
	t.Helper()
	ws := strings.TrimSpace(e.must(t, "workspace", "create", "Acme").stdout)
	e.must(t, "survey", "create", "--workspace", ws, "--kind", "nps", "--key", "nps")
	return ws
}

// dialects are the databases the end-to-end tests run on; PostgreSQL
// cases skip when no server is reachable (see storetest).
var dialects = []string{store.SQLite, store.Postgres}

func TestWorkspaceCreatePrintsOnlyID(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	r := e.must(t, "workspace", "create", "Acme Inc", "--time-zone", "Europe/Bucharest")
	if !regexp.MustCompile(`^[0-9]+\n$`).MatchString(r.stdout) {
		t.Errorf("stdout = %q, want only an id", r.stdout)
	}
	if !strings.Contains(r.stderr, "Acme Inc") {
		t.Errorf("stderr = %q, want a message naming the workspace", r.stderr)
	}
	list := e.must(t, "workspace", "list")
	if !strings.Contains(list.stdout, "Acme Inc") || !strings.Contains(list.stdout, "Europe/Bucharest") {
		t.Errorf("workspace list = %q", list.stdout)
	}
	var ws []map[string]any
	if err := json.Unmarshal([]byte(e.must(t, "workspace", "list", "--json").stdout), &ws); err != nil || len(ws) != 1 {
		t.Errorf("workspace list --json: %v, %v", ws, err)
	}
}

func TestAPIKeyCreatePrintsOnlyKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	ws := e.setup(t)
	r := e.must(t, "apikey", "create", "--workspace", ws, "--name", "ci", "--scopes", "read")
	if !regexp.MustCompile(`^cxl_[a-z0-9]+\n$`).MatchString(r.stdout) {
		t.Errorf("stdout = %q, want only a key", r.stdout)
	}
	key := strings.TrimSpace(r.stdout)
	list := e.must(t, "apikey", "list", "--workspace", ws)
	if !strings.Contains(list.stdout, "ci") || !strings.Contains(list.stdout, key[:12]) || strings.Contains(list.stdout, key) {
		t.Errorf("apikey list = %q, want the name and prefix, not the key", list.stdout)
	}
	e.must(t, "apikey", "revoke", "--workspace", ws, "1")
	if list := e.must(t, "apikey", "list", "--workspace", ws, "--json"); !strings.Contains(list.stdout, "revoked_at") {
		t.Errorf("revoked key not marked: %s", list.stdout)
	}
	if r := e.cxlens(t, "apikey", "revoke", "--workspace", ws, "99"); r.code != 1 {
		t.Errorf("revoking a missing key: code %d, err %v", r.code, r.err)
	}
}

func TestSurveyCommands(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	ws := e.setup(t)
	r := e.must(t, "survey", "create", "--workspace", ws, "--kind", "custom", "--key", "effort", "--scale-min", "1", "--scale-max", "10", "--name", "Effort")
	if !regexp.MustCompile(`^[0-9]+\n$`).MatchString(r.stdout) {
		t.Errorf("stdout = %q, want only an id", r.stdout)
	}
	list := e.must(t, "survey", "list", "--workspace", ws).stdout
	for _, want := range []string{"nps", "0–10", "effort", "1–10", "Effort"} {
		if !strings.Contains(list, want) {
			t.Errorf("survey list lacks %q:\n%s", want, list)
		}
	}
	if r := e.cxlens(t, "survey", "create", "--workspace", ws, "--kind", "nps", "--key", "x", "--scale-max", "5"); r.code != 2 {
		t.Errorf("NPS survey with a 0–5 scale: code %d, err %v", r.code, r.err)
	}
}

func TestImportTwiceAddsNothing(t *testing.T) {
	t.Parallel()
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, d)
			ws := e.setup(t)
			r := e.must(t, "import", "--workspace", ws, "--type", "responses", "testdata/responses.csv")
			if !strings.Contains(r.stderr, "5 inserted") || r.stdout != "" {
				t.Errorf("first import: stdout %q, stderr:\n%s", r.stdout, r.stderr)
			}
			r = e.must(t, "import", "testdata/responses.csv", "--workspace", ws, "--type", "responses")
			if !strings.Contains(r.stderr, "0 inserted") || !strings.Contains(r.stderr, "5 duplicates") {
				t.Errorf("second import stderr:\n%s", r.stderr)
			}
			out := e.must(t, "export", "--workspace", ws, "--type", "responses", "--format", "ndjson").stdout
			if n := strings.Count(out, "\n"); n != 5 {
				t.Errorf("%d responses stored, want 5:\n%s", n, out)
			}
		})
	}
}

func TestImportFromStdinAndDryRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	ws := e.setup(t)
	src, err := os.ReadFile("testdata/responses.csv")
	if err != nil {
		t.Fatal(err)
	}
	e.stdin = string(src)
	if r := e.cxlens(t, "import", "--workspace", ws, "--type", "responses", "-"); r.code != 2 || !strings.Contains(r.err.Error(), "--format") {
		t.Errorf("stdin without --format: code %d, err %v", r.code, r.err)
	}
	r := e.must(t, "import", "--workspace", ws, "--type", "responses", "--format", "csv", "--dry-run", "-")
	if !strings.Contains(r.stderr, "dry run") || !strings.Contains(r.stderr, "5 valid") {
		t.Errorf("dry run stderr:\n%s", r.stderr)
	}
	if out := e.must(t, "export", "--workspace", ws, "--type", "responses", "--format", "ndjson").stdout; out != "" {
		t.Errorf("dry run stored rows:\n%s", out)
	}
	r = e.must(t, "import", "--workspace", ws, "--type", "responses", "--format", "csv", "-")
	if !strings.Contains(r.stderr, "5 inserted") {
		t.Errorf("stdin import stderr:\n%s", r.stderr)
	}
}

func TestImportMapNDJSONEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	ws := e.setup(t)
	e.stdin = `{"who":"c1","type":"purchase","occurred_at":"2026-03-01T10:00:00Z","value":49.9,"currency":"EUR","sku":"A-1"}
{"who":"c2","type":"purchase","occurred_at":"2026-03-02T10:00:00Z","value":-5}
`
	r := e.cxlens(t, "import", "-", "--workspace", ws, "--type", "events", "--format", "ndjson", "--map", "who=customer")
	if r.code != 2 || !strings.Contains(r.stderr, "line 2: value: must not be negative") || !strings.Contains(r.stderr, "1 inserted") {
		t.Fatalf("code %d, stderr:\n%s", r.code, r.stderr)
	}
	out := e.must(t, "export", "--workspace", ws, "--type", "events").stdout
	want := "customer,type,occurred_at,value,currency,idempotency_key,attributes.sku\nc1,purchase,2026-03-01T10:00:00Z,49.9,EUR,imp:"
	if !strings.HasPrefix(out, want) || !strings.HasSuffix(out, ",A-1\n") {
		t.Errorf("export:\n%s\nwant it to start with\n%s", out, want)
	}
}

func TestImportBadRow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	ws := e.setup(t)
	r := e.cxlens(t, "import", "--workspace", ws, "--type", "responses", "testdata/bad_responses.csv")
	if r.code != 2 {
		t.Fatalf("exit code %d (err %v), want 2", r.code, r.err)
	}
	if !strings.Contains(r.stderr, "line 3: score: must be 0–10") {
		t.Errorf("stderr does not name line 3 and score:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, "2 inserted") || !strings.Contains(r.stderr, "1 rejected") {
		t.Errorf("the good rows were not imported:\n%s", r.stderr)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ dialect, format string }{
		{store.SQLite, "csv"}, {store.SQLite, "ndjson"}, {store.Postgres, "csv"},
	} {
		format := c.format
		t.Run(c.dialect+"/"+format, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, c.dialect)
			ws := e.setup(t)
			e.must(t, "import", "--workspace", ws, "--type", "responses", "testdata/responses.csv")
			dir := t.TempDir()
			file := filepath.Join(dir, "responses."+format)
			e.must(t, "export", "--workspace", ws, "--type", "responses", "--out", file)
			e.must(t, "export", "--workspace", ws, "--type", "customers", "--out", filepath.Join(dir, "customers.csv"))

			ws2 := strings.TrimSpace(e.must(t, "workspace", "create", "Copy").stdout)
			e.must(t, "survey", "create", "--workspace", ws2, "--kind", "nps", "--key", "nps")
			e.must(t, "import", "--workspace", ws2, "--type", "customers", filepath.Join(dir, "customers.csv"))
			e.must(t, "import", "--workspace", ws2, "--type", "responses", file)

			for _, typ := range []string{"responses", "customers"} {
				want := e.must(t, "export", "--workspace", ws, "--type", typ).stdout
				got := e.must(t, "export", "--workspace", ws2, "--type", typ).stdout
				if got != want {
					t.Errorf("%s differ after the round trip:\ngot:\n%s\nwant:\n%s", typ, got, want)
				}
			}
			// --from/--to select by time.
			out := e.must(t, "export", "--workspace", ws, "--type", "responses", "--format", "ndjson", "--from", "2026-02-01", "--to", "2026-03-01").stdout
			if n := strings.Count(out, "\n"); n != 2 {
				t.Errorf("February export has %d rows, want 2:\n%s", n, out)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	ws := e.setup(t)
	tests := []struct {
		name string
		args []string
		want string // in the error message
	}{
		{"no command", nil, "no command"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"group without subcommand", []string{"workspace"}, "workspace"},
		{"unknown flag", []string{"workspace", "list", "--nope"}, "-nope"},
		{"missing workspace", []string{"apikey", "list"}, "--workspace"},
		{"bad workspace", []string{"apikey", "list", "--workspace", "abc"}, "--workspace"},
		{"bad scopes", []string{"apikey", "create", "--workspace", ws, "--scopes", "admin"}, "--scopes"},
		{"bad time zone", []string{"workspace", "create", "X", "--time-zone", "Mars/Olympus"}, "--time-zone"},
		{"missing name", []string{"workspace", "create"}, "want 1 argument"},
		{"missing type", []string{"import", "--workspace", ws, "x.csv"}, "--type"},
		{"bad type", []string{"import", "--workspace", ws, "--type", "orders", "x.csv"}, "--type"},
		{"bad format", []string{"import", "--workspace", ws, "--type", "events", "--format", "xml", "x.csv"}, "--format"},
		{"unknown extension", []string{"import", "--workspace", ws, "--type", "events", "x.txt"}, "--format"},
		{"bad batch", []string{"import", "--workspace", ws, "--type", "events", "--batch", "0", "x.csv"}, "--batch"},
		{"bad map", []string{"import", "--workspace", ws, "--type", "events", "--map", "nothing", "x.csv"}, "--map"},
		{"bad from", []string{"export", "--workspace", ws, "--type", "events", "--from", "last week"}, "--from"},
		{"to before from", []string{"export", "--workspace", ws, "--type", "events", "--from", "2026-02-01", "--to", "2026-01-01"}, "--to"},
		{"bad addr", []string{"serve", "--addr", "8080"}, "--addr"},
		{"short lease", []string{"serve", "--outbox-lease", "10ms"}, "--outbox-lease"},
		{"bad log level", []string{"version", "--log-level", "loud"}, "--log-level"},
		{"bad kind", []string{"survey", "create", "--workspace", ws, "--kind", "stars", "--key", "s"}, "kind"},
		{"demo customers", []string{"demo", "--customers", "0"}, "--customers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.cxlens(t, tt.args...)
			if r.code != 2 {
				t.Fatalf("exit code %d (err %v), want 2", r.code, r.err)
			}
			if !strings.Contains(r.err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", r.err, tt.want)
			}
		})
	}
}

func TestFlagsBeforeOrAfterCommandAndEnv(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	envDB, flagDB := filepath.Join(dir, "env.db"), filepath.Join(dir, "flag.db")
	e := env{vars: map[string]string{"CXLENS_DB": envDB, "CXLENS_LOG_LEVEL": "warn"}}
	e.must(t, "workspace", "create", "FromEnv")
	e.must(t, "--db", flagDB, "workspace", "create", "Before")
	e.must(t, "workspace", "create", "After", "--db", flagDB)
	if out := e.must(t, "workspace", "list").stdout; !strings.Contains(out, "FromEnv") || strings.Contains(out, "Before") {
		t.Errorf("env database holds:\n%s", out)
	}
	out := e.must(t, "workspace", "list", "--db", flagDB).stdout
	if !strings.Contains(out, "Before") || !strings.Contains(out, "After") || strings.Contains(out, "FromEnv") {
		t.Errorf("--db database holds:\n%s", out)
	}
	e.vars["CXLENS_WORKSPACE"] = "1"
	if r := e.must(t, "apikey", "create"); !strings.HasPrefix(r.stdout, "cxl_") {
		t.Errorf("CXLENS_WORKSPACE not used: %q", r.stdout)
	}
}

// TestHelpMentionsEveryFlag checks that -h, help and help COMMAND explain
// every flag of every command.
func TestHelpMentionsEveryFlag(t *testing.T) {
	t.Parallel()
	global := []string{"--db", "--log-level"}
	flags := map[string][]string{
		"serve":            {"--addr", "--no-migrate", "--max-body", "--shutdown-timeout", "--reindex-every", "--no-webhooks", "--webhook-block-private", "--evaluate-every", "--outbox-lease", "--smtp-host", "--smtp-port", "--smtp-tls", "--smtp-user", "--smtp-password", "--mail-from", "--base-url", "--no-mail", "--dispatch-every", "CXLENS_ADDR", "CXLENS_SMTP_PASSWORD"},
		"migrate":          {},
		"workspace create": {"--time-zone"},
		"workspace list":   {"--json"},
		"apikey create":    {"--workspace", "--name", "--scopes", "CXLENS_WORKSPACE"},
		"apikey list":      {"--workspace", "--json"},
		"apikey revoke":    {"--workspace", "KEYID"},
		"user create":      {"--workspace", "--email", "--role", "--name", "--password-stdin"},
		"survey create":    {"--workspace", "--kind", "--key", "--name", "--question", "--scale-min", "--scale-max", "--template", "--design", "--default-language", "--brand-color", "--logo-url", "--referral-url"},
		"survey list":      {"--workspace", "--json"},
		"survey show":      {"--workspace", "--key", "--lang", "--json"},
		"survey update":    {"--workspace", "--key", "--name", "--question", "--archive", "--unarchive", "--design", "--default-language", "--brand-color", "--logo-url", "--referral-url"},
		"import":           {"--workspace", "--type", "--format", "--map", "--dry-run", "--batch", "--max-errors", "FILE"},
		"export":           {"--workspace", "--type", "--format", "--from", "--to", "--out"},
		"demo":             {"--seed", "--customers", "--months", "--name", "--if-missing"},
		"report":           {"--workspace", "--metric", "--from", "--to", "--interval", "--group-by", "--format", "--time-zone", "--sla", "--explain", "--survey", "--filter", "--ci", "--top", "--rolling", "--compare", "--as-of", "--basis", "--surveys", "--horizons", "--what-if-share", "--limit", "--offset", "--horizon-days", "--activity", "--inactivity-days", "--alive-threshold", "--value"},
		"drivers":          {"--workspace", "--survey", "--drivers", "--from", "--to", "--format"},
		"clv fit":          {"--workspace", "--model", "--calibration-end", "--unit", "--format", "--holdout-end"},
		"version":          {},

		"alert rules":       {"--workspace", "--json"},
		"alert rule create": {"--workspace", "--name", "--kind", "--survey", "--max-score", "--min-customer-value", "--cooldown", "--sla-hours", "--action", "--metric", "--segment", "--alpha", "--min-responses", "--theme", "--top-percent", "--p-alive-drop", "--first-response-minutes", "--every", "--subscriber"},
		"alert rule delete": {"--workspace", "RULE_ID"},
		"case list":         {"--workspace", "--status", "--owner", "--overdue", "--cursor", "--limit", "--json"},
		"case show":         {"--workspace", "CASE_ID"},
		"invite send":       {"--workspace", "--survey", "--customer", "--email", "--language", "--touchpoint", "--touchpoint-ref", "--attr", "--send-at", "--idempotency-key", "--json"},
		"invite list":       {"--workspace", "--survey", "--status", "--customer", "--cursor", "--limit", "--json"},
		"suppress add":      {"--workspace", "--reason", "EMAIL"},
		"suppress list":     {"--workspace", "--json"},
		"suppress remove":   {"--workspace", "EMAIL"},
		"case update":       {"--workspace", "--status", "--owner", "--resolution", "--note", "--author", "--resurvey", "CASE_ID"},
		"text discover":     {"--workspace", "--themes", "--sub-themes", "--apply", "--format"},
		"text tag":          {"--workspace"},
		"text eval":         {"--workspace", "--format"},
	}
	e := env{vars: map[string]string{}}
	top := e.must(t, "-h").stdout
	if help := e.must(t, "help").stdout; help != top {
		t.Errorf("cxlens help differs from cxlens -h")
	}
	for _, c := range commands() {
		if !strings.Contains(top, c.name) {
			t.Errorf("cxlens -h does not list %s", c.name)
		}
		if c.name == "help" {
			continue
		}
		want, ok := flags[c.name]
		if !ok {
			t.Errorf("no expected flags for %s", c.name)
		}
		args := append(strings.Fields(c.name), "-h")
		out := e.must(t, args...).stdout
		for _, f := range append(want, global...) {
			if !strings.Contains(out, f) {
				t.Errorf("cxlens %s -h does not mention %s:\n%s", c.name, f, out)
			}
		}
		// Every flag the help lists is expected, so a new flag needs a line
		// in this table.
		for _, m := range flagLine.FindAllStringSubmatch(out, -1) {
			if !slices.Contains(want, m[1]) && !slices.Contains(global, m[1]) {
				t.Errorf("cxlens %s -h lists %s, missing from this test's table", c.name, m[1])
			}
		}
		if again := e.must(t, append([]string{"help"}, strings.Fields(c.name)...)...).stdout; again != out {
			t.Errorf("cxlens help %s differs from cxlens %s -h", c.name, c.name)
		}
	}
}

// flagLine matches a flag's line in the usage.
var flagLine = regexp.MustCompile(`(?m)^  (--[a-z-]+)`)

func TestDemo(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	r := e.must(t, "demo", "--seed", "7", "--customers", "40", "--months", "3")
	if !regexp.MustCompile(`^[0-9]+\n$`).MatchString(r.stdout) {
		t.Errorf("stdout = %q, want only the workspace id", r.stdout)
	}
	key := regexp.MustCompile(`cxl_[a-z0-9]+`).FindString(r.stderr)
	if key == "" || !strings.Contains(r.stderr, "API key") || !strings.Contains(r.stderr, `"customers": 40`) {
		t.Errorf("stderr lacks the key or the summary:\n%s", r.stderr)
	}
	ws := strings.TrimSpace(r.stdout)
	if out := e.must(t, "export", "--workspace", ws, "--type", "customers", "--format", "ndjson").stdout; strings.Count(out, "\n") != 40 {
		t.Errorf("demo workspace has %d customers, want 40", strings.Count(out, "\n"))
	}
	again := e.must(t, "demo", "--if-missing", "--customers", "40")
	if again.stdout != "" || !strings.Contains(again.stderr, "already exists") {
		t.Errorf("--if-missing: stdout %q, stderr %q", again.stdout, again.stderr)
	}
	if list := e.must(t, "workspace", "list").stdout; strings.Count(list, "Demo") != 1 {
		t.Errorf("--if-missing created another workspace:\n%s", list)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	out := env{}.must(t, "version").stdout
	if !strings.HasPrefix(out, "cxlens dev") || !strings.Contains(out, "go1.") {
		t.Errorf("version = %q", out)
	}
}

// freeAddr returns a local address with a port nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestServe(t *testing.T) {
	t.Parallel()
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, d)
			ws := e.setup(t)
			key := strings.TrimSpace(e.must(t, "apikey", "create", "--workspace", ws).stdout)
			addr := freeAddr(t)
			base := "http://" + addr

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stderr := &syncWriter{w: &bytes.Buffer{}}
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, []string{"cxlens", "serve", "--addr", addr, "--log-level", "info"},
					func(k string) string { return e.vars[k] }, strings.NewReader(""), io.Discard, stderr)
			}()
			waitHealthy(t, base, done)

			// A webhook receiver: the response below must reach it, signed.
			type delivery struct {
				body        []byte
				id, ts, sig string
			}
			hooked := make(chan delivery, 4)
			receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				hooked <- delivery{b, r.Header.Get("Cxlens-Id"), r.Header.Get("Cxlens-Timestamp"), r.Header.Get("Cxlens-Signature")}
			}))
			defer receiver.Close()
			var hook struct{ Secret string }
			call(t, "POST", base+"/api/v1/webhooks", key, `{"url":"`+receiver.URL+`","events":["response.created"]}`, http.StatusCreated, &hook)

			body := `{"survey":"nps","customer":"c1","score":9,"comment":"quick","submitted_at":"2026-01-05T10:00:00Z"}`
			var created struct {
				Inserted int
				Items    []struct{ ID int64 }
			}
			call(t, "POST", base+"/api/v1/responses", key, body, http.StatusCreated, &created)
			if created.Inserted != 1 || len(created.Items) != 1 {
				t.Fatalf("POST answered %+v", created)
			}
			var got struct {
				Score    int
				Customer string
			}
			call(t, "GET", fmt.Sprintf("%s/api/v1/responses/%d", base, created.Items[0].ID), key, "", http.StatusOK, &got)
			if got.Score != 9 || got.Customer != "c1" {
				t.Errorf("GET answered %+v", got)
			}
			call(t, "GET", base+"/api/v1/responses", "", "", http.StatusUnauthorized, nil)

			select {
			case d := <-hooked:
				if err := webhook.Verify(hook.Secret, d.ts, d.body, d.sig, 5*time.Minute); err != nil {
					t.Errorf("webhook signature: %v", err)
				}
				var env struct {
					ID   string
					Type string
					Data struct {
						Score    int
						Customer string
					}
				}
				if err := json.Unmarshal(d.body, &env); err != nil || env.ID != d.id || env.Type != "response.created" || env.Data.Score != 9 || env.Data.Customer != "c1" {
					t.Errorf("webhook body %s (%v)", d.body, err)
				}
			case <-time.After(10 * time.Second):
				t.Error("no webhook delivery within 10 s")
			}

			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("serve returned %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("serve did not stop")
			}
			log := stderr.String()
			for _, want := range []string{"listening", base, "shutting down", "stopped"} {
				if !strings.Contains(log, want) {
					t.Errorf("log lacks %q:\n%s", want, log)
				}
			}
		})
	}
}

// waitHealthy polls /healthz until it answers 200.
func waitHealthy(t *testing.T, base string, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("serve exited early: %v", err)
		default:
		}
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("server not healthy after 20s")
}

// call makes a request and decodes the JSON answer into out.
func call(t *testing.T, method, url, key, body string, want int, out any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d %s, want %d", method, url, resp.StatusCode, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, url, err, b)
		}
	}
}

// syncWriter serializes writes from the server's goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.String()
}

// TestCLVFitCDNOW imports the CDNOW sample purchase log as events and fits
// BG/NBD and Gamma-Gamma through the command, calibrated on the first 39
// weeks as in the paper. Published values: r = 0.243, α = 4.414, a = 0.793,
// b = 2.426, LL = −9582.4 (Fader, Hardie & Lee 2005, "Counting Your
// Customers the Easy Way", Marketing Science 24(2), §4); p = 6.25, q = 3.74,
// γ = 15.44 (Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value").
func TestCLVFitCDNOW(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	ws := strings.TrimSpace(e.must(t, "workspace", "create", "CDNOW").stdout)
	e.must(t, "import", "--workspace", ws, "--type", "events", "testdata/cdnow_purchases.csv")
	round := func(v float64, d int) float64 { p := math.Pow(10, float64(d)); return math.Round(v*p) / p }
	for _, c := range []struct {
		model string
		want  map[string]float64
		ll    float64
	}{
		{"bgnbd", map[string]float64{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}, -9582.4},
		{"gamma-gamma", map[string]float64{"p": 6.25, "q": 3.74, "gamma": 15.44}, 0},
	} {
		out := e.must(t, "clv", "fit", "--workspace", ws, "--model", c.model, "--calibration-end", "1997-09-30", "--format", "json").stdout
		var got clvFitResult
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%s: %v\n%s", c.model, err, out)
		}
		if got.Customers != 2357 || got.RepeatBuyers != 946 {
			t.Errorf("%s: %d customers, %d repeat buyers; want 2357 and 946", c.model, got.Customers, got.RepeatBuyers)
		}
		for name, want := range c.want {
			digits := 3
			if c.model == "gamma-gamma" {
				digits = 2
			}
			if v := round(got.Params[name], digits); v != want {
				t.Errorf("%s %s = %v (%.6f), want %v", c.model, name, v, got.Params[name], want)
			}
		}
		if c.ll != 0 && round(got.LogLik, 1) != c.ll {
			t.Errorf("%s loglik = %.4f, want %v", c.model, got.LogLik, c.ll)
		}
	}
	// Holdout: the 39 weeks after calibration, to 1998-06-30 (FHL 2005 §4).
	// 1,882 repeat purchases happen there (counted independently from the
	// raw log, internal/clv/holdout_test.go); the table has x = 0…7+.
	var h clvFitResult
	out := e.must(t, "clv", "fit", "--workspace", ws, "--model", "bgnbd", "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--format", "json").stdout
	if err := json.Unmarshal([]byte(out), &h); err != nil || h.Holdout == nil || h.Holdout.Actual != 1882 || len(h.Holdout.ByX) != 8 || h.Holdout.Predicted < 1000 {
		t.Errorf("holdout = %+v, %v", h.Holdout, err)
	}
	if r := e.cxlens(t, "clv", "fit", "--workspace", ws, "--model", "nbd"); r.code != 2 || r.err == nil || !strings.Contains(r.err.Error(), "--model") {
		t.Errorf("bad model: code %d, err %v", r.code, r.err)
	}
}

// TestReport runs survey and behavioural reports on a small demo workspace
// and checks the shape and that the figures hang together.
func TestReport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	ws := strings.TrimSpace(e.must(t, "demo", "--seed", "3", "--customers", "300", "--months", "6").stdout)
	var rep struct {
		Value *float64 `json:"value"`
		N     int      `json:"n"`
		Rows  []struct {
			Group string `json:"group"`
			N     int    `json:"n"`
		} `json:"rows"`
	}
	out := e.must(t, "report", "--workspace", ws, "--metric", "nps", "--group-by", "customer.plan", "--format", "json").stdout
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err, out)
	}
	sum := 0
	for _, r := range rep.Rows {
		sum += r.N
	}
	if rep.Value == nil || rep.N == 0 || *rep.Value < -100 || *rep.Value > 100 || sum != rep.N {
		t.Errorf("nps by plan: value %v, n %d, groups sum to %d:\n%s", rep.Value, rep.N, sum, out)
	}
	table := e.must(t, "report", "--workspace", ws, "--metric", "churn_rate", "--interval", "month").stdout
	if !strings.Contains(table, "customers lost in period / customers at start") || strings.Count(table, "\n") < 8 {
		t.Errorf("churn table:\n%s", table)
	}
	if r := e.cxlens(t, "report", "--workspace", ws, "--metric", "nps", "--filter", "oops"); r.code != 2 || !strings.Contains(r.err.Error(), "--filter") {
		t.Errorf("bad filter: code %d, err %v", r.code, r.err)
	}
	// Drivers need more answers than the small workspace has (about 40
	// complete ones, where the ranking moves with the time of day the
	// demo is generated at); with 2,000 customers support, the demo's
	// heaviest and worst-rated driver, is "fix first" for every seed tried.
	big := strings.TrimSpace(e.must(t, "demo", "--seed", "3", "--customers", "2000", "--months", "6", "--name", "Big").stdout)
	if out := e.must(t, "drivers", "--workspace", big, "--survey", "nps").stdout; !regexp.MustCompile(`rating_support .*fix first`).MatchString(out) {
		t.Errorf("drivers:\n%s", out)
	}
	if out := e.must(t, "report", "--workspace", ws, "--metric", "at_risk", "--limit", "3").stdout; !strings.Contains(out, "VALUE AT RISK") || strings.Count(out, "\n") < 6 {
		t.Errorf("at_risk:\n%s", out)
	}
	if out := e.must(t, "report", "--workspace", ws, "--metric", "roi", "--horizons", "3", "--format", "json").stdout; !strings.Contains(out, `"detail"`) {
		t.Errorf("roi:\n%s", out)
	}
	if r := e.cxlens(t, "report", "--workspace", ws, "--metric", "roi", "--horizons", "x"); r.code != 2 || !strings.Contains(r.err.Error(), "horizons") {
		t.Errorf("bad horizons: code %d, err %v", r.code, r.err)
	}
	if out := e.must(t, "export", "--workspace", ws, "--type", "predictions").stdout; !strings.HasPrefix(out, "customer,modelled,purchases") || strings.Count(out, "\n") != 301 {
		t.Errorf("predictions export: %d lines:\n%.300s", strings.Count(out, "\n"), out)
	}
	if out := e.must(t, "report", "--explain").stdout; !strings.Contains(out, "adjusted Wald") || !strings.Contains(out, "reopen_rate") {
		t.Errorf("--explain:\n%s", out)
	}
}
