package report

import (
	"strings"
	"testing"
)

// TestPublishedBenchmarks: every shipped figure names its source and a URL,
// lies on its metric's scale, and the filter keeps only the metric asked.
func TestPublishedBenchmarks(t *testing.T) {
	all := PublishedBenchmarks("")
	if len(all) == 0 {
		t.Fatal("no published benchmarks")
	}
	for _, b := range all {
		if b.Source == "" || !strings.HasPrefix(b.URL, "https://") || b.Retrieved == "" || b.Industry == "" {
			t.Errorf("%+v: source, URL, retrieval date and industry are required", b)
		}
		if _, ok := SurveyMetrics[b.Metric]; !ok {
			t.Errorf("%+v: unknown metric", b)
		}
		if b.Metric == "nps" && (b.Value < -100 || b.Value > 100) {
			t.Errorf("%+v: NPS out of −100..100", b)
		}
	}
	if got := PublishedBenchmarks("csat"); len(got) != 0 {
		t.Errorf("csat: got %d figures, want none shipped", len(got))
	}
	nps := PublishedBenchmarks("nps")
	if len(nps) != len(all) {
		t.Errorf("nps: %d of %d", len(nps), len(all))
	}
	if nps[0].Industry != "Airlines" || nps[0].Value != 39 {
		t.Errorf("first NPS figure %+v, want Airlines 39 (sorted by industry)", nps[0])
	}
}
