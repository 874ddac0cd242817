package kpi

import (
	"math"
	"slices"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
)

// AgentMetric names a figure compared between agents.
type AgentMetric string

// The figures compared by Outliers.
const (
	AgentCSAT AgentMetric = "csat" // CSAT answers (scale points), higher is better
	AgentCES  AgentMetric = "ces"  // CES answers (scale points), higher is better
	AgentFRT  AgentMetric = "frt"  // first response time (seconds), lower is better
	AgentAHT  AgentMetric = "aht"  // handle time (seconds), lower is better
)

// OutlierOptions configure Outliers. The zero value compares the surveys
// "csat" and "ces", joins nothing (set Join, e.g. DefaultJoin()), needs 5
// values per agent, and flags at a false discovery rate of 0.05.
type OutlierOptions struct {
	// Join credits CSAT/CES responses to tickets, and so to agents.
	Join JoinRule
	// CSATSurveys and CESSurveys are the survey keys; nil means "csat" and
	// "ces".
	CSATSurveys, CESSurveys []string
	// MinN is the fewest values an agent (and the rest of the team) needs to
	// be tested; 0 means 5, and fewer than 2 is raised to 2 (Welch's test
	// needs a variance).
	MinN int
	// FDR is the false discovery rate at which BH-adjusted p-values flag an
	// outlier; 0 means 0.05.
	FDR float64
	// Peers, when set, compares each agent only with the agents whose
	// tickets fall in the same peer group (e.g. the ticket attribute "team",
	// so escalation agents are not compared with first-line ones, or the
	// queue's language): an agent gets one comparison per group they
	// worked in (in a group of two agents both comparisons are the same
	// test seen from each side). Nil compares every agent with the whole
	// team.
	Peers TicketKey
	// Stats sets the confidence level of the effect intervals.
	Stats metrics.Config
}

// AgentComparison is one agent against all other agents together on one
// figure, over the tickets opened in the period.
type AgentComparison struct {
	Agent  string
	Metric AgentMetric
	// Peers is the peer group (OutlierOptions.Peers); "" without one.
	Peers string
	// N and RestN are the numbers of values of the agent and of the rest.
	N, RestN int
	// Mean and RestMean: the mean answer for CSAT/CES; for FRT/AHT the
	// geometric mean in seconds, exp(mean ln(1+x)) − 1.
	Mean, RestMean float64
	// Median and RestMedian are the type-7 medians, in the figure's units.
	Median, RestMedian float64
	// Effect is the agent's difference from the rest: agent − rest in scale
	// points for CSAT/CES; for FRT/AHT the ratio of geometric means of
	// (1 + seconds), agent / rest (1.8 means 80% slower). EffectCI is its
	// interval at Stats' level.
	Effect   float64
	EffectCI metrics.Interval
	// D is Cohen's d, (mean_agent − mean_rest) / pooled SD, on the log scale
	// for FRT/AHT: a unit-free size of the difference.
	D float64
	// P is the Welch test's two-sided p-value and AdjustedP its
	// Benjamini–Hochberg adjustment across the agents tested on this
	// figure (metrics.AdjustBH).
	P, AdjustedP float64
	// Outlier is true when AdjustedP ≤ FDR; Worse when the agent is an
	// outlier on the bad side (lower CSAT/CES, longer FRT/AHT).
	Outlier, Worse bool
	// Valid is false when the agent or the rest has fewer than MinN values
	// or the test could not be computed; P and AdjustedP are then 1.
	Valid  bool
	Reason string
}

// OutlierResult lists every agent's comparison on every figure.
type OutlierResult struct {
	Metric     Metric
	Definition string
	Period     Period
	// Comparisons are ordered by figure (CSAT, CES, FRT, AHT), then peer
	// group, then agent.
	Comparisons []AgentComparison
}

// Outliers compares each agent with all the other agents together on CSAT,
// CES, FRT and AHT, over the tickets opened in period p (tickets without an
// agent are left out) and the CSAT/CES responses that opt.Join credits to
// them.
//
// The test is Welch's unequal-variance t test (metrics.WelchTTest; Welch
// 1947), agent vs rest. CSAT and CES are bounded scores whose mean is the
// reported KPI, so their means are compared directly. FRT and AHT are
// right-skewed, roughly log-normal durations where a few very long tickets
// would dominate a t test on seconds; they are compared on the log scale,
// ln(1 + seconds) (the 1 s shift keeps zero-second first responses, which
// real help desks log, finite). That is a test of the ratio of geometric
// means, which gives the support lead an effect in plain words ("1.8× the
// team's times") with a confidence interval, and reuses the tested Welch
// code. A rank test (Mann–Whitney) would be as robust but only gives
// P(X > Y) as effect, harder to act on, and needs care with ties.
//
// P-values are adjusted per figure across all the agents (and peer groups)
// tested, by Benjamini–Hochberg (metrics.AdjustBH), since a team of 14
// agents means 14 tests per figure. An agent-vs-rest difference may come
// from the work rather than the agent (escalations take longer, one
// language's customers answer lower): OutlierOptions.Peers compares like
// with like.
func Outliers(tickets []cx.Ticket, responses []cx.Response, p Period, opt OutlierOptions) OutlierResult {
	csat, ces := opt.CSATSurveys, opt.CESSurveys
	if csat == nil {
		csat = []string{string(cx.CSAT)}
	}
	if ces == nil {
		ces = []string{string(cx.CES)}
	}
	peers := opt.Peers
	if peers == nil {
		peers = func(cx.Ticket) string { return "" }
	}
	// values[figure][peer group][agent]
	values := map[AgentMetric]map[string]map[string][]float64{
		AgentCSAT: {}, AgentCES: {}, AgentFRT: {}, AgentAHT: {},
	}
	add := func(m AgentMetric, t cx.Ticket, x float64) {
		g := peers(t)
		if values[m][g] == nil {
			values[m][g] = map[string][]float64{}
		}
		values[m][g][t.Agent] = append(values[m][g][t.Agent], x)
	}
	in := make([]bool, len(tickets))
	for i, t := range tickets {
		if t.Agent == "" || !p.Contains(t.OpenedAt) {
			continue
		}
		in[i] = true
		if t.FirstResponseAt != nil {
			add(AgentFRT, t, t.FirstResponseAt.Sub(t.OpenedAt).Seconds())
		}
		if t.HandleSeconds != nil {
			add(AgentAHT, t, *t.HandleSeconds)
		}
	}
	for i, k := range opt.Join.Join(responses, tickets) {
		r := responses[i]
		if k < 0 || !in[k] || r.Score == nil {
			continue
		}
		switch {
		case slices.Contains(csat, r.Survey):
			add(AgentCSAT, tickets[k], float64(*r.Score))
		case slices.Contains(ces, r.Survey):
			add(AgentCES, tickets[k], float64(*r.Score))
		}
	}
	res := OutlierResult{Metric: AgentOutliers, Definition: Definition(AgentOutliers), Period: p}
	for _, m := range []AgentMetric{AgentCSAT, AgentCES, AgentFRT, AgentAHT} {
		res.Comparisons = append(res.Comparisons, compareAgents(m, values[m], opt)...)
	}
	return res
}

