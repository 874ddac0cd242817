package report

import (
	"fmt"
	"sort"
	"time"

	"github.com/cxlens/cxlens/internal/metrics"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/text/themes"
)

// ThemesDefinition says what the theme report computes.
const ThemesDefinition = "Themes: volume is the comments (survey responses and feedback items) tagged with the theme, " +
	"share is volume over all analysed comments, with its Wilson interval. NPS/CSAT/CES are the scores of the survey " +
	"responses mentioning the theme. Impact = NPS(all responses) − NPS(responses without the theme), in points " +
	"(Thematic's definition); negative means the theme pulls the NPS down. Sentiment is the mean comment sentiment " +
	"(−1..1). A theme is emerging when its share rose against the previous period of the same length with a " +
	"two-proportion z test, Benjamini–Hochberg adjusted across themes at FDR 0.05."

// ThemeItem is one analysed comment, the input of Themes.
type ThemeItem struct {
	Kind   string // "response" or "feedback"
	Source string // feedback source, or "survey"
	At     time.Time
	// SurveyKind is "nps", "csat" or "ces" for a response, "" for feedback.
	SurveyKind string
	Score      int
	Scale      metrics.Scale // the survey's scale (responses only)
	Themes     []string      // effective theme IDs (rolled up to parents)
	Sentiment  float64       // −1..1
	Segment    string        // the group_by value, "" when not grouped
}

// ThemesRequest configures Themes.
type ThemesRequest struct {
	From, To time.Time // the period; Previous is the same length before From
	// Interval is the trend bucket: "day", "week" or "month" ("" for none).
	Interval string
	// FDR is the false-discovery rate of the emerging test; default 0.05.
	FDR float64
}

// ThemeFigures are the figures of one theme over a period.
type ThemeFigures struct {
	ID        string             `json:"id"`
	Name      string             `json:"name"`
	Parent    string             `json:"parent,omitempty"`
	Volume    int64              `json:"volume"`
	Share     metrics.Proportion `json:"share"`
	Responses int64              `json:"responses"` // scored survey responses among Volume
	NPS       *metrics.NPSResult `json:"nps,omitempty"`
	// Impact is in NPS points (see ThemesDefinition); nil without NPS data.
	Impact    *float64            `json:"impact,omitempty"`
	CSAT      *metrics.CSATResult `json:"csat,omitempty"`
	CES       *metrics.CESResult  `json:"ces,omitempty"`
	Sentiment *float64            `json:"sentiment,omitempty"` // mean, −1..1
	Negative  float64             `json:"negative_percent"`    // share of its comments with sentiment < −0.2
	Trend     []TrendPoint        `json:"trend,omitempty"`
	Previous  metrics.Proportion  `json:"previous_share"`
	Change    metrics.Difference  `json:"change"` // share change in points vs the previous period
	Emerging  bool                `json:"emerging"`
}

// TrendPoint is a theme's volume and share in one interval.
type TrendPoint struct {
	Start   time.Time `json:"start"`
	Volume  int64     `json:"volume"`
	Total   int64     `json:"total"`
	Percent float64   `json:"percent"`
}

// ThemesReport is the answer of Themes.
type ThemesReport struct {
	Definition string             `json:"definition"`
	From       time.Time          `json:"from"`
	To         time.Time          `json:"to"`
	Comments   int64              `json:"comments"`
	NPS        *metrics.NPSResult `json:"nps,omitempty"`
	Themes     []ThemeFigures     `json:"themes"`
	Segments   []ThemeSegment     `json:"segments,omitempty"`
}

// ThemeSegment is the theme figures of one group_by value.
type ThemeSegment struct {
	Segment  string         `json:"segment"`
	Comments int64          `json:"comments"`
	Themes   []ThemeFigures `json:"themes"`
}

