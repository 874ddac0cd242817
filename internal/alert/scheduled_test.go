package alert

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
)

func TestValidateParams(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		rule  Rule
		field string
	}{
		{"metric change", Rule{Name: "x", Kind: KindMetricChange, Survey: "nps"}, ""},
		{"metric change without survey", Rule{Name: "x", Kind: KindMetricChange}, "survey"},
		{"bad metric", Rule{Name: "x", Kind: KindMetricChange, Survey: "nps", Params: Params{Metric: "mrr"}}, "metric"},
		{"segment value without key", Rule{Name: "x", Kind: KindMetricChange, Survey: "nps", Params: Params{SegmentValue: "pro"}}, "segment_key"},
		{"alpha above 0.5", Rule{Name: "x", Kind: KindEmergingTheme, Params: Params{Alpha: 0.6}}, "alpha"},
		{"alpha at 0.5", Rule{Name: "x", Kind: KindEmergingTheme, Params: Params{Alpha: 0.5}}, ""},
		{"negative alpha", Rule{Name: "x", Kind: KindEmergingTheme, Params: Params{Alpha: -0.01}}, "alpha"},
		{"min responses 1", Rule{Name: "x", Kind: KindThemeSentiment, Params: Params{MinResponses: 1}}, "min_responses"},
		{"min responses 2", Rule{Name: "x", Kind: KindThemeSentiment, Params: Params{MinResponses: 2}}, ""},
		{"top percent 100", Rule{Name: "x", Kind: KindAtRisk, Params: Params{TopPercent: 100}}, ""},
		{"top percent 101", Rule{Name: "x", Kind: KindAtRisk, Params: Params{TopPercent: 101}}, "top_percent"},
		{"drop above 1", Rule{Name: "x", Kind: KindAtRisk, Params: Params{PAliveDrop: 1.5}}, "p_alive_drop"},
		{"sla without minutes", Rule{Name: "x", Kind: KindSLABreach}, "first_response_minutes"},
		{"sla", Rule{Name: "x", Kind: KindSLABreach, Params: Params{FirstResponseMinutes: 60}}, ""},
		{"every too often", Rule{Name: "x", Kind: KindSLABreach, Params: Params{FirstResponseMinutes: 60, EveryMinutes: -1}}, "every_minutes"},
		{"bad subscriber", Rule{Name: "x", Params: Params{Subscribers: []string{"ana@example.com", "not an address"}}}, "subscribers"},
		{"email action", Rule{Name: "x", Actions: []Action{ActionEmail}, Params: Params{Subscribers: []string{"ana@example.com"}}}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.rule.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v", err)
				}
				return
			}
			var ve *cx.ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != c.field {
				t.Fatalf("Validate = %v, want one error on %s", err, c.field)
			}
		})
	}
	r := Rule{Name: "x", Kind: KindAtRisk}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if r.Alpha != 0 || r.MinResponses != 0 || r.TopPercent != DefaultTopPercent || r.PAliveDrop != DefaultPAliveDrop || r.EveryMinutes != DefaultEveryMinutes {
		t.Errorf("at_risk defaults: %+v", r.Params)
	}
	r = Rule{Name: "x", Kind: KindMetricChange, Survey: "nps"}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if r.Alpha != DefaultAlpha || r.MinResponses != DefaultMinResponses || r.TopPercent != 0 || r.EveryMinutes != DefaultEveryMinutes {
		t.Errorf("metric_change defaults: %+v", r.Params)
	}
	r = Rule{Name: "x", MaxScore: 6}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if r.Params.Alpha != 0 || r.EveryMinutes != 0 {
		t.Errorf("score rule got scheduled defaults: %+v", r.Params)
	}
	if !KindAtRisk.Scheduled() || KindScore.Scheduled() || Kind("x").Scheduled() {
		t.Error("Scheduled is wrong")
	}
}

