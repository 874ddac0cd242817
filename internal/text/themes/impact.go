package themes

import (
	"fmt"

	"github.com/cxlens/cxlens/internal/metrics"
)

// Response is a scored response with the themes of its comment (for
// instance Tags.Themes, or tagger IDs rolled up with RollUp).
type Response struct {
	Score  int      // NPS answer, 0–10
	Themes []string // theme IDs; repeats count once
}

// ThemeStats are the figures of one theme over a set of responses.
type ThemeStats struct {
	Theme string
	// Share is the responses mentioning the theme (Share.Count is the
	// volume) out of all responses, with its Wilson interval.
	Share metrics.Proportion
	// NPS is the score of the responses mentioning the theme.
	NPS metrics.NPSResult
	// Without is the score of all the other responses.
	Without metrics.NPSResult
	// Impact is Overall.Score − Without.Score in NPS points, Thematic's
	// definition ("Impact = NPS(all responses) − NPS(all responses
	// excluding theme)", help.getthematic.com/article/32). Negative means
	// the theme pulls the NPS down: without its responses the NPS would be
	// |Impact| points higher. Positive means it lifts the NPS. Impacts of
	// themes that share responses do not add up.
	Impact float64
}

// Analytics are the theme figures of a set of responses.
type Analytics struct {
	Overall metrics.NPSResult
	Themes  []ThemeStats // in the order of the ids given
}

// Analyze computes, for each theme of ids, its volume and share, the NPS of
// the responses mentioning it and its impact on the overall NPS, under cfg.
// A score outside 0–10 is ErrInvalid.
func Analyze(cfg metrics.Config, responses []Response, ids []string) (Analytics, error) {
	var all metrics.NPSCounts
	per := make(map[string]*metrics.NPSCounts, len(ids))
	for _, id := range ids {
		per[id] = &metrics.NPSCounts{}
	}
	for i, r := range responses {
		if r.Score < 0 || r.Score > 10 {
			return Analytics{}, fmt.Errorf("%w: response %d: score %d outside 0–10", ErrInvalid, i, r.Score)
		}
		add(&all, r.Score)
		for j, id := range r.Themes {
			if c := per[id]; c != nil && !contains(r.Themes[:j], id) {
				add(c, r.Score)
			}
		}
	}
	out := Analytics{Overall: cfg.NPSFromCounts(all)}
	for _, id := range ids {
		in := *per[id]
		without := metrics.NPSCounts{
			Promoters:  all.Promoters - in.Promoters,
			Passives:   all.Passives - in.Passives,
			Detractors: all.Detractors - in.Detractors,
		}
		s := ThemeStats{
			Theme:   id,
			Share:   cfg.Proportion(in.N(), all.N()),
			NPS:     cfg.NPSFromCounts(in),
			Without: cfg.NPSFromCounts(without),
		}
		s.Impact = out.Overall.Score - s.Without.Score
		out.Themes = append(out.Themes, s)
	}
	return out, nil
}

func add(c *metrics.NPSCounts, score int) {
	switch {
	case score >= 9:
		c.Promoters++
	case score >= 7:
		c.Passives++
	default:
		c.Detractors++
	}
}

// RollUp returns themes with the ancestors of each added, so that a response
// tagged with a sub-theme counts for its parents too.
func RollUp(c Codeframe, themes []string) []string {
	var out []string
	for _, id := range themes {
		for steps := 0; id != "" && steps <= len(c.Themes); steps++ {
			if !contains(out, id) {
				out = append(out, id)
			}
			t, ok := c.Theme(id)
			if !ok {
				break
			}
			id = t.Parent
		}
	}
	return out
}