// Themes computes the figures of every non-excluded theme of c over the
// comments current (in req's period), comparing shares with previous (the
// period before). Items whose Segment is set are also reported per segment.
// It is pure: the caller loads the items.
func Themes(cfg metrics.Config, c themes.Codeframe, excluded func(string) bool, current, previous []ThemeItem, req ThemesRequest) (ThemesReport, error) {
	if req.FDR == 0 {
		req.FDR = 0.05
	}
	var ids []string
	for _, t := range c.Themes {
		if excluded == nil || !excluded(t.ID) {
			ids = append(ids, t.ID)
		}
	}
	figs, overall, err := themeFigures(cfg, c, ids, current, previous, req, true)
	if err != nil {
		return ThemesReport{}, err
	}
	out := ThemesReport{Definition: ThemesDefinition, From: req.From, To: req.To, Comments: int64(len(current)), NPS: overall, Themes: figs}
	bySeg := map[string][]ThemeItem{}
	prevSeg := map[string][]ThemeItem{}
	for _, it := range current {
		if it.Segment != "" {
			bySeg[it.Segment] = append(bySeg[it.Segment], it)
		}
	}
	for _, it := range previous {
		if it.Segment != "" {
			prevSeg[it.Segment] = append(prevSeg[it.Segment], it)
		}
	}
	segs := make([]string, 0, len(bySeg))
	for s := range bySeg {
		segs = append(segs, s)
	}
	sort.Strings(segs)
	for _, s := range segs {
		f, _, err := themeFigures(cfg, c, ids, bySeg[s], prevSeg[s], req, false)
		if err != nil {
			return ThemesReport{}, err
		}
		out.Segments = append(out.Segments, ThemeSegment{Segment: s, Comments: int64(len(bySeg[s])), Themes: f})
	}
	return out, nil
}

func themeFigures(cfg metrics.Config, c themes.Codeframe, ids []string, current, previous []ThemeItem, req ThemesRequest, trend bool) ([]ThemeFigures, *metrics.NPSResult, error) {
	// NPS and impact through themes.Analyze, on the NPS responses.
	var nps []themes.Response
	for _, it := range current {
		if it.Kind == "response" && it.SurveyKind == "nps" {
			nps = append(nps, themes.Response{Score: it.Score, Themes: it.Themes})
		}
	}
	an, err := themes.Analyze(cfg, nps, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("report: themes: %w", err)
	}
	var overall *metrics.NPSResult
	if len(nps) > 0 {
		overall = &an.Overall
	}
	prevThemes := make([][]string, len(previous))
	for i, it := range previous {
		prevThemes[i] = it.Themes
	}
	curThemes := make([][]string, len(current))
	for i, it := range current {
		curThemes[i] = it.Themes
	}
	trends := themes.Emerging(cfg, prevThemes, curThemes, ids, req.FDR)
	buckets := bucketStarts(req, current)
	out := make([]ThemeFigures, len(ids))
	for k, id := range ids {
		th, _ := c.Theme(id)
		f := ThemeFigures{ID: id, Name: th.Name, Parent: th.Parent, Previous: trends[k].Previous, Change: trends[k].Change, Emerging: trends[k].Emerging}
		var sum float64
		var neg int64
		csat := map[metrics.Scale][]int{}
		var ces []int
		perBucket := make([]int64, len(buckets))
		totals := make([]int64, len(buckets))
		for _, it := range current {
			b := bucketOf(buckets, it.At)
			if b >= 0 {
				totals[b]++
			}
			if !has(it.Themes, id) {
				continue
			}
			f.Volume++
			if b >= 0 {
				perBucket[b]++
			}
			sum += it.Sentiment
			if it.Sentiment < -0.2 {
				neg++
			}
			if it.Kind != "response" {
				continue
			}
			f.Responses++
			switch it.SurveyKind {
			case "csat":
				csat[it.Scale] = append(csat[it.Scale], it.Score)
			case "ces":
				ces = append(ces, it.Score)
			}
		}
		f.Share = cfg.Proportion(f.Volume, int64(len(current)))
		if f.Volume > 0 {
			m := sum / float64(f.Volume)
			f.Sentiment = &m
			f.Negative = 100 * float64(neg) / float64(f.Volume)
		}
		if s := an.Themes[k]; len(nps) > 0 && s.NPS.N > 0 {
			n, imp := s.NPS, s.Impact
			f.NPS, f.Impact = &n, &imp
		}
		if sc, scores := largestScale(csat); len(scores) > 0 {
			if d, err := metrics.Tally(sc, scores); err == nil {
				r := cfg.CSAT(d)
				f.CSAT = &r
			}
		}
		if len(ces) > 0 {
			if d, err := metrics.Tally(metrics.CESScale, ces); err == nil {
				r := cfg.CES(d)
				f.CES = &r
			}
		}
		if trend {
			for i, start := range buckets {
				p := TrendPoint{Start: start, Volume: perBucket[i], Total: totals[i]}
				if p.Total > 0 {
					p.Percent = 100 * float64(p.Volume) / float64(p.Total)
				}
				f.Trend = append(f.Trend, p)
			}
		}
		out[k] = f
	}
	return out, overall, nil
}