// npsDist builds a 0–10 distribution with the given promoters (10),
// passives (8) and detractors (0).
func npsDist(t *testing.T, pro, pas, det int64) metrics.Distribution {
	t.Helper()
	d := metrics.NewDistribution(metrics.NPSScale)
	for _, x := range []struct {
		score int
		n     int64
	}{{10, pro}, {8, pas}, {0, det}} {
		if x.n > 0 {
			if err := d.AddN(x.score, x.n); err != nil {
				t.Fatal(err)
			}
		}
	}
	return d
}

func TestMetricDrop(t *testing.T) {
	t.Parallel()
	base := Rule{ID: 3, Name: "nps drop", Kind: KindMetricChange, Survey: "nps"}
	if err := base.Validate(); err != nil {
		t.Fatal(err)
	}
	// Baseline: 200 answers, NPS +30 (50% promoters, 30% passives, 20% detractors).
	baseline := npsDist(t, 100, 60, 40)
	for _, c := range []struct {
		name    string
		min     int
		alpha   float64
		current metrics.Distribution
		fires   bool
	}{
		// NPS −10 on 60 answers: a 40-point drop, z ≈ −3.2, far below 0.05.
		{"big drop", 30, 0.05, npsDist(t, 15, 24, 21), true},
		{"big drop, too few answers", 61, 0.05, npsDist(t, 15, 24, 21), false},
		{"big drop, exactly min answers", 60, 0.05, npsDist(t, 15, 24, 21), true},
		// NPS +25 on 60: a 5-point drop, p ≈ 0.6.
		{"small drop", 30, 0.05, npsDist(t, 27, 21, 12), false},
		{"rise", 30, 0.05, npsDist(t, 45, 12, 3), false},
		{"same", 30, 0.05, npsDist(t, 30, 18, 12), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := base
			r.MinResponses, r.Alpha = c.min, c.alpha
			d, fires := MetricDrop(r, "nps", c.current, baseline)
			if fires != c.fires {
				t.Errorf("fires = %v (estimate %.1f, p %.4g), want %v", fires, d.Estimate, d.P, c.fires)
			}
		})
	}
	// The alpha boundary: the test must be strictly below alpha.
	cur := npsDist(t, 15, 24, 21)
	d, _ := MetricDrop(base, "nps", cur, baseline)
	r := base
	r.Alpha = d.P
	if _, fires := MetricDrop(r, "nps", cur, baseline); fires {
		t.Errorf("fires at p = alpha = %g", d.P)
	}
	r.Alpha = d.P * 1.0001
	if _, fires := MetricDrop(r, "nps", cur, baseline); !fires {
		t.Errorf("does not fire just above p = %g", d.P)
	}
	// CSAT: the top-2-box share, Welch not needed.
	csatBase, _ := metrics.Tally(metrics.CSATScale, repeat(map[int]int{5: 60, 4: 20, 2: 20}))
	csatCur, _ := metrics.Tally(metrics.CSATScale, repeat(map[int]int{5: 20, 4: 20, 2: 60}))
	if _, fires := MetricDrop(base, "csat", csatCur, csatBase); !fires {
		t.Error("CSAT 80% → 40% top-2 does not fire")
	}
	f := MetricFinding(Rule{ID: 3, Name: "n", Survey: "nps", Params: Params{SegmentKey: "plan", SegmentValue: "pro"}}, "nps", d, cur, baseline,
		time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC))
	if f.DedupKey != "r3:metric:nps:plan=pro:2026-W10" || f.Subject != "metric:nps:plan=pro" {
		t.Errorf("finding keys = %q, %q", f.DedupKey, f.Subject)
	}
}

func repeat(counts map[int]int) []int {
	var out []int
	for s, n := range counts {
		for range n {
			out = append(out, s)
		}
	}
	return out
}

