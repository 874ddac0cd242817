package demo

import (
	"math"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// Agent is a support agent of the demo and the traits that shape their
// tickets: the generator's ground truth behind their FRT, AHT and CSAT.
type Agent struct {
	Name     string `json:"name"`
	Team     string `json:"team"`     // tier1 or tier2 (escalations, enterprise)
	Language string `json:"language"` // the queue they serve: en, ro or zh
	// ShiftStart and ShiftEnd are their working hours, in UTC, Monday to
	// Friday; tickets opened outside them wait for the next shift.
	ShiftStart int `json:"shift_start"`
	ShiftEnd   int `json:"shift_end"`
	// FRTFactor and AHTFactor multiply the typical first-response and
	// handle times; Skill shifts CSAT and CES (0 is average); ReopenRate is
	// how often their tickets are reopened.
	FRTFactor  float64 `json:"frt_factor"`
	AHTFactor  float64 `json:"aht_factor"`
	Skill      float64 `json:"skill"`
	ReopenRate float64 `json:"reopen_rate"`
}

// roster returns the support team: 14 agents. Marcus Reed is clearly slow
// and less liked, Kevin Doyle somewhat; Priya Shah is the star.
func roster() []Agent {
	en := func(name string, frt, aht, skill, reopen float64) Agent {
		return Agent{name, "tier1", "en", 7, 21, frt, aht, skill, reopen}
	}
	return []Agent{
		en("Alex Morgan", 1.0, 1.0, 0.1, 0.06),
		en("Priya Shah", 0.7, 0.9, 0.4, 0.04),
		en("Tom Becker", 1.0, 1.05, 0.0, 0.06),
		en("Sara Lindqvist", 0.9, 0.95, 0.15, 0.05),
		en("Marcus Reed", 2.6, 1.7, -0.7, 0.16),
		en("Jenna Walsh", 1.1, 1.0, 0.05, 0.06),
		en("Omar Haddad", 0.95, 1.1, 0.2, 0.05),
		en("Kevin Doyle", 1.4, 1.25, -0.3, 0.09),
		{"Ioana Marin", "tier1", "ro", 6, 16, 1.0, 1.0, 0.2, 0.05},
		{"Andrei Popa", "tier1", "ro", 6, 16, 1.2, 0.9, 0.0, 0.07},
		{"Li Na", "tier1", "zh", 1, 10, 0.9, 1.0, 0.15, 0.05},
		{"Chen Jie", "tier1", "zh", 1, 10, 1.1, 1.1, 0.0, 0.06},
		{"Rachel Kim", "tier2", "en", 7, 21, 1.2, 1.4, 0.3, 0.03},
		{"David Okafor", "tier2", "en", 7, 21, 1.1, 1.5, 0.25, 0.04},
	}
}

// open reports whether the agent is on shift at t.
func (a *Agent) open(t time.Time) bool {
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday && t.Hour() >= a.ShiftStart && t.Hour() < a.ShiftEnd
}

// nextOpen returns t if the agent is on shift, else the next shift start.
func (a *Agent) nextOpen(t time.Time) time.Time {
	for !a.open(t) {
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		if t.Hour() < a.ShiftStart {
			t = day.Add(time.Duration(a.ShiftStart) * time.Hour)
		} else {
			t = day.AddDate(0, 0, 1).Add(time.Duration(a.ShiftStart) * time.Hour)
		}
	}
	return t
}

// addWork adds d of the agent's working time to t: work pauses overnight
// and at weekends.
func (a *Agent) addWork(t time.Time, d time.Duration) time.Time {
	for {
		t = a.nextOpen(t)
		closes := time.Date(t.Year(), t.Month(), t.Day(), a.ShiftEnd, 0, 0, 0, time.UTC)
		left := closes.Sub(t)
		if d <= left {
			return t.Add(d)
		}
		d -= left
		t = closes
	}
}

// Ticket topics; the ones with a comment topic lend it to negative
// post-ticket comments.
var ticketTopics = []struct {
	name, pain string
	handle     float64 // handle-time factor
}{
	{"billing", "", 0.8},
	{"technical", TopicProduct, 1.4},
	{"delivery", TopicDelivery, 1.0},
	{"booking", TopicBooking, 1.1},
	{"account", "", 0.9},
}

// ticketRec is a generated ticket and the survey responses it caused.
type ticketRec struct {
	t           cx.Ticket
	responses   []int // indexes into generator.responses
	invitations []int // indexes into generator.invitations
}

// openTicket simulates a support ticket opened by p around time at: its
// routing, timings, outcome and the CSAT/CES answers it gets. It returns
// the experience score (0 is an ordinary ticket, negative a bad one) that
// feeds back into the customer's satisfaction. The ticket opens in
// [from, until), near at.
func (g *generator) openTicket(p *person, at, from, until time.Time) float64 {
	r := g.rng
	// Customers write in their local daytime.
	loc := time.FixedZone(p.country.code, p.country.utcOffset*3600)
	local := at.In(loc)
	hour := choose(r, localHours)
	opened := time.Date(local.Year(), local.Month(), local.Day(), hour, r.IntN(60), r.IntN(60), 0, loc).UTC()
	if !opened.Before(until) || opened.Before(from) {
		opened = at
	}

	// Topic: customers write about what hurts them.
	ti := r.IntN(len(ticketTopics))
	if chance(r, 0.4) {
		for i, tt := range ticketTopics {
			if tt.pain == p.pain {
				ti = i
			}
		}
	}
	topic := ticketTopics[ti]
	priority := choose(r, []choice[string]{{"low", 0.25}, {"normal", 0.5}, {"high", 0.2}, {"urgent", 0.05}})

	// Routing: by language; enterprise and urgent technical work goes to tier 2.
	queue := g.queues[p.language]
	if p.language == "en" && (p.plan == planEnterprise || (topic.name == "technical" && priority != "low")) && chance(r, 0.6) {
		queue = g.queues["tier2"]
	}
	agent := &g.agents[queue[r.IntN(len(queue))]]

	channel := choose(r, []choice[string]{{"email", 0.5}, {"chat", 0.35}, {"phone", 0.15}})
	if p.plan == planEnterprise && chance(r, 0.3) {
		channel = "phone"
	}
	live := agent.open(opened)
	if channel == "phone" && !live {
		channel = "email" // the phone line is closed: callers leave a voicemail
	}

	// First response: live channels answer in minutes; email and
	// after-hours chat wait in the queue, in working time.
	var first time.Time
	var target time.Duration
	switch {
	case channel == "phone":
		first = opened.Add(seconds(logNormal(r, 75, 0.7) * agent.FRTFactor))
		target = 2 * time.Minute
	case channel == "chat" && live:
		first = opened.Add(seconds(logNormal(r, 150, 0.8) * agent.FRTFactor))
		target = 5 * time.Minute
	default:
		first = agent.addWork(opened, seconds(logNormal(r, 2.5*3600, 0.9)*agent.FRTFactor))
		target = 8 * time.Hour
	}

	reopened := chance(r, agent.ReopenRate+0.03*float64(bool2int(topic.name == "technical")))
	median := map[string]float64{"phone": 420, "chat": 600, "email": 480}[channel]
	handle := logNormal(r, median, 0.5) * agent.AHTFactor * topic.handle
	if reopened {
		handle *= 1.5
	}
	handle = math.Round(handle)

	var resolved time.Time
	switch {
	case channel != "email" && !chance(r, 0.25*topic.handle):
		resolved = first.Add(seconds(handle * 1.3)) // solved in the conversation
	default:
		resolved = agent.addWork(first, seconds(logNormal(r, 5*3600, 1.0)*math.Sqrt(agent.FRTFactor)*topic.handle))
	}
	if reopened {
		resolved = agent.addWork(resolved.Add(seconds(logNormal(r, 24*3600, 0.8))), seconds(logNormal(r, 3*3600, 0.8)))
	}

	t := cx.Ticket{
		Customer: p.ext,
		Agent:    agent.Name,
		Channel:  channel,
		OpenedAt: opened,
		Reopened: reopened && !resolved.After(g.end),
		Attributes: cx.Attributes{
			"topic":    topic.name,
			"priority": priority,
			"team":     agent.Team,
		},
	}
	if !first.After(g.end) {
		t.FirstResponseAt = &first
		t.HandleSeconds = &handle
	}
	if !resolved.After(g.end) {
		t.ResolvedAt = &resolved
	}
	rec := ticketRec{t: t}

	// How it went, as the customer feels it: the agent, the wait for a
	// first answer, the time to resolve and a reopen all count, on top of
	// the customer's mood (added in ticketSurveys).
	frtRatio := clamp(first.Sub(opened).Seconds()/target.Seconds(), 0.3, 30)
	resHours := clamp(resolved.Sub(opened).Hours()/12, 0.1, 30)
	exp := agent.Skill - 0.45*math.Log(frtRatio) - 0.25*math.Log(resHours)
	if reopened {
		exp -= 0.9
	}
	if t.ResolvedAt != nil {
		g.ticketSurveys(p, &rec, agent, topic.pain, exp, handle/median)
	}
	g.tickets = append(g.tickets, rec)
	return exp
}

// localHours is when customers open tickets, in their local time.
var localHours = []choice[int]{
	{0, 0.3}, {1, 0.2}, {2, 0.1}, {3, 0.1}, {4, 0.1}, {5, 0.2}, {6, 0.5}, {7, 1.2},
	{8, 2.5}, {9, 3.5}, {10, 3.8}, {11, 3.6}, {12, 3}, {13, 3.3}, {14, 3.5}, {15, 3.3},
	{16, 3}, {17, 2.4}, {18, 1.6}, {19, 1.3}, {20, 1.2}, {21, 1}, {22, 0.8}, {23, 0.5},
}

func bool2int(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ticketSurveys asks for CSAT after a resolved ticket (and CES of most who
// answer). exp is the ticket experience, effort the handle time relative
// to the channel's median.
func (g *generator) ticketSurveys(p *person, rec *ticketRec, agent *Agent, pain string, exp, effort float64) {
	r := g.rng
	t := &rec.t
	rate := map[string]float64{"email": 0.32, "chat": 0.42, "phone": 0.25}[t.Channel]
	via := map[string]string{"email": "email", "chat": "in_app", "phone": "sms"}[t.Channel]
	// The request goes out when the ticket is resolved.
	if !chance(r, rate) {
		if !t.ResolvedAt.After(g.end) {
			g.inviteAfterTicket(p, rec, via, -1, time.Time{})
		}
		return
	}
	at := t.ResolvedAt.Add(10*time.Minute + seconds(r.ExpFloat64()*6*3600))
	if at.After(g.end) {
		if !t.ResolvedAt.After(g.end) {
			g.inviteAfterTicket(p, rec, via, -1, time.Time{})
		}
		return
	}

	q := 0.8*p.sat + exp + 1.1 + 0.7*r.NormFloat64()
	csat := 1 + bool2int(q >= -1.3) + bool2int(q >= -0.6) + bool2int(q >= 0) + bool2int(q >= 0.8)
	attrs := func() cx.Attributes {
		return cx.Attributes{"agent": agent.Name, "ticket_channel": t.Channel, "topic": t.Attributes["topic"]}
	}
	// A negative comment after a ticket is about the service itself or
	// about what the ticket was about.
	topic := TopicSupport
	if pain != "" && chance(r, 0.4) {
		topic = pain
	}
	i := g.respond(p, surveyCSAT, at, csat, via, "support", attrs(), topic, 0.62)
	rec.responses = append(rec.responses, i)
	g.inviteAfterTicket(p, rec, via, i, at)

	if chance(r, 0.7) {
		e := 0.4*p.sat + 0.5*agent.Skill - 0.35*math.Log(clamp(effort, 0.2, 5)) + 0.5*(exp-agent.Skill) + 1.3 + 0.8*r.NormFloat64()
		if t.Reopened {
			e -= 0.6
		}
		switch t.Channel {
		case "phone":
			e += 0.2
		case "email":
			e -= 0.2
		}
		ces := 1
		for _, th := range []float64{-1.5, -0.8, -0.2, 0.3, 0.9, 1.6} {
			ces += bool2int(e >= th)
		}
		i := g.respond(p, surveyCES, at.Add(time.Duration(5+r.IntN(40))*time.Second), ces, via, "support", attrs(), topic, 0.6)
		rec.responses = append(rec.responses, i)
	}
}

// inviteAfterTicket records the CSAT request sent when rec's ticket was
// resolved (see invite); CES is asked on the same page, not invited apart.
func (g *generator) inviteAfterTicket(p *person, rec *ticketRec, via string, i int, answered time.Time) {
	g.invite(p, surveyCSAT, *rec.t.ResolvedAt, via, "support", "", i, answered)
	rec.invitations = append(rec.invitations, len(g.invitations)-1)
}
