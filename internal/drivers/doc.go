// Package drivers ranks what drives a survey score (NPS, CSAT, CES) with
// Johnson's relative weights and places each driver on an
// importance–performance chart.
//
// Relative weights (Johnson 2000, "A heuristic method for estimating the
// relative weight of predictor variables in multiple regression",
// Multivariate Behavioral Research 35(1):1–19) split the R² of a linear
// regression of the outcome on k correlated predictors into k non-negative
// parts that sum to R². Each part is the predictor's raw weight; divided by
// R² it is the rescaled weight, the predictor's share of what the model
// explains. Unlike standardised regression coefficients, the weights stay
// meaningful when the predictors are correlated, which survey ratings
// ("price", "support", "ease of use") nearly always are.
//
// The package is pure computation: callers pass numbers in, get numbers out.
package drivers
