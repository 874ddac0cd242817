package analytics

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// randomWorkspace fills db with a workspace of random responses: four
// surveys of three kinds, customers with attributes, and response
// attributes, one of which ("channel") collides with a built-in.
func randomWorkspace(t *testing.T, db *store.DB, tz string, n int, rng *rand.Rand, edges []time.Time) int64 {
	t.Helper()
	ctx := context.Background()
	w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "random", TimeZone: tz})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []cx.Survey{{Key: "nps-a", Kind: cx.NPS}, {Key: "nps-b", Kind: cx.NPS}, {Key: "csat", Kind: cx.CSAT}, {Key: "ces", Kind: cx.CES}} {
		s.Name = s.Key
		if _, err := db.CreateSurvey(ctx, w.ID, s); err != nil {
			t.Fatal(err)
		}
	}
	pick := func(vals ...string) string { return vals[rng.IntN(len(vals))] }
	var customers []cx.Customer
	for i := range 80 {
		a := cx.Attributes{"plan": pick("free", "pro", "enterprise")}
		if rng.IntN(4) > 0 {
			a["region"] = pick("eu", "us", "apac", "latam", "")
		}
		customers = append(customers, cx.Customer{ExternalID: fmt.Sprintf("c%d", i), Attributes: a})
	}
	if _, err := db.UpsertCustomers(ctx, w.ID, customers, store.BatchOptions{}); err != nil {
		t.Fatal(err)
	}
	scales := map[string][2]int{"nps-a": {0, 10}, "nps-b": {0, 10}, "csat": {1, 5}, "ces": {1, 7}}
	start := time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	span := int64(2 * 365 * 24 * time.Hour / time.Millisecond)
	var batch []cx.Response
	flush := func() {
		if _, err := db.InsertResponses(ctx, w.ID, batch, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		batch = batch[:0]
	}
	for range n {
		key := pick("nps-a", "nps-a", "nps-b", "csat", "ces")
		sc := scales[key]
		score := sc[0] + rng.IntN(sc[1]-sc[0]+1)
		at := time.UnixMilli(start + rng.Int64N(span))
		if rng.IntN(6) == 0 {
			// On a boundary a query may use, give or take a second, with
			// milliseconds the index truncates.
			at = edges[rng.IntN(len(edges))].Add(time.Duration(rng.IntN(3)-1)*time.Second + time.Duration(rng.IntN(1000))*time.Millisecond)
		}
		r := cx.Response{
			Survey:      key,
			SubmittedAt: at,
			Score:       &score,
			Language:    pick("en", "zh", "ro", ""),
			Channel:     pick("email", "web", "sms"),
			Touchpoint:  pick("delivery", "support", "onboarding", "billing", ""),
			Attributes:  cx.Attributes{},
		}
		if rng.IntN(10) > 0 {
			r.Customer = fmt.Sprintf("c%d", rng.IntN(len(customers)))
		}
		if rng.IntN(5) > 0 {
			r.Attributes["product"] = fmt.Sprintf("p%d", rng.IntN(8))
		}
		r.Attributes["agent"] = fmt.Sprintf("agent-%02d", rng.IntN(20))
		if rng.IntN(3) == 0 {
			r.Attributes["channel"] = pick("partner", "direct")
		}
		batch = append(batch, r)
		if len(batch) == 1000 {
			flush()
		}
	}
	if len(batch) > 0 {
		flush()
	}
	return w.ID
}

// randomQuery draws a query over the attributes of randomWorkspace.
func randomQuery(rng *rand.Rand, loc *time.Location, edges []time.Time) Query {
	var q Query
	switch rng.IntN(4) {
	case 0:
		q.Kind = cx.NPS
	case 1:
		q.Survey = "csat"
	default:
		q.Survey = []string{"nps-a", "nps-b", "ces"}[rng.IntN(3)]
	}
	if rng.IntN(4) > 0 {
		// Whole seconds, local times, anywhere around the data.
		q.From = time.Date(2024, 10, 1+rng.IntN(700), rng.IntN(24), rng.IntN(60), rng.IntN(60), 0, loc)
		q.To = q.From.Add(time.Duration(1+rng.IntN(400*24*3600)) * time.Second)
		if rng.IntN(2) == 0 {
			a, b := edges[rng.IntN(len(edges))], edges[rng.IntN(len(edges))]
			if a.After(b) {
				a, b = b, a
			}
			if a.Before(b) {
				q.From, q.To = a, b
			}
		}
		if rng.IntN(5) == 0 {
			q.From = time.Time{}
		}
	}
	values := map[string][]string{
		"language":         {"en", "zh", "ro", ""},
		"channel":          {"email", "web", "sms", "fax"},
		"touchpoint":       {"delivery", "support", "onboarding", "billing", ""},
		"customer.plan":    {"free", "pro", "enterprise", ""},
		"customer.region":  {"eu", "us", "apac", "latam", ""},
		"product":          {"p0", "p1", "p2", "p3", "p7", ""},
		"agent":            {"agent-00", "agent-03", "agent-07", "agent-19"},
		"response.channel": {"partner", "direct", ""},
		"nothing":          {"x", ""},
		"survey":           {"nps-a", "nps-b"},
	}
	attrs := make([]string, 0, len(values))
	for a := range values {
		attrs = append(attrs, a)
	}
	slices.Sort(attrs)
	for range rng.IntN(3) {
		a := attrs[rng.IntN(len(attrs))]
		vs := values[a]
		f := Filter{Attr: a}
		for range 1 + rng.IntN(3) {
			f.Values = append(f.Values, vs[rng.IntN(len(vs))])
		}
		q.Filters = append(q.Filters, f)
	}
	q.Interval = []Interval{NoInterval, Day, Week, Month, Quarter}[rng.IntN(5)]
	if rng.IntN(3) > 0 {
		q.GroupBy = attrs[rng.IntN(len(attrs))]
	}
	return q
}

