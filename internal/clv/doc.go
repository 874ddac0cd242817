// Package clv models customer lifetime value from a transaction log.
//
// A log of (customer, time, value) is summarised per customer into
// frequency x, recency t_x, age T and mean repeat spend (Summarize), and
// identical (x, t_x, T) are compressed into weighted groups (Compress) so
// that a million customers fit in about a second. On those:
//
//   - BGNBD: the BG/NBD model of Fader, Hardie & Lee (2005), Marketing
//     Science 24(2), for the number of future purchases;
//   - ParetoNBD: the Pareto/NBD model of Schmittlein, Morrison & Colombo
//     (1987), in the form of Fader & Hardie's 2005 derivation note;
//   - GammaGamma: the Gamma-Gamma spend model of Fader, Hardie & Lee (2005),
//     JMR 42(4), and Fader & Hardie's 2013 note;
//   - DiscountedCLV and HistoricalCLV: predictive and to-date value;
//   - SplitHoldout and CompareHoldout: calibration/holdout validation.
//
// The tests reproduce the published CDNOW estimates (testdata/SOURCE.md).
// The package is pure computation: no I/O, no globals.
package clv
