package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/demo"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// env is an API over a fresh database with two workspaces: A (write and
// read-only keys, NPS survey "nps") and B (write key, NPS survey "nps").
type env struct {
	t     testing.TB
	db    *store.DB
	h     http.Handler
	wsA   int64
	keyA  string // read+write
	readA string // read only
	keyB  string // workspace B, read+write
}

func newEnv(t testing.TB, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, db: db}
	for i, name := range []string{"A", "B"} {
		w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateSurvey(ctx, w.ID, cx.Survey{Key: "nps", Kind: cx.NPS}); err != nil {
			t.Fatal(err)
		}
		key, _, err := db.CreateAPIKey(ctx, w.ID, "test", []string{cx.ScopeWrite})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			e.wsA, e.keyA = w.ID, key
			e.readA, _, err = db.CreateAPIKey(ctx, w.ID, "ro", []string{cx.ScopeRead})
			if err != nil {
				t.Fatal(err)
			}
		} else {
			e.keyB = key
		}
	}
	e.h = NewServer(db, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{MaxBodyBytes: 1 << 20})
	return e
}

// result is a recorded answer.
type result struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r result) json(t testing.TB) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", r.body, err)
	}
	return v
}

// do sends a request; headers are name, value pairs.
func (e *env) do(method, path, key, body string, headers ...string) result {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return result{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// must sends a request and fails unless it gets status.
func (e *env) must(status int, method, path, key, body string, headers ...string) result {
	e.t.Helper()
	r := e.do(method, path, key, body, headers...)
	if r.status != status {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); r.status != http.StatusNoContent && ct != "application/json" {
		e.t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	return r
}

// count lists path and returns how many items the first page has.
func (e *env) count(path, key string) int {
	e.t.Helper()
	r := e.must(http.StatusOK, "GET", path, key, "")
	return len(r.json(e.t)["items"].([]any))
}

func TestHealth(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	e := newEnv(t, db)
	for _, path := range []string{"/healthz", "/readyz"} {
		r := e.must(http.StatusOK, "GET", path, "", "")
		if got := r.json(t)["status"]; got != "ok" {
			t.Errorf("%s: status %v", path, got)
		}
	}
	var logs bytes.Buffer
	e.h = NewServer(db, slog.New(slog.NewTextHandler(&logs, nil)), Options{})
	db.Close()
	r := e.do("GET", "/readyz", "", "")
	if r.status != http.StatusServiceUnavailable {
		t.Errorf("/readyz with a closed database: %d %s", r.status, r.body)
	}
	// Internal causes are logged, never sent.
	logs.Reset()
	r = e.do("GET", "/api/v1/openapi.json", "", "")
	if r.status != http.StatusOK {
		t.Errorf("openapi.json needs no database: %d", r.status)
	}
	e.db = db
	for _, path := range []string{"/api/v1/surveys"} {
		logs.Reset()
		r := e.do("GET", path, e.keyA, "")
		if r.status != http.StatusInternalServerError || string(r.body) != `{"error":"internal server error"}`+"\n" {
			t.Errorf("%s with a closed database: %d %s", path, r.status, r.body)
		}
		if n := strings.Count(logs.String(), "closed"); n != 1 {
			t.Errorf("internal cause logged %d times, want once:\n%s", n, logs.String())
		}
	}
}

func TestNotFoundAndMethodNotAllowed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, newTestDB(t))
	if r := e.do("GET", "/api/v1/nope", e.keyA, ""); r.status != http.StatusNotFound || !bytes.Contains(r.body, []byte(`"error"`)) {
		t.Errorf("unknown path: %d %s", r.status, r.body)
	}
	r := e.do("PUT", "/api/v1/responses", e.keyA, "{}")
	if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") == "" {
		t.Errorf("PUT responses: %d %v %s", r.status, r.header, r.body)
	}
}

func TestPanicRecovery(t *testing.T) {
	t.Parallel()
	s := newServer(nil, nil, Options{})
	h := s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), `"error":"internal server error"`) {
		t.Errorf("panic: %d %s", rec.Code, rec.Body)
	}
}

