package metrics

import "fmt"

// CSATResult is a customer satisfaction score: the top-2-box share and the
// mean answer, each with its interval and readability.
type CSATResult struct {
	// N is the number of answers.
	N int64
	// Scale is the answer scale, 1–5 unless configured otherwise.
	Scale Scale
	// Counts is the number of answers per scale value, from Scale.Min up.
	Counts []int64
	// TopTwoBox is the share answering one of the scale's two highest values
	// (4–5 on 1–5), with its Wilson interval, in percent.
	TopTwoBox Proportion
	// Mean is the mean answer with its t interval, in scale points.
	Mean MeanEstimate
	// Readable is true when both TopTwoBox and Mean are readable.
	Readable bool
	// Reason says why the result is not readable; empty when it is.
	Reason string
}

// CSAT returns the satisfaction figures of d, on d's scale (CSATScale, 1–5,
// by default; any scale of at least three values is accepted), with the
// default Config.
func CSAT(d Distribution) CSATResult { return Config{}.CSAT(d) }

// CSAT returns the satisfaction figures of d under c. The top two boxes are
// the scale's two highest values, the usual CSAT definition (DESIGN.md: "% of
// 4–5" on 1–5).
func (c Config) CSAT(d Distribution) CSATResult {
	s := d.Scale()
	r := CSATResult{N: d.N(), Scale: s, Counts: d.Counts()}
	if s.Size() < 3 {
		r.TopTwoBox = Config{}.Proportion(0, 0)
		r.Mean = MeanEstimate{}
		r.Reason = fmt.Sprintf("CSAT needs a scale of at least 3 values, got %s", s)
		r.TopTwoBox.Reason, r.Mean.Reason = r.Reason, r.Reason
		return r
	}
	r.TopTwoBox = c.Proportion(d.CountBetween(s.Max-1, s.Max), r.N)
	r.Mean = c.Mean(d)
	r.Readable, r.Reason = both(r.TopTwoBox.Readable, r.TopTwoBox.Reason, r.Mean.Readable, r.Mean.Reason)
	return r
}

// both combines two readability verdicts, keeping the first reason.
func both(ok1 bool, why1 string, ok2 bool, why2 string) (bool, string) {
	switch {
	case !ok1:
		return false, why1
	case !ok2:
		return false, why2
	}
	return true, ""
}
