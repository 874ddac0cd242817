package kpi

// Metric names a KPI, as in the API's /api/v1/metrics/{metric} and
// cxlens report --metric.
type Metric string

// The behavioural KPIs of this package.
const (
	ChurnRate       Metric = "churn_rate"
	CRR             Metric = "crr"
	NRR             Metric = "nrr"
	GRR             Metric = "grr"
	NCVG            Metric = "ncvg"
	ReferralRate    Metric = "referral_rate"
	ReferredRevenue Metric = "referred_revenue"
	SayVsDo         Metric = "say_vs_do"
	RedemptionRate  Metric = "redemption_rate"
	FRT             Metric = "frt"
	AHT             Metric = "aht"
	ResolutionTime  Metric = "resolution_time"
	ReopenRate      Metric = "reopen_rate"
	AgentOutliers   Metric = "agent_outliers"
	ActivityRule    Metric = "activity_rule"
)

// MetricDefinition is one row of the definitions table: a KPI's name as
// shown to people and its product definition.
type MetricDefinition struct {
	Metric     Metric
	Name       string
	Definition string
}

// definitions is the table of KPI definitions (DESIGN.md, "The KPIs",
// made precise). It is the only package-level table; Definition and
// Definitions read it.
var definitions = [...]MetricDefinition{
	{ChurnRate, "Churn rate",
		"customers lost in period / customers at start. Customers at start: active just before the period starts; lost: those of them not active at its end."},
	{CRR, "Customer retention rate (CRR)",
		"(customers at end − new in period) / customers at start. New: first seen during the period."},
	{NRR, "Net revenue retention (NRR)",
		"(start revenue + expansion − contraction − churned) / start revenue, where revenue is monthly recurring revenue (MRR) of the customers paying at the start of the period; a customer's MRR is the value of their latest subscription_change (0 after a churn)."},
	{GRR, "Gross revenue retention (GRR)",
		"(start revenue − contraction − churned) / start revenue: NRR without expansion, over the same customers and MRR."},
	{NCVG, "Net customer value growth (NCVG)",
		"net customer value growth = (new customers − lost customers) as counts and as value (new customers' value − lost customers' value), absolute, per period. Value: revenue in the period unless another value (e.g. CLV) is chosen."},
	{ReferralRate, "Referral rate",
		"customers who actually referred someone / active customers: customers with at least one referral in the period / customers active at its start or new during it."},
	{ReferredRevenue, "Referred customers' revenue",
		"revenue (purchases − refunds) during the period, or the given value, of the customers referred during the period."},
	{SayVsDo, "Say vs do (referrals)",
		"share of customers who referred at least one customer during the period, by the NPS category of their latest NPS answer before the period: promoters (9–10), passives (7–8), detractors (0–6)."},
	{RedemptionRate, "Loyalty redemption rate",
		"points redeemed / points issued, per period."},
	{FRT, "First response time (FRT)",
		"first response time per ticket: median, p90, % within SLA. FRT = first response − opened, over the tickets opened in the period that have a response; percentiles are type 7 (linear interpolation, R's default)."},
	{AHT, "Average handle time (AHT)",
		"average handle time (talk+hold+after-work or handling seconds) per ticket, per agent, per channel: the mean (and median) of handle_seconds over the tickets opened in the period that report it."},
	{ResolutionTime, "Resolution time",
		"time from a ticket's opening to its resolution, over tickets opened in the period that are resolved: median."},
	{ReopenRate, "Reopen rate",
		"tickets reopened / tickets opened in the period."},
	{AgentOutliers, "Agent outliers",
		"agents whose CSAT, CES, FRT or AHT differs from all other agents together (or from the other agents of the same peer group, e.g. team): Welch's t test (FRT and AHT on the log scale), p-values Benjamini–Hochberg adjusted across agents."},
	{ActivityRule, "Activity rule",
		"for businesses without subscriptions, a customer is active from their first activity until a given inactivity window passes without a purchase (or another chosen event), or while their P(alive) stays at or above a threshold."},
}

// Definition returns the product definition of m, or "" for an unknown
// metric.
func Definition(m Metric) string {
	for _, d := range definitions {
		if d.Metric == m {
			return d.Definition
		}
	}
	return ""
}

// Definitions returns a copy of the whole definitions table, in display
// order (for cxlens report --explain and the API's documentation).
func Definitions() []MetricDefinition {
	out := make([]MetricDefinition, len(definitions))
	copy(out, definitions[:])
	return out
}
