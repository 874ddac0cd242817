package analytics

import (
	"cmp"
	"slices"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
)

// OtherGroup is the Value of the group that sums the segments beyond TopN.
const OtherGroup = "other"

// groups turns per-code counts into segments: the non-empty ones, largest
// first (ties by value), the first topN kept and the rest summed as "other";
// each compared with the rest of the responses, BH-adjusted across them.
func groups(cfg metrics.Config, kind cx.SurveyKind, scale metrics.Scale, c *column, counts []uint32, total []int64, topN int) []Group {
	w := len(total)
	type seg struct {
		code   uint32
		n      int64
		counts []int64
	}
	var segs []seg
	for code := range c.cardinality() {
		s := seg{code: uint32(code), counts: make([]int64, w)}
		for v := range w {
			s.counts[v] = int64(counts[code*w+v])
			s.n += s.counts[v]
		}
		if s.n > 0 {
			segs = append(segs, s)
		}
	}
	slices.SortFunc(segs, func(a, b seg) int {
		if a.n != b.n {
			return cmp.Compare(b.n, a.n)
		}
		return cmp.Compare(c.value(a.code), c.value(b.code))
	})
	var other []int64
	if topN > 0 && len(segs) > topN {
		other = make([]int64, w)
		for _, s := range segs[topN:] {
			for v := range w {
				other[v] += s.counts[v]
			}
		}
		segs = segs[:topN]
	}
	out := make([]Group, 0, len(segs)+1)
	for _, s := range segs {
		out = append(out, Group{Value: c.value(s.code), Missing: s.code == 0, Figures: figures(cfg, kind, scale, s.counts)})
	}
	if other != nil {
		out = append(out, Group{Value: OtherGroup, Other: true, Figures: figures(cfg, kind, scale, other)})
	}
	ps := make([]float64, len(out))
	for i := range out {
		rest := make([]int64, w)
		for v := range w {
			rest[v] = total[v] - out[i].Counts[v]
		}
		rd, _ := metrics.DistributionFromCounts(scale, rest)
		out[i].VsRest = difference(cfg, kind, out[i].dist, rd)
		ps[i] = out[i].VsRest.P
	}
	adj := metrics.AdjustBH(ps)
	for i := range out {
		out[i].PAdjusted = adj[i]
		out[i].Significant = out[i].VsRest.Valid && adj[i] < alpha(cfg)
	}
	return out
}
