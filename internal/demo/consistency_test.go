package demo

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// npsCategory names an NPS score's group.
func npsCategory(score int) string {
	switch {
	case score >= 9:
		return "promoter"
	case score >= 7:
		return "passive"
	}
	return "detractor"
}

// customerFacts is what the observable data says about one customer.
type customerFacts struct {
	firstNPS     *cx.Response // first relationship NPS answer
	churnedAfter bool         // churned within a year of firstNPS
	referred     int          // referral events
	revenue      float64      // subscription + purchases − refunds, USD
}

// facts derives per-customer facts from the data alone (not the latent
// satisfaction), the way an analyst would.
func facts(ds Dataset) map[string]*customerFacts {
	out := map[string]*customerFacts{}
	for _, c := range ds.Customers {
		out[c.ExternalID] = &customerFacts{}
	}
	for i := range ds.Responses {
		r := &ds.Responses[i]
		if f := out[r.Customer]; r.Survey == surveyNPS && f.firstNPS == nil {
			f.firstNPS = r // responses are in time order
		}
	}
	// Subscription revenue: MRR from each change until the next one.
	type sub struct {
		mrr  float64
		from time.Time
	}
	subs := map[string]sub{}
	addSub := func(f *customerFacts, s sub, to time.Time) {
		f.revenue += s.mrr * to.Sub(s.from).Hours() / 24 / 30.44
	}
	for _, e := range ds.Events {
		f := out[e.Customer]
		switch e.Type {
		case cx.Purchase:
			f.revenue += e.Value
		case cx.Refund:
			f.revenue -= e.Value
		case cx.Referral:
			f.referred++
		case cx.SubscriptionChange:
			if s, ok := subs[e.Customer]; ok {
				addSub(f, s, e.OccurredAt)
			}
			subs[e.Customer] = sub{e.Value, e.OccurredAt}
		case cx.Churn:
			if r := f.firstNPS; r != nil && e.OccurredAt.After(r.SubmittedAt) && e.OccurredAt.Sub(r.SubmittedAt) < 365*24*time.Hour {
				f.churnedAfter = true
			}
		}
	}
	for ext, s := range subs {
		addSub(out[ext], s, ds.End)
	}
	return out
}

// groupStats is a per-NPS-group summary.
type groupStats struct {
	n, churned, referrers int
	revenue               float64
}

func (g groupStats) churnRate() float64    { return float64(g.churned) / float64(g.n) }
func (g groupStats) referralRate() float64 { return float64(g.referrers) / float64(g.n) }
func (g groupStats) meanRevenue() float64  { return g.revenue / float64(g.n) }

func byNPSGroup(ds Dataset) map[string]groupStats {
	out := map[string]groupStats{}
	for _, f := range facts(ds) {
		if f.firstNPS == nil {
			continue
		}
		k := npsCategory(*f.firstNPS.Score)
		g := out[k]
		g.n++
		if f.churnedAfter {
			g.churned++
		}
		if f.referred > 0 {
			g.referrers++
		}
		g.revenue += f.revenue
		out[k] = g
	}
	return out
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func mean(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t / float64(len(xs))
}

var testNow = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)

// sharedDefault is the default-size data set the consistency tests read;
// generating it once keeps the suite fast.
var sharedDefault = sync.OnceValue(func() Dataset { return Generate(Options{Seed: 1, Now: testNow}) })

// TestConsistency checks that the relationships the demo promises are
// visible in the generated data, measured the way an analyst would: from
// responses, events and tickets, not from the latent satisfaction.
func TestConsistency(t *testing.T) {
	t.Parallel()
	ds := sharedDefault()
	groups := byNPSGroup(ds)
	pro, det := groups["promoter"], groups["detractor"]
	if pro.n < 200 || det.n < 100 {
		t.Fatalf("too few NPS respondents to judge: %d promoters, %d detractors", pro.n, det.n)
	}
	agents := map[string]Agent{}
	slow := ds.Agents[0]
	for _, a := range ds.Agents {
		agents[a.Name] = a
		if a.FRTFactor > slow.FRTFactor {
			slow = a
		}
	}
	tests := []struct {
		name string
		// check returns a description of what it measured and whether the claim holds.
		check func() (string, bool)
	}{
		{"detractors churn more than promoters", func() (string, bool) {
			d, p := det.churnRate(), pro.churnRate()
			return fmt.Sprintf("churn within a year of first NPS: detractors %.3f, promoters %.3f", d, p), d >= 2.5*p && d-p >= 0.1
		}},
		{"promoters refer more than detractors", func() (string, bool) {
			d, p := det.referralRate(), pro.referralRate()
			return fmt.Sprintf("share who referred someone: promoters %.3f, detractors %.3f", p, d), p >= 3*d && p-d >= 0.1
		}},
		{"promoters spend more than detractors", func() (string, bool) {
			d, p := det.meanRevenue(), pro.meanRevenue()
			return fmt.Sprintf("mean revenue: promoters %.0f, detractors %.0f", p, d), p >= 1.3*d
		}},
		{"slow agent has higher median FRT", func() (string, bool) {
			mine, rest := frtMinutes(ds, func(a string) bool { return a == slow.Name })
			return fmt.Sprintf("%s median FRT %.0f min, rest %.0f min", slow.Name, mine, rest), mine >= 1.5*rest
		}},
		{"slow agent has lower mean CSAT", func() (string, bool) {
			var mine, rest []float64
			for _, r := range ds.Responses {
				if r.Survey == surveyCSAT {
					if r.Attributes["agent"] == slow.Name {
						mine = append(mine, float64(*r.Score))
					} else {
						rest = append(rest, float64(*r.Score))
					}
				}
			}
			return fmt.Sprintf("%s mean CSAT %.2f (n=%d), rest %.2f", slow.Name, mean(mine), len(mine), mean(rest)), len(mine) >= 100 && mean(mine) <= mean(rest)-0.5
		}},
		{"tickets opened off shift wait longer", func() (string, bool) {
			var on, off []float64
			for _, tk := range ds.Tickets {
				if tk.FirstResponseAt == nil {
					continue
				}
				a := agents[tk.Agent]
				m := tk.FirstResponseAt.Sub(tk.OpenedAt).Minutes()
				if a.open(tk.OpenedAt) {
					on = append(on, m)
				} else {
					off = append(off, m)
				}
			}
			return fmt.Sprintf("median FRT on shift %.0f min, off shift %.0f min", median(on), median(off)), median(off) >= 3*median(on)
		}},
		{"reopened tickets get lower CSAT", func() (string, bool) {
			reopened := map[string]bool{}
			for _, tk := range ds.Tickets {
				reopened[tk.ExternalID] = tk.Reopened
			}
			var yes, no []float64
			for _, r := range ds.Responses {
				if r.Survey == surveyCSAT {
					if reopened[r.Attributes.String("ticket")] {
						yes = append(yes, float64(*r.Score))
					} else {
						no = append(no, float64(*r.Score))
					}
				}
			}
			return fmt.Sprintf("mean CSAT reopened %.2f, not %.2f", mean(yes), mean(no)), mean(yes) <= mean(no)-0.3
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.check()
			if !ok {
				t.Error(got)
			} else {
				t.Log(got)
			}
		})
	}
}

