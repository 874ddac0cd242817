// Package value turns a workspace's purchases and survey answers into money:
// per-customer predictions from the CLV models of internal/clv (Predict),
// what customers who say different things go on to do — "say vs do", the
// return on CX (ROI) — with revenue at risk and a what-if (ROI), and the two
// lists a customer-success team works from: valuable customers at risk
// (AtRisk) and promoters who have not referred anyone yet (Advocates).
//
// Everything is a pure function of a kpi.Data and options: no I/O, no
// globals. Values are summed as given (the caller converts currencies), as
// in internal/kpi. The state of a customer at an instant t uses the events
// strictly before t (kpi's convention), so nothing computed "as of" a date
// looks at what came after it.
package value
