package analytics

import (
	"fmt"
	"math"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
)

// Query asks for a survey figure over a time range and segment, optionally
// as a trend and broken down by an attribute.
type Query struct {
	// Survey is a survey key; empty counts every survey of Kind (or every
	// survey, when they all share a kind and scale).
	Survey string
	// Kind selects the surveys of one kind; with Survey, it must be
	// Survey's kind.
	Kind cx.SurveyKind
	// From and To bound the submission time, [From, To), to the second;
	// zero means open.
	From, To time.Time
	// Filters must all hold (AND); each admits any of its values (OR).
	Filters []Filter
	// Interval, when set, adds a trend of buckets in the workspace's time
	// zone.
	Interval Interval
	// Rolling, when positive, makes each bucket's figures those of the
	// Rolling days ending with the bucket (e.g. 90 for a rolling NPS),
	// counting responses before From as the window needs. It needs an
	// Interval.
	Rolling int
	// GroupBy is an attribute (see Filter.Attr) to break the figure down by.
	GroupBy string
	// TopN, when positive, keeps the TopN largest groups and sums the rest
	// as "other".
	TopN int
	// Config sets the confidence level, the NPS interval method and the
	// readability thresholds.
	Config metrics.Config
}

// Validate reports a malformed query, naming the field.
func (q *Query) Validate() error {
	switch {
	case !q.Interval.Valid():
		return cx.Invalid("interval", fmt.Sprintf("%q: want day, week, month or quarter", q.Interval))
	case q.Rolling < 0:
		return cx.Invalid("rolling", "must not be negative")
	case q.Rolling > 0 && q.Interval == NoInterval:
		return cx.Invalid("rolling", "needs an interval")
	case q.TopN < 0:
		return cx.Invalid("top_n", "must not be negative")
	case !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To):
		return cx.Invalid("to", "must be after from")
	}
	for _, f := range q.Filters {
		if f.Attr == "" {
			return cx.Invalid("filter", "names no attribute")
		}
	}
	if err := q.Config.Validate(); err != nil {
		return cx.Invalid("ci", err.Error())
	}
	return nil
}

// maxTrendDays bounds the days a trend covers beyond the data's range.
const maxTrendDays = 100 * 366

// Query answers q from the index.
func (ix *Index) Query(q Query) (*Result, error) {
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("analytics: query: %w", err)
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	d := ix.d
	p := plan{d: d}
	res := &Result{}

	// Surveys: one kind and scale, so the counts add up.
	var chosen []int
	if q.Survey != "" {
		code, ok := d.cols[colSurvey].lookup(q.Survey)
		if !ok || code == 0 {
			return nil, fmt.Errorf("analytics: query: %w", cx.Invalid("survey", fmt.Sprintf("no survey with key %q", q.Survey)))
		}
		chosen = append(chosen, int(code)-1)
		if k := d.surveys[code-1].kind; q.Kind != "" && k != q.Kind {
			return nil, fmt.Errorf("analytics: query: %w", cx.Invalid("kind", fmt.Sprintf("survey %q is %s, not %s", q.Survey, k, q.Kind)))
		}
	} else {
		for i, s := range d.surveys {
			if q.Kind == "" || s.kind == q.Kind {
				chosen = append(chosen, i)
			}
		}
		if len(chosen) == 0 {
			return nil, fmt.Errorf("analytics: query: %w", cx.Invalid("survey", "no survey to count"))
		}
	}
	first := d.surveys[chosen[0]]
	for _, i := range chosen[1:] {
		if s := d.surveys[i]; s.kind != first.kind || s.min != first.min || s.width != first.width {
			return nil, fmt.Errorf("analytics: query: %w", cx.Invalid("survey", "surveys of different kinds or scales: name a survey or a kind"))
		}
	}
	res.Kind, res.Scale = first.kind, metrics.Scale{Min: first.min, Max: first.min + first.width - 1}
	p.width, p.kind, p.scale = first.width, res.Kind, res.Scale
	if len(chosen) < len(d.surveys) {
		p.surveyOK = make([]bool, d.cols[colSurvey].cardinality())
	}
	for _, i := range chosen {
		res.Surveys = append(res.Surveys, d.surveys[i].key)
		if p.surveyOK != nil {
			p.surveyOK[i+1] = true
		}
	}

	// Time range, inclusive, in seconds.
	lo, hi := int64(d.min), int64(d.max)
	if !q.From.IsZero() {
		lo = max(q.From.Unix(), 0)
	}
	if !q.To.IsZero() {
		hi = min(q.To.Unix()-1, math.MaxUint32)
	}
	rangeOK := d.n > 0 && lo <= hi && lo <= math.MaxUint32 && hi >= 0
	if rangeOK {
		p.lo, p.hi = uint32(lo), uint32(hi)
	} else {
		p.none = true
		lo, hi = max(lo, 0), max(lo, 0)-1
	}
	res.From, res.To = time.Unix(lo, 0).In(d.loc), time.Unix(hi+1, 0).In(d.loc)

	for _, f := range q.Filters {
		cf, all, none := d.resolve(f)
		switch {
		case none:
			p.none = true
		case !all:
			p.filters = append(p.filters, cf)
		}
	}
	var groupCol *column
	if q.GroupBy != "" {
		if i, ok := d.colIdx[q.GroupBy]; ok {
			groupCol = d.cols[i]
			p.group = groupCol
		} else {
			groupCol = newColumn(q.GroupBy, 0) // missing everywhere: one group
		}
	}
	if q.Interval != NoInterval && rangeOK {
		// The trend covers the range asked for, empty buckets included,
		// unless that is absurdly long: then the data's range.
		tlo, thi := p.lo, p.hi
		if thi-tlo > maxTrendDays*86400 {
			tlo, thi = max(tlo, d.min), min(thi, d.max)
		}
		p.days = newDayTable(tlo, max(tlo, thi), d.loc)
	}

	t := p.run(ix.opts.Workers)
	total := widen(t.overall)
	res.Overall = figures(q.Config, res.Kind, res.Scale, total)
	if groupCol != nil && res.Overall.N > 0 {
		gc := t.groups
		if p.group == nil {
			gc = t.overall
		}
		res.Groups = groups(q.Config, res.Kind, res.Scale, groupCol, gc, total, q.TopN)
	}
	if p.days != nil {
		res.Buckets = ix.buckets(q, &p, t.days)
	}
	return res, nil
}