// frtMinutes returns the median first-response time, in minutes, of the
// tickets whose agent matches and of the rest.
func frtMinutes(ds Dataset, match func(agent string) bool) (mine, rest float64) {
	var a, b []float64
	for _, tk := range ds.Tickets {
		if tk.FirstResponseAt == nil {
			continue
		}
		m := tk.FirstResponseAt.Sub(tk.OpenedAt).Minutes()
		if match(tk.Agent) {
			a = append(a, m)
		} else {
			b = append(b, m)
		}
	}
	return median(a), median(b)
}

// TestCommentsMatchScores checks that every comment is a corpus text in the
// response's language whose tone matches the score: detractors' comments
// come from the negative pool, promoters' from the positive one.
func TestCommentsMatchScores(t *testing.T) {
	t.Parallel()
	comments, err := LoadCorpus()
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ lang, text string }
	tone := map[key]Tone{}
	for _, c := range comments {
		tone[key{c.Language, c.Text}] = c.Tone
	}
	ds := sharedDefault()
	with := map[Tone]int{}
	total := map[Tone]int{}
	for _, r := range ds.Responses {
		want := toneFor(r.Survey, *r.Score)
		total[want]++
		if r.Comment == "" {
			continue
		}
		with[want]++
		got, ok := tone[key{r.Language, r.Comment}]
		if !ok {
			t.Fatalf("response %s/%s: comment %q is not a %s corpus text", r.Survey, r.Customer, r.Comment, r.Language)
		}
		if got != want {
			t.Fatalf("response %s score %d: comment is %s, want %s: %q", r.Survey, *r.Score, got, want, r.Comment)
		}
	}
	all := with[Negative] + with[Neutral] + with[Positive]
	n := total[Negative] + total[Neutral] + total[Positive]
	if share := float64(all) / float64(n); share < 0.55 || share > 0.75 {
		t.Errorf("%.2f of responses have a comment, want 0.55–0.75", share)
	}
	if with[Negative] < 500 {
		t.Errorf("only %d negative comments", with[Negative])
	}
}

// TestReferrals checks both ends of every referral.
func TestReferrals(t *testing.T) {
	t.Parallel()
	ds := sharedDefault()
	customers := map[string]cx.Customer{}
	for _, c := range ds.Customers {
		customers[c.ExternalID] = c
	}
	referredBy := map[string]string{}
	for _, e := range ds.Events {
		if e.Type != cx.Referral {
			continue
		}
		ext := e.Attributes.String("referred")
		c, ok := customers[ext]
		if !ok {
			t.Fatalf("referral by %s names unknown customer %q", e.Customer, ext)
		}
		if c.Attributes.String("channel") != channelReferral || c.Attributes.String("referred_by") != e.Customer {
			t.Errorf("customer %s referred by %s has attributes %v", ext, e.Customer, c.Attributes)
		}
		if e.OccurredAt.After(c.FirstSeen) || e.OccurredAt.Before(customers[e.Customer].FirstSeen) {
			t.Errorf("referral of %s at %v: referred first seen %v, referrer %v", ext, e.OccurredAt, c.FirstSeen, customers[e.Customer].FirstSeen)
		}
		referredBy[ext] = e.Customer
	}
	n := 0
	for _, c := range ds.Customers {
		if by := c.Attributes.String("referred_by"); by != "" {
			n++
			if referredBy[c.ExternalID] != by {
				t.Errorf("customer %s: referred_by %s but no matching referral event", c.ExternalID, by)
			}
		}
	}
	if share := float64(n) / float64(len(ds.Customers)); share < 0.05 || share > 0.25 {
		t.Errorf("%.3f of customers were referred, want 0.05–0.25", share)
	}
}