// largestScale returns the CSAT scale with the most answers (a workspace
// normally has one).
func largestScale(m map[metrics.Scale][]int) (metrics.Scale, []int) {
	var best metrics.Scale
	var scores []int
	for s, v := range m {
		if len(v) > len(scores) || len(v) == len(scores) && s.Max > best.Max {
			best, scores = s, v
		}
	}
	return best, scores
}

// bucketStarts returns the starts of the trend intervals covering the
// period (or the items' time span when the period is open), at most 400.
func bucketStarts(req ThemesRequest, items []ThemeItem) []time.Time {
	if req.Interval == "" {
		return nil
	}
	from, to := req.From, req.To
	if from.IsZero() || to.IsZero() {
		for _, it := range items {
			if from.IsZero() || it.At.Before(from) {
				from = it.At
			}
			if to.IsZero() || !it.At.Before(to) {
				to = it.At.Add(time.Millisecond)
			}
		}
	}
	if from.IsZero() {
		return nil
	}
	start := truncate(from.UTC(), req.Interval)
	var out []time.Time
	for t := start; t.Before(to) && len(out) < 400; t = next(t, req.Interval) {
		out = append(out, t)
	}
	return out
}

func truncate(t time.Time, interval string) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch interval {
	case "week": // ISO weeks start on Monday
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	case "month":
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

func next(t time.Time, interval string) time.Time {
	switch interval {
	case "week":
		return t.AddDate(0, 0, 7)
	case "month":
		return t.AddDate(0, 1, 0)
	}
	return t.AddDate(0, 0, 1)
}

// bucketOf returns the index of the interval holding t, or −1.
func bucketOf(starts []time.Time, t time.Time) int {
	if len(starts) == 0 || t.Before(starts[0]) {
		return -1
	}
	i := sort.Search(len(starts), func(i int) bool { return starts[i].After(t) }) - 1
	return i
}

func has(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Centrality ranks comments of a theme for "representative verbatims":
// each comment's score is the mean Jaccard similarity of its token set to
// the others', so the comments that say what most others say come first
// (a medoid ranking, not a random sample). tokens holds each comment's
// distinct tokens; the result is the comment indexes, most central first,
// ties by index.
func Centrality(tokens [][]string) []int {
	sets := make([]map[string]bool, len(tokens))
	for i, ts := range tokens {
		sets[i] = make(map[string]bool, len(ts))
		for _, t := range ts {
			sets[i][t] = true
		}
	}
	score := make([]float64, len(tokens))
	for i := range sets {
		for j := i + 1; j < len(sets); j++ {
			s := jaccard(sets[i], sets[j])
			score[i] += s
			score[j] += s
		}
	}
	order := make([]int, len(tokens))
	for i := range order {
		order[i] = i
	}
	// Stable: equal scores keep index order.
	sort.SliceStable(order, func(a, b int) bool { return score[order[a]] > score[order[b]]+1e-12 })
	return order
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	inter := 0
	for t := range a {
		if b[t] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// ThemeItemOf is the theme-report item of a stored analysed comment.
func ThemeItemOf(row *store.ThemeRow) ThemeItem {
	return ThemeItem{Kind: row.Kind, Source: row.Source, At: row.At, SurveyKind: row.SurveyKind, Score: row.Score,
		Scale: metrics.Scale{Min: row.ScaleMin, Max: row.ScaleMax}, Themes: row.Themes, Sentiment: row.Sentiment}
}
