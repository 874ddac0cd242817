package analytics

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
	"github.com/cxlens/cxlens/internal/store"
)

// memSource is a Source over rows in memory. onRow, when set, runs for each
// row the scan passes, before it is passed.
type memSource struct {
	mu      sync.Mutex
	tz      string
	surveys []cx.Survey
	rows    []store.ResponseRow
	onRow   func(store.ResponseRow)
}

func (m *memSource) Workspace(context.Context, int64) (cx.Workspace, error) {
	return cx.Workspace{ID: 1, TimeZone: m.tz}, nil
}

func (m *memSource) Surveys(context.Context, int64) ([]cx.Survey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]cx.Survey(nil), m.surveys...), nil
}

func (m *memSource) ScanResponses(_ context.Context, _, after int64, fn func(store.ResponseRow) error) error {
	for i := 0; ; i++ {
		m.mu.Lock()
		if i >= len(m.rows) {
			m.mu.Unlock()
			return nil
		}
		r := m.rows[i]
		m.mu.Unlock()
		if r.ID <= after {
			continue
		}
		if m.onRow != nil {
			m.onRow(r)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
}

func (m *memSource) ResponseRows(_ context.Context, _ int64, ids []int64) ([]store.ResponseRow, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.ResponseRow
	for _, r := range m.rows {
		for _, id := range ids {
			if r.ID == id {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

func npsSource(tz string) *memSource {
	return &memSource{tz: tz, surveys: []cx.Survey{
		{ID: 7, Key: "nps", Kind: cx.NPS, ScaleMin: 0, ScaleMax: 10},
		{ID: 8, Key: "csat", Kind: cx.CSAT, ScaleMin: 1, ScaleMax: 5},
	}}
}

func (m *memSource) add(survey int64, at time.Time, score int, attrs cx.Attributes) store.ResponseRow {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := store.ResponseRow{ID: int64(len(m.rows) + 1), SurveyID: survey, SubmittedAt: at, Score: score, Attributes: attrs}
	m.rows = append(m.rows, r)
	return r
}

func bucketCounts(res *Result) map[string]int64 {
	out := map[string]int64{}
	for _, b := range res.Buckets {
		out[b.Label] = b.N
	}
	return out
}

// TestQueryDST counts by local day and ISO week in Bucharest across both
// 2026 DST changes (spring forward 29 March 03:00 → 04:00, fall back 25
// October 04:00 → 03:00).
func TestQueryDST(t *testing.T) {
	t.Parallel()
	src := npsSource("Europe/Bucharest")
	for _, s := range []string{
		"2026-03-28T23:30:00+02:00", // 28th
		"2026-03-29T00:10:00+02:00", // 29th, 22:10Z the 28th
		"2026-03-29T02:59:59+02:00",
		"2026-03-29T04:00:00+03:00", // one second later
		"2026-03-29T23:59:59+03:00",
		"2026-03-30T00:00:00+03:00", // Monday: 2026-W14
		"2026-10-25T03:30:00+03:00", // 25th, before the change
		"2026-10-25T03:30:00+02:00", // 25th, the same wall time again
		"2026-10-25T23:59:59+02:00",
		"2026-10-26T00:00:00+02:00", // 22:00Z the 25th
	} {
		at, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		src.add(7, at, 10, nil)
	}
	ix, err := New(context.Background(), src, 1, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		iv   Interval
		want map[string]int64
	}{
		{Day, map[string]int64{"2026-03-28": 1, "2026-03-29": 4, "2026-03-30": 1, "2026-10-25": 3, "2026-10-26": 1}},
		{Week, map[string]int64{"2026-W13": 5, "2026-W14": 1, "2026-W43": 3, "2026-W44": 1}},
		{Month, map[string]int64{"2026-03": 6, "2026-10": 4}},
		{Quarter, map[string]int64{"2026-Q1": 6, "2026-Q4": 4}},
	} {
		t.Run(string(tc.iv), func(t *testing.T) {
			res, err := ix.Query(Query{Survey: "nps", Interval: tc.iv})
			if err != nil {
				t.Fatal(err)
			}
			got := bucketCounts(res)
			for k, v := range got {
				if v != tc.want[k] {
					t.Errorf("bucket %s: %d, want %d", k, v, tc.want[k])
				}
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("bucket %s: %d, want %d", k, got[k], v)
				}
			}
			if res.Overall.N != 10 {
				t.Errorf("n = %d", res.Overall.N)
			}
		})
	}
	res, err := ix.Query(Query{Survey: "nps", Interval: Day,
		From: time.Date(2026, 3, 29, 0, 0, 0, 0, time.FixedZone("", 2*3600)), To: time.Date(2026, 3, 30, 0, 0, 0, 0, time.FixedZone("", 3*3600))})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Buckets) != 1 || res.Buckets[0].N != 4 || res.Buckets[0].End.Sub(res.Buckets[0].Start) != 23*time.Hour {
		t.Errorf("29 March: %+v", res.Buckets)
	}
	// No response matches, yet the trend has its (empty) days.
	res, err = ix.Query(Query{Survey: "nps", Interval: Day, Filters: []Filter{{Attr: "nothing", Values: []string{"x"}}},
		From: time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Overall.N != 0 || len(res.Buckets) != 4 || res.Buckets[0].Label != "2026-03-28" || res.Buckets[3].Label != "2026-03-31" {
		t.Errorf("empty trend: n=%d, %d buckets", res.Overall.N, len(res.Buckets))
	}
}

// TestQueryRolling checks 7-day rolling windows, which reach before From.
func TestQueryRolling(t *testing.T) {
	t.Parallel()
	src := npsSource("UTC")
	day0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for d := range 30 {
		score := 10
		if d%2 == 1 {
			score = 0
		}
		src.add(7, day0.AddDate(0, 0, d), score, nil)
	}
	ix, err := New(context.Background(), src, 1, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Query(Query{Survey: "nps", Interval: Day, Rolling: 7,
		From: time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Overall.N != 3 {
		t.Errorf("overall n = %d, want 3", res.Overall.N)
	}
	// Windows ending 10, 11, 12 January: days 4–10, 5–11, 6–12; odd days
	// (from the 2nd) are detractors.
	want := []struct {
		label    string
		n, prom  int64
		hasDelta bool
	}{{"2026-01-10", 7, 3, false}, {"2026-01-11", 7, 4, false}, {"2026-01-12", 7, 3, false}}
	if len(res.Buckets) != len(want) {
		t.Fatalf("%d buckets", len(res.Buckets))
	}
	for i, w := range want {
		b := res.Buckets[i]
		if b.Label != w.label || b.N != w.n || b.Counts[10] != w.prom || (b.Change != nil) != w.hasDelta {
			t.Errorf("bucket %d: %s n=%d promoters=%d change=%v, want %+v", i, b.Label, b.N, b.Counts[10], b.Change, w)
		}
	}
}

// TestQueryGroupsAndChange checks top-N with "other", the comparison of
// each group with the rest, BH adjustment, and period-over-period change.
func TestQueryGroupsAndChange(t *testing.T) {
	t.Parallel()
	src := npsSource("UTC")
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	// Region a: 300 promoters; b: 300 detractors; c, d, e: 100 mixed each.
	// June is all of a and b, July the rest.
	for i := range 300 {
		src.add(7, at, 10, cx.Attributes{"region": "a"})
		src.add(7, at.Add(time.Duration(i)*time.Minute), 0, cx.Attributes{"region": "b"})
	}
	for i := range 300 {
		src.add(7, at.AddDate(0, 1, 0), i%11, cx.Attributes{"region": string(rune('c' + i%3))})
	}
	ix, err := New(context.Background(), src, 1, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Query(Query{Survey: "nps", GroupBy: "region", TopN: 2, Interval: Month})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Groups) != 3 || res.Groups[0].Value != "a" || res.Groups[1].Value != "b" || !res.Groups[2].Other || res.Groups[2].N != 300 {
		t.Fatalf("groups %+v", res.Groups)
	}
	var n int64
	for _, g := range res.Groups {
		n += g.N
		if g.PAdjusted < g.VsRest.P {
			t.Errorf("group %s: adjusted p %g below raw %g", g.Value, g.PAdjusted, g.VsRest.P)
		}
	}
	if n != res.Overall.N || n != 900 {
		t.Errorf("groups sum to %d, overall %d", n, res.Overall.N)
	}
	if !res.Groups[0].Significant || res.Groups[0].NPS.Score != 100 || res.Groups[1].NPS.Score != -100 {
		t.Errorf("a: %+v; b: %+v", res.Groups[0].NPS, res.Groups[1].NPS)
	}
	if len(res.Buckets) != 2 || res.Buckets[0].Change != nil || res.Buckets[1].Change == nil {
		t.Fatalf("buckets %+v", res.Buckets)
	}
	// June NPS 0 (half promoters, half detractors); July: 2 of 11 values
	// promote, 7 detract: NPS ≈ −45, a significant drop.
	if c := res.Buckets[1].Change; c.Estimate > -40 || !res.Buckets[1].Significant {
		t.Errorf("July vs June: %+v", c)
	}
	csat, err := ix.Query(Query{Survey: "csat"})
	if err != nil || csat.Overall.N != 0 || csat.Overall.CSAT == nil || csat.Overall.NPS != nil {
		t.Errorf("empty CSAT: %+v, %v", csat, err)
	}
}

func TestQueryInvalid(t *testing.T) {
	t.Parallel()
	ix, err := New(context.Background(), npsSource("UTC"), 1, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, tc := range []struct {
		name string
		q    Query
	}{
		{"unknown survey", Query{Survey: "nope"}},
		{"kinds mixed", Query{}},
		{"no such kind", Query{Kind: cx.CES}},
		{"survey of another kind", Query{Survey: "nps", Kind: cx.CSAT}},
		{"bad interval", Query{Survey: "nps", Interval: "fortnight"}},
		{"rolling without interval", Query{Survey: "nps", Rolling: 90}},
		{"negative top", Query{Survey: "nps", TopN: -1}},
		{"to before from", Query{Survey: "nps", From: now, To: now.Add(-time.Hour)}},
		{"filter without attribute", Query{Survey: "nps", Filters: []Filter{{Values: []string{"x"}}}}},
		{"level as percent", Query{Survey: "nps", Config: metricsLevel(95)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ix.Query(tc.q); !errors.Is(err, cx.ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

// TestRebuildKeepsAdded adds rows while a rebuild scans: one the scan will
// also see, one it will not; each must be indexed once.
func TestRebuildKeepsAdded(t *testing.T) {
	t.Parallel()
	src := npsSource("UTC")
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for range 10 {
		src.add(7, at, 10, nil)
	}
	ctx := context.Background()
	ix, err := New(ctx, src, 1, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	src.onRow = func(r store.ResponseRow) {
		if r.ID != 5 {
			return
		}
		once.Do(func() {
			seen := src.add(7, at, 0, nil) // committed before the scan ends
			if err := ix.Add(ctx, seen); err != nil {
				t.Error(err)
			}
			unseen := store.ResponseRow{ID: 99, SurveyID: 7, SubmittedAt: at, Score: 5} // after it
			if err := ix.Add(ctx, unseen); err != nil {
				t.Error(err)
			}
		})
	}
	if err := ix.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Query(Query{Survey: "nps"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Overall.N != 12 || res.Overall.Counts[0] != 1 || res.Overall.Counts[5] != 1 {
		t.Errorf("after rebuild: n=%d counts=%v", res.Overall.N, res.Overall.Counts)
	}
}

// TestAddWhileQuerying runs queries while rows and new attributes are
// added; run with -race.
func TestAddWhileQuerying(t *testing.T) {
	t.Parallel()
	src := npsSource("UTC")
	ctx := context.Background()
	ix, err := New(ctx, src, 1, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := range 2000 {
			r := store.ResponseRow{ID: int64(i + 1), SurveyID: 7, SubmittedAt: at.Add(time.Duration(i) * time.Hour), Score: i % 11,
				Attributes: cx.Attributes{fmt.Sprintf("a%d", i%7): fmt.Sprint(i % 5)}}
			if err := ix.Add(ctx, r); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for range 200 {
			if _, err := ix.Query(Query{Survey: "nps", Interval: Week, GroupBy: "a3", Filters: []Filter{{Attr: "a1", Values: []string{"1", ""}}}}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	wg.Wait()
	res, err := ix.Query(Query{Survey: "nps", GroupBy: "a3"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Overall.N != 2000 {
		t.Errorf("n = %d", res.Overall.N)
	}
}

func TestAddUnknownSurveyReloads(t *testing.T) {
	t.Parallel()
	src := npsSource("UTC")
	ctx := context.Background()
	ix, err := New(ctx, src, 1, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	src.mu.Lock()
	src.surveys = append(src.surveys, cx.Survey{ID: 9, Key: "ces", Kind: cx.CES, ScaleMin: 1, ScaleMax: 7})
	src.mu.Unlock()
	r := src.add(9, time.Now(), 6, nil)
	if err := ix.AddIDs(ctx, []int64{r.ID}); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Query(Query{Survey: "ces"})
	if err != nil || res.Overall.N != 1 || res.Overall.CES == nil {
		t.Errorf("%+v %v", res, err)
	}
	if err := ix.Add(ctx, store.ResponseRow{ID: 100, SurveyID: 12345, SubmittedAt: time.Now()}); !errors.Is(err, ErrUnknownSurvey) {
		t.Errorf("err = %v", err)
	}
}

func metricsLevel(l float64) metrics.Config { return metrics.Config{Level: l} }

func TestParseFilter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		want    Filter
		wantErr bool
	}{
		{"customer.plan=pro", Filter{Attr: "customer.plan", Values: []string{"pro"}}, false},
		{"channel=email,web", Filter{Attr: "channel", Values: []string{"email", "web"}}, false},
		{"region=", Filter{Attr: "region", Values: []string{""}}, false},
		{" agent =a=b", Filter{Attr: "agent", Values: []string{"a=b"}}, false},
		{"plan", Filter{}, true},
		{"=pro", Filter{}, true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseFilter(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if !tc.wantErr && (got.Attr != tc.want.Attr || !slices.Equal(got.Values, tc.want.Values)) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestPIINotIndexed checks that personal-data attributes stay out of the
// index (they would outlive an erasure there).
func TestPIINotIndexed(t *testing.T) {
	t.Parallel()
	src := npsSource("UTC")
	r := src.add(7, time.Now(), 9, cx.Attributes{"email": "a@example.com", "pii_phone": "123", "plan": "pro"})
	src.rows[r.ID-1].CustomerAttributes = cx.Attributes{"name": "Ana", "region": "eu"}
	ix, err := New(context.Background(), src, 1, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	attrs := ix.Attributes()
	for _, a := range []string{"email", "pii_phone", "customer.name"} {
		if _, ok := attrs[a]; ok {
			t.Errorf("%s is indexed", a)
		}
	}
	for _, a := range []string{"plan", "customer.region"} {
		if _, ok := attrs[a]; !ok {
			t.Errorf("%s is not indexed", a)
		}
	}
}
