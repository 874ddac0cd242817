package themes

import "github.com/cxlens/cxlens/internal/metrics"

// Trend compares a theme's share of responses between two periods.
type Trend struct {
	Theme             string
	Previous, Current metrics.Proportion
	// Change is Current − Previous in percentage points, with the
	// two-proportion z test (metrics.Config.ProportionDifference).
	Change metrics.Difference
	// AdjustedP is Change.P adjusted by Benjamini–Hochberg over all themes
	// compared (metrics.AdjustBH).
	AdjustedP float64
	// Emerging is set when the share rose and AdjustedP ≤ the FDR asked for,
	// with a valid test.
	Emerging bool
}

// Emerging compares the share of responses mentioning each theme of ids in
// the current period with the previous one. previous and current hold one
// theme list per response. The p-values are BH-adjusted across ids so that
// at most a share q of the themes flagged as emerging are expected to be
// false alarms (Benjamini & Hochberg 1995).
func Emerging(cfg metrics.Config, previous, current [][]string, ids []string, q float64) []Trend {
	count := func(period [][]string) map[string]int64 {
		m := map[string]int64{}
		for _, themes := range period {
			for j, id := range themes {
				if !contains(themes[:j], id) {
					m[id]++
				}
			}
		}
		return m
	}
	pc, cc := count(previous), count(current)
	np, nc := int64(len(previous)), int64(len(current))
	out := make([]Trend, len(ids))
	ps := make([]float64, len(ids))
	for i, id := range ids {
		out[i] = Trend{
			Theme:    id,
			Previous: cfg.Proportion(pc[id], np),
			Current:  cfg.Proportion(cc[id], nc),
			Change:   cfg.ProportionDifference(cc[id], nc, pc[id], np),
		}
		ps[i] = out[i].Change.P
	}
	for i, p := range metrics.AdjustBH(ps) {
		out[i].AdjustedP = p
		out[i].Emerging = out[i].Change.Valid && out[i].Change.Estimate > 0 && p <= q
	}
	return out
}
