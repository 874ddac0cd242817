package survey

import "github.com/cxlens/cxlens/internal/cx"

// Category is where a score falls: what the follow-up question and the
// thank-you message are worded for.
type Category string

// Categories. For CSAT and CES they mean dissatisfied/neutral/satisfied
// (hard/neutral/easy); the names follow NPS.
const (
	Detractor Category = "detractor"
	Passive   Category = "passive"
	Promoter  Category = "promoter"
)

// Categorize places score on survey s's scale:
//   - NPS: 0–6 detractor, 7–8 passive, 9–10 promoter (Reichheld 2003).
//   - CSAT: the top two boxes satisfied (4–5 of 1–5, as internal/metrics
//     counts CSAT), the next neutral, the rest dissatisfied.
//   - CES: the top three boxes easy (5–7 of 1–7, as internal/metrics
//     counts "easy"), the next neutral, the rest hard.
//   - custom: the scale in thirds.
func Categorize(s cx.Survey, score int) Category {
	lo, hi := s.ScaleMin, s.ScaleMax
	switch s.Kind {
	case cx.NPS:
		switch {
		case score >= 9:
			return Promoter
		case score >= 7:
			return Passive
		}
		return Detractor
	case cx.CSAT:
		return bands(score, hi-1, hi-2)
	case cx.CES:
		return bands(score, hi-2, hi-3)
	}
	span := hi - lo + 1
	return bands(score, hi-span/3+1, lo+span/3)
}

// bands returns promoter at or above top, passive at or above mid, else
// detractor.
func bands(score, top, mid int) Category {
	switch {
	case score >= top:
		return Promoter
	case score >= mid:
		return Passive
	}
	return Detractor
}

// Pick returns the text for category c.
func Pick(t cx.CategoryTexts, c Category) string {
	switch c {
	case Promoter:
		return t.Promoter
	case Passive:
		return t.Passive
	}
	return t.Detractor
}
