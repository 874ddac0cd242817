package demo

import (
	"math"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// Survey keys of the demo workspace.
const (
	surveyNPS        = "nps"            // relationship NPS, every ~6 months
	surveyOnboarding = "nps-onboarding" // touchpoint NPS two weeks after signup
	surveyCSAT       = "csat"           // after a resolved ticket
	surveyCES        = "ces"            // after a resolved ticket, with CSAT
)

// surveys returns the demo surveys, validated (scales filled in).
func surveys() []cx.Survey {
	out := []cx.Survey{
		{Key: surveyNPS, Name: "Relationship NPS", Kind: cx.NPS},
		{Key: surveyOnboarding, Name: "Onboarding NPS", Kind: cx.NPS,
			Question: "Based on your first weeks with us, how likely are you to recommend us to a friend or colleague?"},
		{Key: surveyCSAT, Name: "Support CSAT", Kind: cx.CSAT,
			Question: "How satisfied were you with the support you received?"},
		{Key: surveyCES, Name: "Support effort (CES)", Kind: cx.CES},
	}
	for i := range out {
		if err := out[i].Validate(); err != nil {
			panic("demo: survey table: " + err.Error()) // a constant table; tests cover it
		}
	}
	return out
}

// npsScore turns satisfaction into a 0–10 answer. The centre (8.1) and
// slope put about 40% of answers at 9–10 and 20% at 0–6: an NPS near +20,
// typical of B2B software.
func (g *generator) npsScore(sat, centre, slope, noise float64) int {
	return clampInt(int(math.Round(centre+slope*sat+noise*g.rng.NormFloat64())), 0, 10)
}

// askNPS invites p to the relationship or onboarding NPS survey at time at;
// some answer, a little later.
func (g *generator) askNPS(p *person, key string, at time.Time) {
	r := g.rng
	rate := 0.27
	if key == surveyOnboarding {
		rate = 0.33
	}
	// Enterprise contacts and customers with strong feelings answer more.
	rate *= byPlan(p.plan, 0.9, 1.0, 1.3)
	rate *= 1 + 0.12*math.Abs(p.sat)
	rate *= map[string]float64{"en": 1, "zh": 0.85, "ro": 1.1}[p.language]
	touchpoint := "relationship"
	if key == surveyOnboarding {
		touchpoint = "onboarding"
	}
	if !chance(r, rate) {
		g.invite(p, key, at, "email", touchpoint, "", -1, time.Time{})
		return
	}
	submitted := at.Add(seconds(r.ExpFloat64() * 30 * 3600))
	if submitted.After(g.end) {
		g.invite(p, key, at, "email", touchpoint, "", -1, time.Time{})
		return
	}
	via := choose(r, []choice[string]{{"email", 0.65}, {"in_app", 0.35}})
	var score int
	if key == surveyOnboarding {
		via = choose(r, []choice[string]{{"email", 0.4}, {"in_app", 0.6}})
		boost := 0.0
		if p.onboarded {
			boost += 0.3
		}
		if p.plan == planEnterprise || p.channel == channelPartner {
			boost += 0.3 // a dedicated onboarding manager
		}
		score = g.npsScore(p.sat+boost, 8.3, 1.4, 1.1)
	} else {
		score = g.npsScore(p.sat, 8.1, 1.8, 0.9)
	}
	attrs := cx.Attributes{
		"plan":          p.plan,
		"tenure_months": int(submitted.Sub(p.start).Hours() / 24 / 30.44),
	}
	if key == surveyNPS {
		g.rateDrivers(p, attrs)
	}
	// Detractors complain mostly about what hurts them most.
	i := g.respond(p, key, submitted, score, via, touchpoint, attrs, p.pain, 0.7)
	g.invite(p, key, at, via, touchpoint, "", i, submitted)
}

// invite records the request to p to answer survey, sent at at by
// channel: answered by response i at answered, or unanswered (i < 0). It
// draws no random numbers, so the rest of the data is as without it.
func (g *generator) invite(p *person, survey string, at time.Time, channel, touchpoint, ref string, i int, answered time.Time) {
	lang := map[string]string{"zh": "zh-Hans"}[p.language]
	if lang == "" {
		lang = p.language
	}
	sent := at
	in := Invitation{Response: i, Invitation: cx.Invitation{
		Survey: survey, Customer: p.ext, Channel: channel, Language: lang, Touchpoint: touchpoint, TouchpointRef: ref,
		Status: cx.InvitationSent, ScheduledAt: at, SentAt: &sent, ExpiresAt: at.Add(cx.DefaultInvitationTTL), CreatedAt: at,
	}}
	if channel == "email" {
		in.Email = p.email
	}
	if i >= 0 {
		opened, done := answered.Add(-2*time.Minute), answered
		in.OpenedAt, in.AnsweredAt = &opened, &done
	}
	g.invitations = append(g.invitations, in)
}

// Drivers are the extra 1–5 rating questions of the relationship NPS
// survey, stored as response attributes. Each rating follows the
// customer's satisfaction with its own weight (how much it matters) and
// offset (how well the company does it), and the customer's pain point
// pulls its rating down, so key-driver analysis has a story to find:
// support matters most and scores lowest ("fix first"), price matters
// little.
var drivers = []struct {
	attr           string
	weight, offset float64
	pain           string
}{
	{"rating_support", 1.0, -0.5, TopicSupport},
	{"rating_ease_of_use", 0.75, 0.1, TopicBooking},
	{"rating_reliability", 0.6, 0.2, TopicProduct},
	{"rating_delivery", 0.45, -0.1, TopicDelivery},
	{"rating_price", 0.2, -0.3, ""},
}

// rateDrivers adds the driver ratings of one answer to attrs.
func (g *generator) rateDrivers(p *person, attrs cx.Attributes) {
	r := g.ratings
	for _, d := range drivers {
		v := 3.6 + d.offset + d.weight*p.sat + 0.7*r.NormFloat64()
		if d.pain != "" && p.pain == d.pain {
			v -= 0.9
		}
		attrs[d.attr] = clampInt(int(math.Round(v)), 1, 5)
	}
}

// respond records a response, with a comment in the customer's language
// whose tone matches the score on most of them; topic is what a negative
// comment is about with probability pTopic. It returns the response's
// index.
func (g *generator) respond(p *person, survey string, at time.Time, score int, via, touchpoint string, attrs cx.Attributes, topic string, pTopic float64) int {
	r := g.rng
	tone := toneFor(survey, score)
	pComment := map[Tone]float64{Negative: 0.74, Neutral: 0.52, Positive: 0.62}[tone]
	resp := cx.Response{
		Survey:      survey,
		Customer:    p.ext,
		SubmittedAt: at,
		Score:       &score,
		Language:    p.language,
		Channel:     via,
		Touchpoint:  touchpoint,
		Attributes:  attrs,
	}
	if chance(r, pComment) {
		if tone != Negative {
			topic = ""
		}
		if c, ok := g.comments.pick(r, p.language, tone, topic, pTopic); ok {
			resp.Comment = c.Text
		}
	}
	g.responses = append(g.responses, resp)
	return len(g.responses) - 1
}