// TestIndexEqualsSQL checks, on random data and random queries on both
// databases, that the index's counts per score value overall, per bucket
// and per group equal plain SQL's. PostgreSQL buckets in a time zone with
// DST; SQLite in UTC (its date functions know no zones).
func TestIndexEqualsSQL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tz := "UTC"
		if db.Dialect() == store.Postgres {
			tz = "Europe/Bucharest"
		}
		loc, _ := time.LoadLocation(tz)
		rng := rand.New(rand.NewPCG(4, uint64(len(tz))))
		edges := boundaries(loc, rng)
		ws := randomWorkspace(t, db, tz, 3000, rng, edges)
		ctx := context.Background()
		ix, err := New(ctx, db, ws, Options{Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		if st := ix.Stats(); st.Rows != 3000 {
			t.Fatalf("indexed %d rows, want 3000", st.Rows)
		}
		const queries = 80
		var buckets, groups int
		for i := range queries {
			q := randomQuery(rng, loc, edges)
			got, err := ix.Query(q)
			if err != nil {
				t.Fatalf("query %d %+v: %v", i, q, err)
			}
			want, err := SQLReference(ctx, db, ws, q, tz)
			if err != nil {
				t.Fatalf("query %d: SQL: %v", i, err)
			}
			name := fmt.Sprintf("query %d %+v", i, q)
			sameCounts(t, name+" overall", got.Scale.Min, got.Overall.Counts, want.Overall)
			if q.Interval != NoInterval {
				seen := map[string]bool{}
				for _, b := range got.Buckets {
					key := b.Start.In(loc).Format("2006-01-02")
					seen[key] = true
					if b.N > 0 || want.Buckets[key] != nil {
						sameCounts(t, name+" bucket "+b.Label, got.Scale.Min, b.Counts, want.Buckets[key])
						buckets++
					}
				}
				for key := range want.Buckets {
					if !seen[key] {
						t.Errorf("%s: SQL bucket %s missing from the index", name, key)
					}
				}
			}
			if q.GroupBy != "" {
				if len(got.Groups) != len(want.Groups) {
					t.Errorf("%s: %d groups, SQL %d", name, len(got.Groups), len(want.Groups))
				}
				for _, g := range got.Groups {
					sameCounts(t, name+" group "+g.Value, got.Scale.Min, g.Counts, want.Groups[g.Value])
					groups++
				}
			}
		}
		windows := 0
		for i := range 25 {
			q := randomQuery(rng, loc, edges)
			q.GroupBy = ""
			q.Interval = []Interval{Day, Week, Month}[rng.IntN(3)]
			q.Rolling = 1 + rng.IntN(60)
			windows += sameRolling(t, fmt.Sprintf("rolling query %d %+v", i, q), ix, db, ws, q, tz, loc)
		}
		t.Logf("%s: %d random queries, %d buckets and %d groups equal to SQL; %d rolling windows equal to SQL",
			db.Dialect(), queries, buckets, groups, windows)
	})
}

// boundaries are instants where buckets and ranges cut: local midnights,
// the first days of weeks, months and quarters, and DST changes.
func boundaries(loc *time.Location, rng *rand.Rand) []time.Time {
	out := []time.Time{
		time.Date(2025, 3, 30, 1, 0, 0, 0, time.UTC),  // EU spring forward
		time.Date(2025, 10, 26, 1, 0, 0, 0, time.UTC), // EU fall back
		time.Date(2026, 1, 1, 0, 0, 0, 0, loc),
		time.Date(2025, 12, 29, 0, 0, 0, 0, loc), // Monday of 2026-W01
		time.Date(2025, 4, 1, 0, 0, 0, 0, loc),
	}
	for range 25 {
		out = append(out, time.Date(2024, 11, 1+rng.IntN(720), 0, 0, 0, 0, loc))
	}
	return out
}

func sameCounts(t *testing.T, what string, min int, got []int64, want map[int]int64) {
	t.Helper()
	var n int64
	for v, c := range got {
		if c != want[min+v] {
			t.Errorf("%s: score %d: index %d, SQL %d", what, min+v, c, want[min+v])
		}
		n += c
	}
	var wn int64
	for _, c := range want {
		wn += c
	}
	if n != wn {
		t.Errorf("%s: n: index %d, SQL %d", what, n, wn)
	}
}

// sameRolling checks each rolling window of q against SQL over the window:
// the Rolling local days ending with the bucket (or with the last day
// counted), up to q.To.
func sameRolling(t *testing.T, name string, ix *Index, db *store.DB, ws int64, q Query, tz string, loc *time.Location) int {
	t.Helper()
	got, err := ix.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	lastDay := got.To.Add(-time.Second).In(loc)
	afterLast := time.Date(lastDay.Year(), lastDay.Month(), lastDay.Day()+1, 0, 0, 0, 0, loc)
	for _, b := range got.Buckets {
		end := b.End
		if end.After(afterLast) {
			end = afterLast
		}
		e := end.In(loc)
		wq := q
		wq.Interval, wq.Rolling = NoInterval, 0
		wq.From = time.Date(e.Year(), e.Month(), e.Day()-q.Rolling, 0, 0, 0, 0, loc)
		wq.To = end
		if got.To.Before(end) {
			wq.To = got.To
		}
		want, err := SQLReference(context.Background(), db, ws, wq, tz)
		if err != nil {
			t.Fatalf("%s: SQL: %v", name, err)
		}
		sameCounts(t, name+" window "+b.Label, got.Scale.Min, b.Counts, want.Overall)
	}
	return len(got.Buckets)
}
