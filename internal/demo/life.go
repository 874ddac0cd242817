package demo

import (
	"math"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

const (
	day  = 24 * time.Hour
	week = 7 * day
)

// person is a customer being simulated.
type person struct {
	idx                    int
	ext, name, email       string
	country                country
	language, channel      string
	referredBy             string
	plan, signupPlan, size string
	industry               string
	mrr                    float64
	start                  time.Time

	base, sat float64   // latent satisfaction: long-run level and now
	pain      string    // what they would complain about (a Topic)
	weeks     []float64 // satisfaction week by week since start
	spans     []span    // when they were a customer
	active    bool
	churnedAt time.Time
	badUntil  time.Time // a bad ticket raises churn risk until then
	onboarded bool
	balance   int // loyalty points
}

// span is a period as a customer; to is zero while it lasts.
type span struct{ from, to time.Time }

func (p *person) activeAt(t time.Time) bool {
	for _, s := range p.spans {
		if !t.Before(s.from) && (s.to.IsZero() || t.Before(s.to)) {
			return true
		}
	}
	return false
}

func (p *person) satAt(t time.Time) float64 {
	if len(p.weeks) == 0 {
		return p.base
	}
	return p.weeks[clampInt(int(t.Sub(p.start)/week), 0, len(p.weeks)-1)]
}

// expectedNPS is the score a customer of satisfaction s gives on average.
func expectedNPS(s float64) float64 { return 8.1 + 1.8*s }

// annualChurn is the yearly churn probability at satisfaction s: about 8%
// for a promoter (expected score ≥ 9), 11–22% for a passive and 35–60% for
// a detractor.
func annualChurn(s float64) float64 {
	return 0.07 + 0.6/(1+math.Exp(1.3*(expectedNPS(s)-6.4)))
}

// live simulates p from signup to the end of the data, week by week.
func (g *generator) live(p *person) {
	r := g.rng
	p.active, p.signupPlan = true, p.plan
	p.spans = []span{{from: p.start}}
	g.event(p, cx.SubscriptionChange, p.start, p.mrr, cx.Attributes{"plan": p.plan, "change": "new"})

	// Onboarding: those who never finish it start colder and leave sooner.
	pOnboard := map[string]float64{channelPaid: 0.7, channelPartner: 0.92}[p.channel]
	if pOnboard == 0 {
		pOnboard = 0.82
	}
	if p.plan == planEnterprise {
		pOnboard = 0.95
	}
	done, at := chance(r, pOnboard), p.start.Add(seconds(logNormal(r, 6*86400, 0.5)))
	switch {
	case done && at.Before(g.end):
		p.onboarded = true
		g.event(p, cx.CustomEvent, at, 0, cx.Attributes{"name": "onboarding_completed"})
	case !done:
		p.base -= 0.35
		p.sat = p.base
	}

	onboardingSurvey := p.start.Add(14*day + seconds(r.Float64()*2*86400))
	nextNPS := p.start.Add(60*day + seconds((r.Float64()-0.5)*14*86400))
	for w := p.start; w.Before(g.end); w = w.Add(week) {
		wEnd := w.Add(week)
		if wEnd.After(g.end) {
			wEnd = g.end
		}
		frac := wEnd.Sub(w).Hours() / (7 * 24)
		tenure := w.Sub(p.start)
		if !p.active {
			since := w.Sub(p.churnedAt)
			if since >= 6*week && since < 52*week && chance(r, 0.012*math.Exp(0.6*p.sat)*frac) {
				g.reactivate(p, between(r, w, wEnd))
				nextNPS = p.spans[len(p.spans)-1].from.Add(60 * day)
			}
			p.weeks = append(p.weeks, p.sat)
			continue
		}

		p.sat += 0.04*(p.base-p.sat) + 0.05*r.NormFloat64()

		annual := annualChurn(p.sat) * byPlan(p.plan, 1.15, 0.9, 0.6)
		if p.channel == channelPaid && tenure < 13*week {
			annual *= 1.6
		}
		if !p.onboarded && tenure < 10*week {
			annual *= 1.5
		}
		if w.Before(p.badUntil) {
			annual *= 1.8
		}
		limit := wEnd
		churning := tenure >= 2*week && chance(r, hazard(annual, frac))
		if churning {
			limit = between(r, w, wEnd)
		}

		if !onboardingSurvey.Before(w) && onboardingSurvey.Before(limit) {
			g.askNPS(p, surveyOnboarding, onboardingSurvey)
		}
		if !nextNPS.Before(w) && nextNPS.Before(limit) {
			g.askNPS(p, surveyNPS, nextNPS)
			nextNPS = nextNPS.Add(182*day + seconds((r.Float64()-0.5)*28*86400))
		}

		// Support: unhappy customers and new ones write in more.
		lt := 0.07 * byPlan(p.plan, 0.8, 1.0, 1.6) * math.Exp(-0.25*p.sat)
		if tenure < 4*week {
			lt *= 2
		}
		for range poisson(r, lt*frac) {
			at := between(r, w, limit)
			exp := g.openTicket(p, at, w, limit)
			if exp < 0 {
				p.sat += 0.25 * math.Max(exp, -2)
			} else {
				p.sat += 0.08 * math.Min(exp, 1)
			}
			if exp < -1 {
				p.pain = TopicSupport
				p.badUntil = at.Add(4 * week)
			}
		}

		// Happy customers buy more, and bigger.
		lp := 0.07 * byPlan(p.plan, 0.8, 1.0, 1.4) * math.Exp(0.35*p.sat)
		for range poisson(r, lp*frac) {
			g.purchase(p, between(r, w, limit))
		}
		if p.balance >= 250 && chance(r, 0.03*math.Exp(0.4*p.sat)*frac) {
			points := 250 * (1 + r.IntN(p.balance/250))
			p.balance -= points
			reward := choose(r, []choice[string]{{"discount", 0.5}, {"gift card", 0.3}, {"free month", 0.2}})
			g.event(p, cx.LoyaltyRedeem, between(r, w, limit), float64(points), cx.Attributes{"reward": reward})
		}

		if tenure >= 4*week {
			rank := planRank(p.plan)
			switch {
			case rank < 2 && chance(r, 0.0035*math.Exp(0.7*p.sat)*frac):
				g.changePlan(p, planOrder[rank+1], "upgrade", between(r, w, limit))
			case rank > 0 && chance(r, 0.0025*math.Exp(-0.7*p.sat)*frac):
				g.changePlan(p, planOrder[rank-1], "downgrade", between(r, w, limit))
			}
		}

		if churning {
			g.churn(p, limit)
		}
		p.weeks = append(p.weeks, p.sat)
	}
}

// purchase items by plan: add-ons and one-off services.
var purchaseItems = []struct {
	item, kind string
	factor     float64 // price relative to the plan's typical order
}{
	{"extra seats", "add_on", 1.0},
	{"storage pack", "add_on", 0.6},
	{"API credits", "add_on", 0.8},
	{"premium support", "add_on", 1.5},
	{"template pack", "one_off", 0.4},
	{"training session", "one_off", 2.0},
	{"data migration", "one_off", 2.5},
	{"integration setup", "one_off", 1.8},
}

// purchase records an order, the loyalty points it earns (1 per dollar)
// and, now and then, a refund: unhappy customers ask for more of them.
func (g *generator) purchase(p *person, at time.Time) {
	r := g.rng
	it := purchaseItems[r.IntN(len(purchaseItems))]
	median := byPlan(p.plan, 45, 120, 480)
	value := round2(logNormal(r, median*it.factor*math.Exp(0.2*p.sat), 0.55))
	g.event(p, cx.Purchase, at, value, cx.Attributes{"item": it.item, "kind": it.kind})
	points := int(value)
	g.event(p, cx.LoyaltyEarn, at, float64(points), cx.Attributes{"reason": "purchase"})
	p.balance += points
	if chance(r, 0.035*math.Exp(-0.6*p.sat)) {
		when := at.Add(day + seconds(r.Float64()*20*86400))
		if when.After(g.end) {
			return
		}
		amount := value
		if chance(r, 0.4) {
			amount = round2(value * (0.3 + 0.4*r.Float64()))
		}
		reason := choose(r, []choice[string]{{"not as described", 0.3}, {"service issue", 0.3}, {"duplicate charge", 0.15}, {"changed mind", 0.25}})
		g.event(p, cx.Refund, when, amount, cx.Attributes{"item": it.item, "reason": reason})
	}
}

// changePlan moves p to another plan.
func (g *generator) changePlan(p *person, plan, change string, at time.Time) {
	prev := p.plan
	p.plan, p.mrr = plan, planMRR(g.rng, plan)
	p.size = choose(g.rng, companySizes[plan])
	g.event(p, cx.SubscriptionChange, at, p.mrr, cx.Attributes{"plan": plan, "change": change, "previous_plan": prev})
}

// churn ends p's subscription, with a reason that follows from their
// experience: a recent bad ticket, their pain point, or (for the happy
// ones) circumstances.
func (g *generator) churn(p *person, at time.Time) {
	r := g.rng
	var reason string
	switch {
	case at.Before(p.badUntil) && chance(r, 0.7):
		reason = "poor support"
	case expectedNPS(p.sat) < 7:
		reason = map[string]string{
			TopicDelivery: "delivery problems", TopicProduct: "missing features",
			TopicBooking: "too hard to use", TopicSupport: "poor support",
		}[p.pain]
	default:
		reason = choose(r, []choice[string]{{"budget cuts", 0.35}, {"switched to competitor", 0.3}, {"company closed", 0.15}, {"no longer needed", 0.2}})
	}
	g.event(p, cx.SubscriptionChange, at, 0, cx.Attributes{"plan": p.plan, "change": "cancel", "previous_mrr": p.mrr})
	g.event(p, cx.Churn, at, 0, cx.Attributes{"reason": reason, "mrr_lost": p.mrr})
	p.active, p.churnedAt = false, at
	p.spans[len(p.spans)-1].to = at
}

// reactivate brings p back, on their old plan or a cheaper one, with
// their problems (mostly) behind them.
func (g *generator) reactivate(p *person, at time.Time) {
	r := g.rng
	if p.plan != planBasic && chance(r, 0.4) {
		p.plan = planOrder[planRank(p.plan)-1]
	}
	p.mrr = planMRR(r, p.plan)
	p.base += 0.2
	p.sat = p.base
	p.active = true
	p.spans = append(p.spans, span{from: at})
	g.event(p, cx.Reactivate, at, 0, cx.Attributes{"plan": p.plan, "months_away": int(at.Sub(p.churnedAt).Hours() / 24 / 30.44)})
	g.event(p, cx.SubscriptionChange, at, p.mrr, cx.Attributes{"plan": p.plan, "change": "reactivate"})
}