func TestThemeFindings(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	answers := func(n int, theme string, withTheme, negative int) []ThemedAnswer {
		out := make([]ThemedAnswer, n)
		for i := range out {
			if i < withTheme {
				out[i].Themes = []string{theme}
			}
			out[i].Negative = i < negative
		}
		return out
	}
	ids := []string{"delivery", "price"}
	emerging := Rule{ID: 1, Name: "emerging", Kind: KindEmergingTheme}
	sentiment := Rule{ID: 2, Name: "sentiment", Kind: KindThemeSentiment}
	for _, r := range []*Rule{&emerging, &sentiment} {
		if err := r.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name      string
		rule      Rule
		prev, cur []ThemedAnswer
		want      []string // subjects
	}{
		// delivery: 5/100 → 30/100.
		{"emerging", emerging, answers(100, "delivery", 5, 0), answers(100, "delivery", 30, 0), []string{"theme:delivery"}},
		{"steady", emerging, answers(100, "delivery", 20, 0), answers(100, "delivery", 22, 0), nil},
		{"falling", emerging, answers(100, "delivery", 30, 0), answers(100, "delivery", 5, 0), nil},
		{"too few comments", emerging, answers(29, "delivery", 1, 0), answers(100, "delivery", 30, 0), nil},
		{"other theme only", Rule{ID: 1, Name: "e", Kind: KindEmergingTheme, Params: Params{Alpha: 0.05, MinResponses: 30, Theme: "price"}},
			answers(100, "delivery", 5, 0), answers(100, "delivery", 30, 0), nil},
		// delivery in every comment; negatives 10/100 → 40/100.
		{"sentiment drop", sentiment, answers(100, "delivery", 100, 10), answers(100, "delivery", 100, 40), []string{"theme_sentiment:delivery"}},
		{"sentiment steady", sentiment, answers(100, "delivery", 100, 10), answers(100, "delivery", 100, 12), nil},
		{"sentiment improves", sentiment, answers(100, "delivery", 100, 40), answers(100, "delivery", 100, 10), nil},
		// Only 29 comments mention the theme in the current period.
		{"sentiment, few theme comments", sentiment, answers(100, "delivery", 100, 10), answers(100, "delivery", 29, 29), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := ThemeFindings(c.rule, c.prev, c.cur, ids, now)
			var subjects []string
			for _, f := range got {
				subjects = append(subjects, f.Subject)
				if !strings.HasSuffix(f.DedupKey, ":2026-W10") {
					t.Errorf("dedup key %q is not weekly", f.DedupKey)
				}
			}
			if fmt.Sprint(subjects) != fmt.Sprint(c.want) {
				t.Errorf("subjects = %v, want %v", subjects, c.want)
			}
		})
	}
}

func TestAtRiskFindings(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	r := Rule{ID: 5, Name: "vip", Kind: KindAtRisk, Params: Params{TopPercent: 20}}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	// Ten valued customers, CLV 1000, 900, … 100; top 20% = c1, c2.
	var cs []ValuedCustomer
	for i := 1; i <= 10; i++ {
		cs = append(cs, ValuedCustomer{Customer: fmt.Sprintf("c%d", i), CustomerID: int64(i), PredictedCLV: float64(1100 - 100*i), PAlive: 0.9, PAliveBefore: 0.9})
	}
	cs = append(cs, ValuedCustomer{Customer: "zero", CustomerID: 99, PredictedCLV: 0, PAlive: 0.1, PAliveBefore: 0.9})
	for _, c := range []struct {
		name   string
		change func(cs []ValuedCustomer)
		want   []string
	}{
		{"nothing", func([]ValuedCustomer) {}, nil},
		{"top customer falling", func(cs []ValuedCustomer) { cs[0].PAlive = 0.7 }, []string{"c1"}},
		{"falling exactly the drop", func(cs []ValuedCustomer) { cs[1].PAlive = 0.8 }, []string{"c2"}},
		{"falling less than the drop", func(cs []ValuedCustomer) { cs[1].PAlive = 0.81 }, nil},
		{"third is not top 20%", func(cs []ValuedCustomer) { cs[2].PAlive = 0.1 }, nil},
		{"detractor in the top", func(cs []ValuedCustomer) { cs[1].DetractorResponse, cs[1].DetractorScore = 77, 3 }, []string{"c2"}},
		{"detractor below the top", func(cs []ValuedCustomer) { cs[5].DetractorResponse = 78 }, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			list := append([]ValuedCustomer(nil), cs...)
			c.change(list)
			var got []string
			for _, f := range AtRiskFindings(r, list, now) {
				got = append(got, f.Customer)
				if want := fmt.Sprintf("r5:c%d:2026-W10", f.CustomerID); f.DedupKey != want {
					t.Errorf("dedup key %q, want %q", f.DedupKey, want)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("fired for %v, want %v", got, c.want)
			}
		})
	}
	// A tiny workspace still has a top customer.
	one := []ValuedCustomer{{Customer: "solo", CustomerID: 1, PredictedCLV: 10, PAlive: 0.2, PAliveBefore: 0.9}}
	if got := AtRiskFindings(r, one, now); len(got) != 1 {
		t.Errorf("one customer: %d findings, want 1", len(got))
	}
}

