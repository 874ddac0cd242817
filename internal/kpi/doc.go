// Package kpi computes the behavioural KPIs of cxlens — churn rate, CRR,
// NRR/GRR, NCVG, referral rate and say-vs-do, loyalty redemption rate, and the
// support figures FRT, AHT, resolution time, reopen rate and per-agent
// outliers — from in-memory slices of cx.Customer, cx.Event, cx.Ticket and
// cx.Response.
//
// Everything is a pure function of its arguments: no I/O and no globals
// beyond the constant definitions table. Every result carries its sample
// size, the product definition of its KPI (DESIGN.md, "The KPIs"; the
// Definitions table in definitions.go) and a NoData flag with a Reason
// instead of a NaN when the denominator is empty.
//
// Time conventions. A Period is the half-open interval [Start, End). The
// state of a customer "at" an instant t (active or not, MRR) is the state
// after every event with OccurredAt strictly before t, so an event at exactly
// Start belongs to the period and one at exactly End to the next period.
// Values (revenue, MRR) are summed as given: the caller converts currencies
// beforehand.
package kpi