// compareAgents tests, within each peer group, each agent of one figure
// against the rest of the group, and adjusts the p-values across all the
// tests of the figure.
func compareAgents(m AgentMetric, byGroup map[string]map[string][]float64, opt OutlierOptions) []AgentComparison {
	minN := opt.MinN
	if minN == 0 {
		minN = 5
	}
	minN = max(minN, 2)
	fdr := opt.FDR
	if fdr == 0 {
		fdr = 0.05
	}
	logScale := m == AgentFRT || m == AgentAHT
	groups := make([]string, 0, len(byGroup))
	for g := range byGroup {
		groups = append(groups, g)
	}
	slices.Sort(groups)
	var out []AgentComparison
	for _, g := range groups {
		byAgent := byGroup[g]
		agents := make([]string, 0, len(byAgent))
		for a := range byAgent {
			agents = append(agents, a)
		}
		slices.Sort(agents)
		for _, a := range agents {
			var rest []float64
			for _, b := range agents {
				if b != a {
					rest = append(rest, byAgent[b]...)
				}
			}
			c := compareOne(a, m, byAgent[a], rest, minN, logScale, opt.Stats)
			c.Peers = g
			out = append(out, c)
		}
	}
	ps := make([]float64, len(out))
	for i, c := range out {
		ps[i] = math.NaN()
		if c.Valid {
			ps[i] = c.P
		}
	}
	adj := metrics.AdjustBH(ps)
	for i := range out {
		c := &out[i]
		if !c.Valid {
			c.P, c.AdjustedP = 1, 1
			continue
		}
		c.AdjustedP = adj[i]
		c.Outlier = c.AdjustedP <= fdr
		if logScale {
			c.Worse = c.Outlier && c.Effect > 1
		} else {
			c.Worse = c.Outlier && c.Effect < 0
		}
	}
	return out
}

func compareOne(agent string, m AgentMetric, mine, rest []float64, minN int, logScale bool, cfg metrics.Config) AgentComparison {
	c := AgentComparison{Agent: agent, Metric: m, N: len(mine), RestN: len(rest)}
	c.Median, _ = Median(mine)
	c.RestMedian, _ = Median(rest)
	tr := func(xs []float64) []float64 { return xs }
	if logScale {
		tr = func(xs []float64) []float64 {
			out := make([]float64, len(xs))
			for i, x := range xs {
				out[i] = math.Log1p(math.Max(x, 0))
			}
			return out
		}
	}
	a, b := metrics.Summarize(tr(mine)), metrics.Summarize(tr(rest))
	c.Mean, c.RestMean = a.Mean, b.Mean
	if logScale {
		c.Mean, c.RestMean = math.Expm1(a.Mean), math.Expm1(b.Mean)
	}
	if logScale {
		c.Effect = math.Exp(a.Mean - b.Mean)
	} else {
		c.Effect = a.Mean - b.Mean
	}
	if sp := pooledSD(a, b); sp > 0 {
		c.D = (a.Mean - b.Mean) / sp
	}
	if len(mine) < minN || len(rest) < minN {
		c.Reason = "too few values to test"
		return c
	}
	d := cfg.WelchTTest(a, b)
	if !d.Valid {
		c.Reason = d.Reason
		return c
	}
	c.Valid, c.P = true, d.P
	c.EffectCI = d.CI
	if logScale {
		c.EffectCI = metrics.Interval{Lower: math.Exp(d.CI.Lower), Upper: math.Exp(d.CI.Upper)}
	}
	return c
}

// pooledSD is the pooled standard deviation of Cohen's d,
// √(((n_a − 1)s²_a + (n_b − 1)s²_b) / (n_a + n_b − 2)) (Cohen 1988, §2.5).
func pooledSD(a, b metrics.Summary) float64 {
	df := a.N + b.N - 2
	if df <= 0 {
		return 0
	}
	return math.Sqrt((float64(a.N-1)*a.Var + float64(b.N-1)*b.Var) / float64(df))
}
