package value

import "fmt"

// Basis is what customers are grouped by in the say-vs-do analysis: the
// category of their latest answer to an NPS, CSAT or CES survey.
type Basis string

// The bases ROI groups customers by.
const (
	BasisNPS  Basis = "nps"
	BasisCSAT Basis = "csat"
	BasisCES  Basis = "ces"
)

// Band is one of the three groups of a basis, from the best answers (High)
// to the worst (Low).
type Band int

// The bands of every basis. For NPS (0–10) High is promoters (9–10), Middle
// passives (7–8) and Low detractors (0–6), the categories of Reichheld
// (2003), "The One Number You Need to Grow", HBR 81(12), as in DESIGN.md.
// For CSAT (1–5) High is satisfied (4–5, the top-2-box of DESIGN.md), Middle
// neutral (3) and Low dissatisfied (1–2). For CES (1–7) High is easy (5–7,
// DESIGN.md's "% of 5–7"), Middle neutral (4) and Low difficult (1–3).
const (
	Low Band = iota
	Middle
	High
)

// bands lists the bands in reporting order: High, Middle, Low.
var bands = [...]Band{High, Middle, Low}

// Valid reports whether b is a known basis.
func (b Basis) Valid() bool { return b == BasisNPS || b == BasisCSAT || b == BasisCES }

// Surveys returns the default survey keys of the basis: "nps", "csat" or
// "ces" (the demo workspace's relationship NPS, CSAT and CES surveys).
func (b Basis) Surveys() []string { return []string{string(b)} }

// Band returns the band of a score on the basis' scale; ok is false for a
// score off the scale.
func (b Basis) Band(score int) (band Band, ok bool) {
	switch b {
	case BasisNPS:
		switch {
		case score < 0 || score > 10:
			return 0, false
		case score >= 9:
			return High, true
		case score >= 7:
			return Middle, true
		}
		return Low, true
	case BasisCSAT:
		switch {
		case score < 1 || score > 5:
			return 0, false
		case score >= 4:
			return High, true
		case score == 3:
			return Middle, true
		}
		return Low, true
	case BasisCES:
		switch {
		case score < 1 || score > 7:
			return 0, false
		case score >= 5:
			return High, true
		case score == 4:
			return Middle, true
		}
		return Low, true
	}
	return 0, false
}

// Label names a band of the basis: promoters/passives/detractors for NPS,
// satisfied/neutral/dissatisfied for CSAT, easy/neutral/difficult for CES.
func (b Basis) Label(band Band) string {
	labels := map[Basis][3]string{
		BasisNPS:  {"detractors", "passives", "promoters"},
		BasisCSAT: {"dissatisfied", "neutral", "satisfied"},
		BasisCES:  {"difficult", "neutral", "easy"},
	}
	l, ok := labels[b]
	if !ok || band < Low || band > High {
		return fmt.Sprintf("band %d", band)
	}
	return l[band]
}
