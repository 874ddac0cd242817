package report

import (
	"math"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/metrics"
	"github.com/cxlens/cxlens/internal/text/themes"
)

func TestThemesHandWorked(t *testing.T) {
	c, err := themes.New("t", []themes.Theme{{ID: "delivery", Name: "Delivery"}, {ID: "price", Name: "Price"}, {ID: "old", Name: "Old"}})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC) // a Monday
	r := func(score int, sent float64, at time.Time, th ...string) ThemeItem {
		return ThemeItem{Kind: "response", SurveyKind: "nps", Score: score, Scale: metrics.NPSScale, Sentiment: sent, At: at, Themes: th}
	}
	current := []ThemeItem{
		r(10, 0.5, day, "price"),
		r(9, 0.2, day, "delivery"),
		r(3, -0.6, day.AddDate(0, 0, 7), "delivery"),
		r(0, -0.9, day.AddDate(0, 0, 7), "delivery", "price"),
		r(8, 0, day.AddDate(0, 0, 8)),
		{Kind: "feedback", Source: "twitter", Sentiment: -0.8, At: day.AddDate(0, 0, 8), Themes: []string{"delivery"}},
	}
	rep, err := Themes(metrics.Config{}, c, func(id string) bool { return id == "old" }, current, nil,
		ThemesRequest{From: day.Add(-12 * time.Hour), To: day.AddDate(0, 0, 14), Interval: "week"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Themes) != 2 || rep.Comments != 6 || rep.NPS == nil || rep.NPS.Score != 0 {
		t.Fatalf("report = %+v", rep)
	}
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	d, p := rep.Themes[0], rep.Themes[1]
	// delivery: responses 9, 3, 0 → P1 D2 → −33.3; without it 10 and 8 →
	// P1 Pa1 → 50; impact 0 − 50 = −50.
	if d.Volume != 4 || d.Responses != 3 {
		t.Errorf("delivery volume %d responses %d, want 4 and 3", d.Volume, d.Responses)
	}
	near("delivery share", d.Share.Percent, 400.0/6)
	near("delivery NPS", d.NPS.Score, -100.0/3)
	near("delivery impact", *d.Impact, -50)
	near("delivery sentiment", *d.Sentiment, (0.2-0.6-0.9-0.8)/4)
	near("delivery negative", d.Negative, 75)
	// price: 10 and 0 → 0; without: 9, 3, 8 → 0; impact 0.
	near("price NPS", p.NPS.Score, 0)
	near("price impact", *p.Impact, 0)
	near("price sentiment", *p.Sentiment, -0.2)
	near("price negative", p.Negative, 50) // −0.2 is not below −0.2
	// Weekly trend: week of Mar 2 has items 1–2 (delivery 1 of 2), week of
	// Mar 9 has 3–6 (delivery 3 of 4); the week of Mar 16 is empty.
	var got []TrendPoint
	for _, tp := range d.Trend {
		if tp.Total > 0 {
			got = append(got, tp)
		}
	}
	if len(d.Trend) != 3 || len(got) != 2 || got[0].Volume != 1 || got[0].Total != 2 || got[1].Volume != 3 || got[1].Total != 4 {
		t.Errorf("delivery trend = %+v", d.Trend)
	}
	if d.Emerging {
		t.Errorf("emerging without a previous period")
	}
}

func TestThemesEmergingAndSegments(t *testing.T) {
	c, _ := themes.New("t", []themes.Theme{{ID: "delays", Name: "Delays"}, {ID: "staff", Name: "Staff"}})
	mk := func(n, with int, theme, seg string) []ThemeItem {
		var out []ThemeItem
		for i := range n {
			it := ThemeItem{Kind: "feedback", Segment: seg}
			if i < with {
				it.Themes = []string{theme}
			}
			out = append(out, it)
		}
		return out
	}
	previous := append(mk(200, 10, "delays", "web"), mk(200, 20, "staff", "app")...)
	current := append(mk(200, 80, "delays", "web"), mk(200, 20, "staff", "app")...)
	rep, err := Themes(metrics.Config{}, c, nil, current, previous, ThemesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Themes[0].Emerging || rep.Themes[1].Emerging {
		t.Errorf("emerging = %v, %v; want delays only", rep.Themes[0].Emerging, rep.Themes[1].Emerging)
	}
	// delays: 10/400 → 80/400, +17.5 points.
	if math.Abs(rep.Themes[0].Change.Estimate-17.5) > 1e-9 {
		t.Errorf("delays change = %v, want 17.5", rep.Themes[0].Change.Estimate)
	}
	if len(rep.Segments) != 2 || rep.Segments[0].Segment != "app" || rep.Segments[1].Themes[0].Volume != 80 || rep.Segments[0].Themes[0].Volume != 0 {
		t.Errorf("segments = %+v", rep.Segments)
	}
	if rep.NPS != nil || rep.Themes[0].NPS != nil || rep.Themes[0].Impact != nil {
		t.Errorf("NPS figures without NPS responses: %+v", rep.Themes[0])
	}
}

func TestCentrality(t *testing.T) {
	tests := []struct {
		name   string
		tokens [][]string
		want   []int
	}{
		{"outlier last", [][]string{{"x", "y"}, {"a", "b"}, {"a", "b", "c"}}, []int{1, 2, 0}},
		{"medoid first", [][]string{{"a"}, {"a", "b"}, {"b"}}, []int{1, 0, 2}},
		{"empty", nil, []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Centrality(tt.tokens)
			if len(got) != len(tt.want) {
				t.Fatalf("Centrality = %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("Centrality = %v, want %v", got, tt.want)
				}
			}
		})
	}
}