func TestSLAFindings(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	r := Rule{ID: 9, Name: "frt", Kind: KindSLABreach, Params: Params{FirstResponseMinutes: 60}}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	at := func(d time.Duration) *time.Time { x := now.Add(d); return &x }
	tickets := []cx.Ticket{
		{ID: 1, OpenedAt: now.Add(-2 * time.Hour)},                                                  // no answer after 2 h: breach
		{ID: 2, OpenedAt: now.Add(-30 * time.Minute)},                                               // not yet due
		{ID: 3, OpenedAt: now.Add(-time.Hour)},                                                      // due exactly now, unanswered: breach
		{ID: 4, OpenedAt: now.Add(-3 * time.Hour), FirstResponseAt: at(-2 * time.Hour)},             // answered at exactly 60 min: ok
		{ID: 5, OpenedAt: now.Add(-3 * time.Hour), FirstResponseAt: at(-2*time.Hour + time.Minute)}, // 61 min: breach
		{ID: 6, OpenedAt: now.Add(-3 * time.Hour), ResolvedAt: at(-150 * time.Minute)},              // resolved in 30 min: ok
		{ID: 7, OpenedAt: now.Add(-30 * 24 * time.Hour)},                                            // older than the lookback
	}
	var got []string
	for _, f := range SLAFindings(r, tickets, now) {
		got = append(got, f.DedupKey)
	}
	if want := "[r9:t1 r9:t3 r9:t5]"; fmt.Sprint(got) != want {
		t.Errorf("breaches = %v, want %s", got, want)
	}
}

func TestISOWeekAndWeekBounds(t *testing.T) {
	t.Parallel()
	// 2026-01-01 is a Thursday: ISO week 1 of 2026 starts Monday 2025-12-29.
	if got := ISOWeek(time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC)); got != "2026-W01" {
		t.Errorf("ISOWeek = %s", got)
	}
	from, to := WeekBounds(time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)) // a Wednesday
	if !from.Equal(time.Date(2026, 2, 23, 0, 0, 0, 0, time.UTC)) || !to.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("WeekBounds = %v, %v", from, to)
	}
	from2, _ := WeekBounds(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)) // Monday midnight: same week reported
	if !from2.Equal(from) {
		t.Errorf("Monday 00:00 reports %v, want %v", from2, from)
	}
}

