package web

import (
	"encoding/csv"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestParseFilters(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Europe/Bucharest")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC) // already 1 July in Bucharest
	cases := []struct {
		name, query   string
		from, to      string // want, in loc
		interval, seg string
		badField      string
	}{
		{name: "default 90 days to today", from: "2026-04-03", to: "2026-07-02", interval: "month"},
		{name: "range inclusive", query: "from=2026-01-01&to=2026-01-31", from: "2026-01-01", to: "2026-02-01", interval: "day"},
		{name: "segment and interval", query: "from=2026-01-01&to=2026-03-31&seg=customer.plan%3Dpro&interval=month", from: "2026-01-01", to: "2026-04-01", interval: "month", seg: "customer.plan=pro"},
		{name: "bad date", query: "from=1/2/2026", badField: "from"},
		{name: "reversed", query: "from=2026-03-01&to=2026-02-01", badField: "from"},
		{name: "segment without value", query: "seg=plan", badField: "seg"},
		{name: "bad interval", query: "interval=year", badField: "interval"},
	}
	cases[0].interval = "week"
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, _ := url.ParseQuery(c.query)
			v := &view{Now: now, Loc: loc, Query: q, T: translator("en")}
			f, err := parseFilters(v)
			if c.badField != "" {
				if err == nil || !strings.HasPrefix(fieldMessage(v, err), c.badField+":") {
					t.Fatalf("err %v, want one naming %s", err, c.badField)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := f.From.Format("2006-01-02"); got != c.from || f.From.Location() != loc {
				t.Errorf("from %s, want %s", got, c.from)
			}
			if got := f.To.Format("2006-01-02"); got != c.to {
				t.Errorf("to %s, want %s", got, c.to)
			}
			if string(f.Interval) != c.interval || f.Segment != c.seg {
				t.Errorf("interval %q seg %q, want %q %q", f.Interval, f.Segment, c.interval, c.seg)
			}
		})
	}
}

func TestWriteTableCSVNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	writeTableCSV(rec, `a"b/c`, []string{"x", "y"}, [][]string{{"=HYPERLINK(\"http://x\")", "-1.5"}, {"@SUM(A1)", "plain"}})
	if cd := rec.Header().Get("Content-Disposition"); cd != `attachment; filename="a_b_c.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[1][0] != `'=HYPERLINK("http://x")` || rows[1][1] != "-1.5" || rows[2][0] != "'@SUM(A1)" {
		t.Errorf("rows %q", rows)
	}
}