// buckets assembles the trend from per-day counts.
func (ix *Index) buckets(q Query, p *plan, days []uint32) []Bucket {
	d, dt, w := p.d, p.days, p.width
	first, last := dt.day0, dt.day0+int64(dt.nDays)-1
	// With a rolling window, count again from the start of the first
	// window, per day, without the breakdown.
	rdays, rday0 := days, dt.day0
	if q.Rolling > 0 {
		start := q.Interval.bucketStart(first)
		from := max(midnight(min(q.Interval.next(start), last+1)-int64(q.Rolling), d.loc).Unix(), 0)
		rp := *p
		rp.group = nil
		rp.lo = uint32(min(from, int64(p.lo)))
		rp.days = newDayTable(rp.lo, rp.hi, d.loc)
		rdays, rday0 = rp.run(ix.opts.Workers).days, rp.days.day0
	}
	sum := func(m []uint32, day0, a, b int64) []int64 {
		out := make([]int64, w)
		for z := max(a, day0); z < b; z++ {
			i := int(z-day0) * w
			if i+w > len(m) {
				break
			}
			for v := range w {
				out[v] += int64(m[i+v])
			}
		}
		return out
	}
	var out []Bucket
	for z := q.Interval.bucketStart(first); z <= last; z = q.Interval.next(z) {
		next := q.Interval.next(z)
		b := Bucket{Label: q.Interval.label(z), Start: midnight(z, d.loc), End: midnight(next, d.loc)}
		end := min(next, last+1)
		if q.Rolling > 0 {
			b.Figures = figures(q.Config, p.kind, p.scale, sum(rdays, rday0, end-int64(q.Rolling), end))
		} else {
			b.Figures = figures(q.Config, p.kind, p.scale, sum(days, dt.day0, z, end))
			if len(out) > 0 {
				prev := out[len(out)-1]
				diff := difference(q.Config, p.kind, b.dist, prev.dist)
				b.Change = &diff
				b.Significant = diff.Valid && diff.P < alpha(q.Config)
			}
		}
		out = append(out, b)
	}
	return out
}

func widen(c []uint32) []int64 {
	out := make([]int64, len(c))
	for i, v := range c {
		out[i] = int64(v)
	}
	return out
}
