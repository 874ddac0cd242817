// Package metrics computes the survey KPIs of cxlens (NPS, CSAT, CES), their
// confidence intervals, differences between periods or segments, multiple
// comparison adjustments and the "too few responses to read" guidance.
//
// Everything here is a pure function of its arguments: no I/O, no globals, no
// dependencies beyond the standard library. Functions are zero-safe: an empty
// input gives a "no data" result (Readable false, a Reason, no NaN) rather than
// a panic or NaN. The normal and Student t distribution functions are
// implemented here (dist_normal.go, dist_t.go) and tested against published
// values.
package metrics
