package metrics

import "fmt"

// CESResult is a customer effort score: the mean answer on the 1–7 "easy to
// resolve" scale and the share answering 5–7, each with its interval and
// readability.
type CESResult struct {
	// N is the number of answers.
	N int64
	// Counts is the number of answers per value 1..7.
	Counts []int64
	// Easy is the share answering 5, 6 or 7, with its Wilson interval, in
	// percent.
	Easy Proportion
	// Mean is the mean answer with its t interval, in scale points.
	Mean MeanEstimate
	// Readable is true when both Easy and Mean are readable.
	Readable bool
	// Reason says why the result is not readable; empty when it is.
	Reason string
}

// CES returns the effort figures of a 1–7 distribution with the default
// Config.
func CES(d Distribution) CESResult { return Config{}.CES(d) }

// CES returns the effort figures of a 1–7 distribution under c (DESIGN.md:
// "mean and % of 5–7"). A distribution on another scale gives an unreadable
// result saying so.
func (c Config) CES(d Distribution) CESResult {
	if d.Scale() != CESScale || len(d.counts) != CESScale.Size() {
		why := fmt.Sprintf("CES needs the %s scale, got %s", CESScale, d.Scale())
		empty := NewDistribution(CESScale)
		r := c.CES(empty)
		r.Reason, r.Easy.Reason, r.Mean.Reason = why, why, why
		return r
	}
	r := CESResult{N: d.N(), Counts: d.Counts()}
	r.Easy = c.Proportion(d.CountBetween(5, 7), r.N)
	r.Mean = c.Mean(d)
	r.Readable, r.Reason = both(r.Easy.Readable, r.Easy.Reason, r.Mean.Readable, r.Mean.Reason)
	return r
}
