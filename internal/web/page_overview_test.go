package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/analytics"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/demo"
	"github.com/cxlens/cxlens/internal/httpapi"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// dashNow is the end of the demo data of the analysis page tests.
var dashNow = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)

// dashEnv is the dashboard and the API over one demo workspace.
type dashEnv struct {
	t      *testing.T
	db     *store.DB
	ws     cx.Workspace
	web    *Server
	api    http.Handler
	apiKey string
	cookie string // session token of an analyst
}

func newDashEnv(t *testing.T, db *store.DB) *dashEnv {
	t.Helper()
	ctx := context.Background()
	ws, _, err := demo.Create(ctx, db, demo.Options{Seed: 1, Customers: 300, Months: 12, Now: dashNow})
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := db.CreateAPIKey(ctx, ws.ID, "test", []string{cx.ScopeRead})
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, store.User{Email: "analyst@demo.example", PasswordHash: hashPassword(testPassword)}, ws.ID, "analyst")
	if err != nil {
		t.Fatal(err)
	}
	token := newToken()
	if err := db.CreateSession(ctx, store.Session{TokenHash: hashToken(token), UserID: u.ID, CSRF: newToken(), CreatedAt: dashNow,
		SeenAt: dashNow, ExpiresAt: dashNow.Add(sessionAbsolute)}); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	ix := analytics.NewIndexes(db, analytics.Options{Logger: logger})
	now := func() time.Time { return dashNow }
	return &dashEnv{t: t, db: db, ws: ws, apiKey: key, cookie: token,
		web: New(db, logger, Options{Now: now, Indexes: ix}),
		api: httpapi.NewServer(db, logger, httpapi.Options{Now: now, Indexes: ix})}
}

// page GETs a dashboard URL as the analyst.
func (e *dashEnv) page(target string) (int, string, http.Header) {
	e.t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: e.cookie})
	rec := httptest.NewRecorder()
	e.web.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(b), rec.Result().Header
}

// csv GETs a page's CSV and parses it.
func (e *dashEnv) csv(target string) [][]string {
	e.t.Helper()
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	status, body, h := e.page(target + sep + "format=csv")
	if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
		e.t.Fatalf("GET %s as CSV: %d %s\n%.500s", target, status, h.Get("Content-Type"), body)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		e.t.Fatalf("GET %s: CSV does not parse: %v", target, err)
	}
	return rows
}

// apiMetric GETs /api/v1/metrics/{metric} with query q.
func (e *dashEnv) apiMetric(metric, q string) map[string]any {
	e.t.Helper()
	req := httptest.NewRequest("GET", "/api/v1/metrics/"+metric+"?"+q, nil)
	req.Header.Set("Authorization", "Bearer "+e.apiKey)
	rec := httptest.NewRecorder()
	e.api.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		e.t.Fatalf("API %s?%s: %d %s", metric, q, rec.Code, rec.Body)
	}
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// overviewFigures reads the overall rows (period "") of the Overview's CSV:
// metric → column → value.
func overviewFigures(t *testing.T, rows [][]string) map[string]map[string]string {
	t.Helper()
	if len(rows) == 0 {
		t.Fatal("empty CSV")
	}
	out := map[string]map[string]string{}
	for _, row := range rows[1:] {
		if row[1] != "" {
			continue
		}
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = row[i]
		}
		out[row[0]] = m
	}
	return out
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return f
}

func TestOverviewMatchesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDashEnv(t, db)
		cases := []struct {
			name, query string // dashboard query
			from, to    string // the same range for the API, [from, to)
			filter      string // API filter
		}{
			{"default 90 days", "", "2026-04-01T00:00:00Z", "2026-06-30T00:00:00Z", ""},
			{"range", "from=2026-01-01&to=2026-03-31", "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", ""},
			{"segment", "from=2026-01-01&to=2026-06-29&seg=customer.plan%3Dpro", "2026-01-01T00:00:00Z", "2026-06-30T00:00:00Z", "customer.plan=pro"},
		}
		// The default range ends with today (2026-06-30) inclusive.
		cases[0].to = "2026-07-01T00:00:00Z"
		cases[0].from = "2026-04-02T00:00:00Z"
		seen := map[string]string{}
		for _, c := range cases {
			target := "/app"
			if c.query != "" {
				target += "?" + c.query
			}
			got := overviewFigures(t, e.csv(target))
			if len(got) != 3 {
				t.Fatalf("%s: overview has %d survey figures, want nps, csat, ces: %v", c.name, len(got), got)
			}
			for _, m := range overviewMetrics {
				q := "from=" + c.from + "&to=" + c.to + "&compare=previous"
				if c.filter != "" {
					q += "&filter=" + c.filter
				}
				api := e.apiMetric(m, q)
				row := got[m]
				if want := api["value"].(float64); num(t, row["value"]) != want {
					t.Errorf("%s %s: page %s, API %v", c.name, m, row["value"], want)
				}
				if want := api["n"].(float64); num(t, row["n"]) != want {
					t.Errorf("%s %s n: page %s, API %v", c.name, m, row["n"], want)
				}
				if want := api["ci_low"].(float64); num(t, row["ci_low"]) != want {
					t.Errorf("%s %s ci_low: page %s, API %v", c.name, m, row["ci_low"], want)
				}
				cmp := api["compared"].(map[string]any)
				if ch, ok := cmp["change"].(float64); ok {
					if num(t, row["change"]) != ch || num(t, row["p"]) != cmp["p"].(float64) || row["significant"] != strconv.FormatBool(cmp["significant"].(bool)) {
						t.Errorf("%s %s change: page %s p %s %s, API %v", c.name, m, row["change"], row["p"], row["significant"], cmp)
					}
				}
				key := m + row["value"] + "/" + row["n"]
				if prev, dup := seen[key]; dup {
					t.Errorf("%s %s: the same figure as %s (%s): the filter changed nothing", c.name, m, prev, key)
				}
				seen[key] = c.name
			}
		}
		// The KPI tiles equal the API's behavioural KPIs for the same range.
		tiles := e.csv("/app/overview/tiles?from=2026-01-01&to=2026-03-31")
		byMetric := map[string][]string{}
		for _, row := range tiles[1:] {
			byMetric[row[0]] = row
		}
		for _, m := range []string{"churn_rate", "crr", "nrr", "ncvg", "referral_rate", "redemption_rate", "frt", "aht", "response_rate"} {
			api := e.apiMetric(m, "from=2026-01-01T00:00:00Z&to=2026-04-01T00:00:00Z")
			row, ok := byMetric[m]
			if !ok {
				t.Errorf("no %s tile", m)
				continue
			}
			want, _ := api["value"].(float64)
			if api["value"] == nil {
				if row[1] != "" {
					t.Errorf("tile %s = %s, API has no value", m, row[1])
				}
				continue
			}
			if num(t, row[1]) != want || num(t, row[4]) != api["n"].(float64) {
				t.Errorf("tile %s = %s (n %s), API %v (n %v)", m, row[1], row[4], want, api["n"])
			}
		}
		// The HTML shows the same NPS.
		status, body, _ := e.page("/app?from=2026-01-01&to=2026-03-31")
		if status != http.StatusOK {
			t.Fatalf("overview: %d\n%.2000s", status, body)
		}
		nps := overviewFigures(t, e.csv("/app?from=2026-01-01&to=2026-03-31"))["nps"]["value"]
		if shown := fmtNum(num(t, nps), 1); !strings.Contains(body, ">"+shown+"<") {
			t.Errorf("overview HTML does not show NPS %s", shown)
		}
	})
}

func TestOverviewBadFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDashEnv(t, db)
		for _, q := range []string{"from=yesterday", "from=2026-05-01&to=2026-04-01", "seg=plan", "interval=year"} {
			status, body, _ := e.page("/app?" + q)
			if status != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400", q, status)
			}
			field, _, _ := strings.Cut(q, "=")
			if !strings.Contains(body, field) {
				t.Errorf("%s: the error does not name the field %s", q, field)
			}
		}
	})
}

func TestAnalysisPagesRenderAndExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDashEnv(t, db)
		from := "from=2025-07-01&to=2026-06-29"
		for _, p := range []string{"/app", "/app/overview/tiles", "/app/segments", "/app/drivers", "/app/support", "/app/say-vs-do",
			"/app/customers", "/app/responses", "/app/journey"} {
			target := p + "?" + from
			status, body, _ := e.page(target)
			if status != http.StatusOK {
				t.Errorf("GET %s: %d\n%.1500s", target, status, body)
				continue
			}
			if strings.Contains(body, "analytics.") || strings.Contains(body, "overview.") && !strings.Contains(body, "/app/overview") {
				t.Errorf("GET %s: an untranslated key on the page", target)
			}
			rows := e.csv(target)
			if len(rows) < 2 {
				t.Errorf("GET %s as CSV: %d rows, want a header and data", target, len(rows))
			}
		}
		// A customer's profile and a response's detail.
		rows := e.csv("/app/customers?sort=id")
		status, body, _ := e.page("/app/customers/" + rows[1][0])
		if status != http.StatusOK || !strings.Contains(body, rows[1][0]) {
			t.Errorf("customer profile: %d", status)
		}
		resp := e.csv("/app/responses?" + from)
		status, body, _ = e.page("/app/responses/" + resp[1][0])
		if status != http.StatusOK || !strings.Contains(body, "timeline") {
			t.Errorf("response detail: %d %.300s", status, body)
		}
		// The theme filter keeps fewer responses, all with a comment.
		_, list, _ := e.page("/app/responses?" + from)
		m := regexp.MustCompile(`<select id="r-theme" name="theme"><option value="">[^<]*</option><option value="([^"]+)"`).FindStringSubmatch(list)
		if m == nil {
			t.Fatal("the responses page offers no theme to filter by")
		}
		themed := e.csv("/app/responses?" + from + "&theme=" + url.QueryEscape(html.UnescapeString(m[1])))
		if len(themed) < 2 || len(themed) >= len(resp) {
			t.Errorf("theme %s keeps %d of %d responses", m[1], len(themed)-1, len(resp)-1)
		}
		for _, r := range themed[1:] {
			if r[8] == "" {
				t.Errorf("response %s has no comment but a theme", r[0])
			}
		}
		if status, _, _ := e.page("/app/customers/nobody"); status != http.StatusNotFound {
			t.Errorf("unknown customer: %d, want 404", status)
		}
		if status, _, _ := e.page("/app/responses/999999999"); status != http.StatusNotFound {
			t.Errorf("unknown response: %d, want 404", status)
		}
	})
}

func TestSegmentsMarksSignificance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDashEnv(t, db)
		rows := e.csv("/app/segments?from=2025-07-01&to=2026-06-29&by=customer.plan&metric=nps")
		if rows[0][0] != "customer.plan" || len(rows) < 3 {
			t.Fatalf("segments CSV: %v", rows)
		}
		for _, r := range rows[1:] {
			if r[7] == "" && r[5] == "true" {
				t.Errorf("segment %s: no adjusted p-value", r[0])
			}
		}
	})
}

func TestVendorAndChartAssets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDashEnv(t, db)
		_, body, _ := e.page("/app")
		for _, src := range []string{vendorURL("echarts.common.min.js"), assetURL("charts.js")} {
			if !strings.Contains(body, src) {
				t.Errorf("overview does not load %s", src)
			}
			req := httptest.NewRequest("GET", src, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			rec := httptest.NewRecorder()
			e.web.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
				t.Errorf("GET %s: %d %q", src, rec.Code, rec.Header().Get("Content-Encoding"))
			}
		}
	})
}