func TestAssignment(t *testing.T) {
	t.Parallel()
	rules := []AssignmentRule{
		{ID: 1, SegmentKey: "plan", SegmentValue: "enterprise", Owners: []string{"ana"}},
		{ID: 2, Owners: []string{"bo", "cy", "di"}},
	}
	if i := MatchAssignment(rules, cx.Attributes{"plan": "enterprise"}); i != 0 {
		t.Errorf("enterprise → %d", i)
	}
	if i := MatchAssignment(rules, cx.Attributes{"plan": "free"}); i != 1 {
		t.Errorf("free → %d", i)
	}
	if i := MatchAssignment(rules, nil); i != 1 {
		t.Errorf("anonymous → %d", i)
	}
	if i := MatchAssignment(rules[:1], nil); i != -1 {
		t.Errorf("no catch-all → %d", i)
	}
	var got []string
	for n := range int64(5) {
		got = append(got, RoundRobin(rules[1].Owners, n))
	}
	if fmt.Sprint(got) != "[bo cy di bo cy]" {
		t.Errorf("round robin = %v", got)
	}
	bad := AssignmentRule{Owners: []string{"a,b"}}
	if err := bad.Validate(); err == nil {
		t.Error("an owner with a comma is accepted")
	}
	if err := (&AssignmentRule{}).Validate(); err == nil {
		t.Error("no owners accepted")
	}
}

func TestEmails(t *testing.T) {
	t.Parallel()
	score := 2
	n := Notice{AlertID: 7, Rule: "detractors", Title: "detractors: c1 scored 2 on nps", Customer: "c1", Survey: "nps", Score: &score,
		Comment: "<script>alert(1)</script> slow", CaseID: 12, CaseURL: CaseURL("https://cx.example.com/", 12), FiredAt: time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)}
	e, err := AlertEmail("ana@example.com", n)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.Text, "Score: 2 (nps)") || !strings.Contains(e.Text, "https://cx.example.com/app/cases/12") {
		t.Errorf("text:\n%s", e.Text)
	}
	if strings.Contains(e.HTML, "<script>") || !strings.Contains(e.HTML, `href="https://cx.example.com/app/cases/12"`) {
		t.Errorf("html:\n%s", e.HTML)
	}
	if e.Ref != "alert:7" || e.Kind != "alert" || e.To != "ana@example.com" {
		t.Errorf("email = %+v", e)
	}
	if got := Recipients(Rule{Params: Params{Subscribers: []string{"ana@example.com", "lead@example.com"}}}, "ana@example.com"); fmt.Sprint(got) != "[ana@example.com lead@example.com]" {
		t.Errorf("recipients = %v", got)
	}
	if got := Recipients(Rule{}, "bo"); len(got) != 0 {
		t.Errorf("owner without an address mailed: %v", got)
	}

	cur := npsDist(t, 15, 24, 21)
	prev := npsDist(t, 100, 60, 40)
	d := Digest{Workspace: "Acme", Week: "2026-W09", From: time.Date(2026, 2, 23, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		KPIs:   []DigestKPI{DigestKPIFor("nps", cx.NPS, cur, prev)},
		Themes: []DigestTheme{{Theme: "delivery", Comments: 12}}, OpenCases: 3, OverdueCases: 1,
		Cases: []DigestCase{{ID: 4, Title: "a & b", Overdue: true, URL: "/app/cases/4"}}}
	k := d.KPIs[0]
	if k.Value != -10 || k.Change != -40 || !k.Signif {
		t.Errorf("KPI = %+v", k)
	}
	de, err := DigestEmail("lead@example.com", d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"nps: NPS -10.0 (n = 60), -40.0", "*", "delivery: 12 comments", "Open cases: 3 (1 overdue)", "#4 a & b OVERDUE"} {
		if !strings.Contains(de.Text, want) {
			t.Errorf("digest text lacks %q:\n%s", want, de.Text)
		}
	}
	if !strings.Contains(de.HTML, "a &amp; b") || !strings.Contains(de.HTML, "<strong>significant</strong>") {
		t.Errorf("digest html:\n%s", de.HTML)
	}
	if de.Ref != "digest:2026-W09" {
		t.Errorf("ref = %q", de.Ref)
	}
}