func TestHomePage(t *testing.T) {
	db := storetest.New(t, store.SQLite, store.Options{})
	srv := httptest.NewServer(NewServer(db, slog.New(slog.DiscardHandler), Options{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), "/api/v1/openapi.json") {
		t.Errorf("GET / = %d %q", resp.StatusCode, body)
	}
	if resp, _ := http.Get(srv.URL + "/nope"); resp.StatusCode != 404 {
		t.Errorf("GET /nope = %d, want 404", resp.StatusCode)
	}
}

func TestGetMetric(t *testing.T) {
	db := storetest.New(t, store.SQLite, store.Options{})
	e := newEnv(t, db)
	// Two subscribers in January; one churns in February.
	body := `[{"customer":"a","type":"subscription_change","value":10,"occurred_at":"2026-01-05T00:00:00Z"},
		{"customer":"b","type":"subscription_change","value":10,"occurred_at":"2026-01-05T00:00:00Z"},
		{"customer":"b","type":"churn","occurred_at":"2026-02-10T00:00:00Z"}]`
	if r := e.do("POST", "/api/v1/events", e.keyA, body); r.status != http.StatusCreated {
		t.Fatalf("events: %d %s", r.status, r.body)
	}
	r := e.do("GET", "/api/v1/metrics/churn_rate?from=2026-02-01T00:00:00Z&to=2026-04-01T00:00:00Z&interval=month", e.keyA, "")
	var rep struct {
		Value      *float64 `json:"value"`
		N          int      `json:"n"`
		Definition string   `json:"definition"`
		Rows       []struct {
			Period string   `json:"period"`
			Value  *float64 `json:"value"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(r.body, &rep); err != nil || r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if rep.Value == nil || *rep.Value != 0.5 || rep.N != 2 || rep.Definition == "" || len(rep.Rows) != 2 || rep.Rows[0].Period != "2026-02-01" || *rep.Rows[1].Value != 0 {
		t.Errorf("report = %s", r.body)
	}
	// Workspace B sees none of A's customers.
	if r := e.do("GET", "/api/v1/metrics/churn_rate?from=2026-02-01T00:00:00Z&to=2026-04-01T00:00:00Z", e.keyB, ""); !bytes.Contains(r.body, []byte(`"value":null`)) {
		t.Errorf("B's report = %s", r.body)
	}
	for path, field := range map[string]string{
		"/api/v1/metrics/nope":                       "metric",
		"/api/v1/metrics/frt?interval=fortnight":     "interval",
		"/api/v1/metrics/frt?from=yesterday":         "from",
		"/api/v1/metrics/frt?sla=soon":               "sla",
		"/api/v1/metrics/frt?time_zone=Mars/Olympus": "time_zone",
	} {
		if r := e.do("GET", path, e.keyA, ""); r.status != http.StatusUnprocessableEntity || !bytes.Contains(r.body, []byte(`"field":"`+field+`"`)) {
			t.Errorf("GET %s = %d %s, want 422 naming %s", path, r.status, r.body, field)
		}
	}
}

func TestGetSurveyMetric(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		post := func(body string) {
			t.Helper()
			if r := e.do("POST", "/api/v1/responses", e.keyA, body); r.status != http.StatusCreated {
				t.Fatalf("post: %d %s", r.status, r.body)
			}
		}
		// 3 promoters, 1 passive, 1 detractor in March: NPS = (3 − 1)/5 = 40.
		post(`[{"survey":"nps","customer":"a","score":10,"submitted_at":"2026-03-02T10:00:00Z","channel":"email"},
			{"survey":"nps","customer":"b","score":9,"submitted_at":"2026-03-03T10:00:00Z","channel":"email"},
			{"survey":"nps","customer":"c","score":9,"submitted_at":"2026-03-04T10:00:00Z","channel":"web"},
			{"survey":"nps","customer":"d","score":7,"submitted_at":"2026-03-05T10:00:00Z","channel":"web"},
			{"survey":"nps","customer":"e","score":2,"submitted_at":"2026-03-06T10:00:00Z","channel":"web"}]`)
		type report struct {
			Value *float64 `json:"value"`
			N     int      `json:"n"`
			CILow *float64 `json:"ci_low"`
			Rows  []struct {
				Period string   `json:"period"`
				Group  string   `json:"group"`
				Value  *float64 `json:"value"`
				N      int      `json:"n"`
			} `json:"rows"`
		}
		get := func(path string) report {
			t.Helper()
			r := e.do("GET", path, e.keyA, "")
			var rep report
			if r.status != 200 || json.Unmarshal(r.body, &rep) != nil {
				t.Fatalf("GET %s = %d %s", path, r.status, r.body)
			}
			return rep
		}
		rep := get("/api/v1/metrics/nps?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z")
		if rep.Value == nil || *rep.Value != 40 || rep.N != 5 || rep.CILow == nil {
			t.Fatalf("nps = %+v", rep)
		}
		// A response stored after the index was built is counted: (3 − 2)/6.
		post(`{"survey":"nps","customer":"f","score":0,"submitted_at":"2026-03-07T10:00:00Z","channel":"email"}`)
		rep = get("/api/v1/metrics/nps?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&group_by=channel")
		if rep.N != 6 || *rep.Value < 16.66 || *rep.Value > 16.67 || len(rep.Rows) != 2 {
			t.Fatalf("after a new response: %+v", rep)
		}
		for _, g := range rep.Rows {
			if g.Group == "web" && (g.N != 3 || *g.Value != 0) {
				t.Errorf("web = %+v", g)
			}
		}
		if rep := get("/api/v1/metrics/nps?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&filter=channel=email"); rep.N != 3 {
			t.Errorf("filtered n = %d, want 3", rep.N)
		}
		// B's index is B's: nothing.
		if r := e.do("GET", "/api/v1/metrics/nps", e.keyB, ""); !bytes.Contains(r.body, []byte(`"n":0`)) {
			t.Errorf("B = %s", r.body)
		}
		for path, field := range map[string]string{
			"/api/v1/metrics/nps?interval=fortnight": "interval",
			"/api/v1/metrics/nps?ci=bayes":           "ci",
			"/api/v1/metrics/nps?filter=nonsense":    "filter",
		} {
			if r := e.do("GET", path, e.keyA, ""); r.status != http.StatusUnprocessableEntity || !bytes.Contains(r.body, []byte(`"field":"`+field+`"`)) {
				t.Errorf("GET %s = %d %s, want 422 naming %s", path, r.status, r.body, field)
			}
		}
		if r := e.do("GET", "/api/v1/metrics/nps?survey=nope", e.keyA, ""); r.status != http.StatusUnprocessableEntity && r.status != http.StatusNotFound {
			t.Errorf("unknown survey = %d %s", r.status, r.body)
		}
	})
}

func TestGetDrivers(t *testing.T) {
	db := storetest.New(t, store.SQLite, store.Options{})
	e := newEnv(t, db)
	var b strings.Builder
	b.WriteString("[")
	// The score follows support closely and price not at all.
	for i := range 40 {
		support, price := 1+i%5, 1+(i/5)%5 // price independent of support
		score := min(10, 2*support)
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"survey":"nps","customer":"c%d","score":%d,"submitted_at":"2026-03-01T10:00:00Z","attributes":{"rating_support":%d,"rating_price":%d}}`, i, score, support, price)
	}
	b.WriteString("]")
	if r := e.do("POST", "/api/v1/responses", e.keyA, b.String()); r.status != http.StatusCreated {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	r := e.do("GET", "/api/v1/drivers?survey=nps", e.keyA, "")
	var rep struct {
		N      int `json:"n"`
		Ranked []struct {
			Name           string  `json:"name"`
			RescaledWeight float64 `json:"rescaled_weight"`
		} `json:"ranked"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &rep) != nil || rep.N != 40 || len(rep.Ranked) != 2 || rep.Ranked[0].Name != "rating_support" || rep.Ranked[0].RescaledWeight < 80 {
		t.Fatalf("drivers = %d %s", r.status, r.body)
	}
	for path, want := range map[string]int{"/api/v1/drivers": 422, "/api/v1/drivers?survey=nope": 404, "/api/v1/drivers?survey=nps&drivers=x": 422} {
		if r := e.do("GET", path, e.keyA, ""); r.status != want {
			t.Errorf("GET %s = %d %s, want %d", path, r.status, r.body, want)
		}
	}
	if r := e.do("GET", "/api/v1/drivers?survey=nps", e.keyB, ""); r.status != 422 {
		t.Errorf("B has no ratings, got %d %s", r.status, r.body)
	}
}

func TestWebhookRoutes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		r := e.do("POST", "/api/v1/webhooks", e.keyA, `{"url":"https://example.com/hook","events":["response.created"]}`)
		var hook struct {
			ID     int64  `json:"id"`
			Secret string `json:"secret"`
			Active bool   `json:"active"`
		}
		if r.status != http.StatusCreated || json.Unmarshal(r.body, &hook) != nil || !strings.HasPrefix(hook.Secret, "whsec_") || !hook.Active {
			t.Fatalf("create = %d %s", r.status, r.body)
		}
		path := fmt.Sprintf("/api/v1/webhooks/%d", hook.ID)
		if r := e.do("GET", "/api/v1/webhooks", e.keyA, ""); r.status != 200 || bytes.Contains(r.body, []byte("whsec_")) || !bytes.Contains(r.body, []byte("example.com")) {
			t.Errorf("list = %d %s (the secret must not show)", r.status, r.body)
		}
		if r := e.do("POST", path+"/pause", e.keyA, ""); r.status != 200 || !bytes.Contains(r.body, []byte(`"active":false`)) {
			t.Errorf("pause = %d %s", r.status, r.body)
		}
		if r := e.do("GET", path+"/deliveries", e.keyA, ""); r.status != 200 || !bytes.Contains(r.body, []byte(`"items":[]`)) {
			t.Errorf("deliveries = %d %s", r.status, r.body)
		}
		for _, c := range []struct {
			method, path, key, body string
			want                    int
		}{
			{"POST", "/api/v1/webhooks", e.keyA, `{"url":"https://example.com/x","events":["response.deleted"]}`, 422},
			{"POST", "/api/v1/webhooks", e.keyA, `{"url":"ftp://example.com/x","events":["*"]}`, 422},
			{"POST", "/api/v1/webhooks", e.readA, `{"url":"https://example.com/x","events":["*"]}`, 403},
			{"GET", path, e.keyB, "", 404},
			{"DELETE", path, e.keyB, "", 404},
			{"GET", path + "/deliveries", e.keyB, "", 404},
			{"POST", "/api/v1/outbox/999/replay", e.keyA, "", 404},
			{"GET", "/api/v1/outbox/dead", e.keyA, "", 200},
			{"DELETE", path, e.keyA, "", 204},
			{"GET", path, e.keyA, "", 404},
		} {
			if r := e.do(c.method, c.path, c.key, c.body); r.status != c.want {
				t.Errorf("%s %s = %d %s, want %d", c.method, c.path, r.status, r.body, c.want)
			}
		}
	})
}

func TestSurveyMetricComparePrevious(t *testing.T) {
	db := storetest.New(t, store.SQLite, store.Options{})
	e := newEnv(t, db)
	var b strings.Builder
	b.WriteString("[")
	// February: 10 detractors of 20 (NPS −50); March: 20 promoters of 20 (NPS 100).
	for i := range 40 {
		day, score := 2+i%20, 2
		month := "02"
		if i >= 20 {
			month, score = "03", 10
		} else if i%2 == 0 {
			score = 8
		}
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"survey":"nps","customer":"c%d","score":%d,"submitted_at":"2026-%s-%02dT10:00:00Z"}`, i, score, month, day)
	}
	b.WriteString("]")
	if r := e.do("POST", "/api/v1/responses", e.keyA, b.String()); r.status != http.StatusCreated {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	r := e.do("GET", "/api/v1/metrics/nps?from=2026-03-01T00:00:00Z&to=2026-03-29T00:00:00Z&compare=previous", e.keyA, "")
	var rep struct {
		Value    float64 `json:"value"`
		Compared struct {
			From        string  `json:"from"`
			Change      float64 `json:"change"`
			Significant bool    `json:"significant"`
			Figure      struct {
				Value float64 `json:"value"`
				N     int     `json:"n"`
			} `json:"figure"`
		} `json:"compared"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &rep) != nil {
		t.Fatalf("%d %s", r.status, r.body)
	}
	// The previous 28 days are 1–28 February: NPS −50 over 20 answers.
	if rep.Value != 100 || rep.Compared.Figure.Value != -50 || rep.Compared.Figure.N != 20 || rep.Compared.Change != 150 || !rep.Compared.Significant || rep.Compared.From != "2026-02-01T00:00:00Z" {
		t.Errorf("compare = %s", r.body)
	}
	for path, field := range map[string]string{
		"/api/v1/metrics/nps?compare=segment":         "compare",
		"/api/v1/metrics/nps?compare=last_year":       "compare",
		"/api/v1/metrics/churn_rate?compare=previous": "compare",
	} {
		if r := e.do("GET", path, e.keyA, ""); r.status != 422 || !bytes.Contains(r.body, []byte(`"field":"`+field+`"`)) {
			t.Errorf("GET %s = %d %s", path, r.status, r.body)
		}
	}
}

func TestTargets(t *testing.T) {
	db := storetest.New(t, store.SQLite, store.Options{})
	e := newEnv(t, db)
	if r := e.do("POST", "/api/v1/responses", e.keyA, `[{"survey":"nps","customer":"a","score":10,"submitted_at":"2026-03-02T10:00:00Z"},
		{"survey":"nps","customer":"b","score":3,"submitted_at":"2026-03-02T11:00:00Z"},
		{"survey":"nps","customer":"c","score":9,"submitted_at":"2026-03-02T12:00:00Z"},
		{"survey":"nps","customer":"d","score":9,"submitted_at":"2026-03-02T13:00:00Z"}]`); r.status != http.StatusCreated {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	if r := e.do("PUT", "/api/v1/targets/nps", e.keyA, `{"target":60,"benchmark":40,"benchmark_source":"our 2025 customer study"}`); r.status != 200 {
		t.Fatalf("put: %d %s", r.status, r.body)
	}
	// NPS = (3 − 1)/4 = 50: 10 under target, 10 over the benchmark.
	r := e.do("GET", "/api/v1/metrics/nps", e.keyA, "")
	if !bytes.Contains(r.body, []byte(`"target":{"target":60,"gap":-10,"benchmark":40,"benchmark_gap":10,"benchmark_source":"our 2025 customer study"}`)) {
		t.Errorf("metric = %s", r.body)
	}
	for _, c := range []struct {
		method, path, key, body string
		want                    int
	}{
		{"PUT", "/api/v1/targets/nps", e.keyA, `{"benchmark":40}`, 422},   // no source
		{"PUT", "/api/v1/targets/happiness", e.keyA, `{"target":1}`, 422}, // unknown metric
		{"PUT", "/api/v1/targets/nps", e.readA, `{"target":1}`, 403},      // read-only key
		{"GET", "/api/v1/targets", e.keyB, "", 200},                       // B has none (checked below)
		{"DELETE", "/api/v1/targets/nps", e.keyB, "", 404},                // not B's
		{"PATCH", "/api/v1/targets/nps", e.keyA, "", 405},                 // method
		{"DELETE", "/api/v1/targets/nps", e.keyA, "", 204},
		{"GET", "/api/v1/benchmarks?metric=nps", e.readA, "", 200},     // published figures, with sources
		{"GET", "/api/v1/benchmarks?metric=loyalty", e.readA, "", 422}, // unknown metric
	} {
		if r := e.do(c.method, c.path, c.key, c.body); r.status != c.want {
			t.Errorf("%s %s = %d %s, want %d", c.method, c.path, r.status, r.body, c.want)
		}
	}
	if r := e.do("GET", "/api/v1/targets", e.keyB, ""); !bytes.Contains(r.body, []byte(`"items":[]`)) {
		t.Errorf("B's targets = %s", r.body)
	}
}

func TestValueRoutes(t *testing.T) {
	db := storetest.New(t, store.SQLite, store.Options{})
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	ws, _, err := demo.Create(context.Background(), db, demo.Options{Seed: 2, Customers: 400, Months: 12, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := db.CreateAPIKey(context.Background(), ws.ID, "t", []string{"read"})
	if err != nil {
		t.Fatal(err)
	}
	h := NewServer(db, nil, Options{Now: func() time.Time { return now }})
	get := func(path string) (int, map[string]any) {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+key)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var out map[string]any
		json.Unmarshal(rec.Body.Bytes(), &out)
		return rec.Code, out
	}
	for path, field := range map[string]string{
		"/api/v1/metrics/roi?surveys=nps,nps-onboarding&horizons=3,6": "detail",
		"/api/v1/customers/at-risk?limit=5":                           "items",
		"/api/v1/metrics/at_risk?limit=5":                             "items",
		"/api/v1/customers/advocates?limit=5":                         "items",
		"/api/v1/customers/predictions?limit=5&sort=predicted_clv":    "items",
		"/api/v1/customers/churn-risk?limit=5&horizon_days=240":       "cross_validated_auc",
	} {
		code, out := get(path)
		if code != 200 || out[field] == nil {
			t.Errorf("GET %s = %d, no %q: %v", path, code, field, out)
		}
	}
	if code, out := get("/api/v1/customers/at-risk?limit=5000"); code != 422 {
		t.Errorf("limit 5000 = %d %v", code, out)
	}
}

// TestLogPathHidesTokens: survey and unsubscribe tokens never reach the log.
func TestLogPathHidesTokens(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"/s/eyJ3IjoxfQ.c2lnbmF0dXJl", "/s/{token}"},
		{"/u/eyJ3IjoxfQ.c2lnbmF0dXJl", "/u/{token}"},
		{"/s/pk_abc/nps", "/s/pk_abc/nps"},
		{"/s/static/survey.css", "/s/static/survey.css"},
		{"/api/v1/responses", "/api/v1/responses"},
		{"/s/", "/s/"},
	} {
		if got := logPath(c.in); got != c.want {
			t.Errorf("logPath(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
