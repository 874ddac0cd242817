package demo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// Generate makes a demo data set. It is deterministic: the same Options
// (with Now set) give byte-identical data. Zero options take defaults;
// out-of-range ones are clamped (see Options.Validate).
//
// Customers sign up over Months months on a growth curve. Each has a
// latent satisfaction that drifts week by week and is hurt by bad support
// tickets; it sets their survey scores and the tone of their comments,
// how much they buy, upgrade, refer and redeem, and how likely they are to
// churn. Referred customers name their referrer, who gets a referral event.
func Generate(opts Options) Dataset {
	opts = opts.withDefaults()
	comments, err := LoadCorpus()
	if err != nil {
		panic(err) // the corpus is embedded: a broken one is a build bug, and tests catch it
	}
	seed := uint64(opts.Seed)
	g := &generator{
		rng:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		ratings:  rand.New(rand.NewPCG(seed^0x5bd1e995, seed+0x2545f4914f6cdd1d)),
		start:    opts.Now.AddDate(0, -opts.Months, 0),
		end:      opts.Now,
		agents:   roster(),
		queues:   map[string][]int{},
		comments: newCommentPicker(comments),
	}
	for i, a := range g.agents {
		q := a.Language
		if a.Team == "tier2" {
			q = "tier2"
		}
		g.queues[q] = append(g.queues[q], i)
	}
	g.run(opts.Customers)
	return g.dataset(opts.WorkspaceName)
}

// generator holds the state of one Generate call.
type generator struct {
	rng        *rand.Rand
	ratings    *rand.Rand // the driver ratings' own stream, so adding them changed nothing else
	start, end time.Time
	agents     []Agent
	queues     map[string][]int // agent indexes by queue: en, ro, zh, tier2
	comments   *commentPicker

	people      []*person
	events      []cx.Event
	tickets     []ticketRec
	responses   []cx.Response
	invitations []Invitation
}

// run creates n customers in signup order and lives each one's life.
func (g *generator) run(n int) {
	r := g.rng
	span := g.end.Sub(g.start).Seconds()
	for i, at := range arrivals(r, n, g.start, g.end) {
		// Word of mouth grows with the customer base: 5% of signups at
		// the start are referred, 20% at the end.
		var ref *person
		var referredAt time.Time
		if u := at.Sub(g.start).Seconds() / span; chance(r, 0.05+0.15*u) {
			referredAt = at.Add(-seconds(r.Float64() * 3 * 86400))
			ref = g.pickReferrer(referredAt)
		}
		p := g.newPerson(i, at, ref)
		if ref != nil {
			g.referral(ref, p, referredAt)
		}
		g.live(p)
		g.people = append(g.people, p)
	}
}

// pickReferrer picks who referred a customer at time at: an active
// customer of at least two weeks, far more likely a happy one (weight
// e^(1.5·satisfaction): a promoter refers ~20 times as often as a
// detractor). Nil when nobody qualifies.
//
// It samples by rejection (uniform proposals accepted with probability
// weight/maxWeight), so a pick costs O(1) expected instead of a pass over
// every customer.
func (g *generator) pickReferrer(at time.Time) *person {
	const maxSat = 3.0
	maxWeight := math.Exp(1.5 * maxSat)
	if len(g.people) == 0 {
		return nil
	}
	for range 5000 {
		q := g.people[g.rng.IntN(len(g.people))]
		if at.Sub(q.start) < 14*24*time.Hour || !q.activeAt(at) {
			continue
		}
		if w := math.Exp(1.5 * math.Min(q.satAt(at), maxSat)); g.rng.Float64()*maxWeight < w {
			return q
		}
	}
	return nil
}

// referral records that ref referred p: a referral event naming p, and
// bonus points.
func (g *generator) referral(ref, p *person, at time.Time) {
	g.event(ref, cx.Referral, at, 0, cx.Attributes{"referred": p.ext})
	g.event(ref, cx.LoyaltyEarn, at, 500, cx.Attributes{"reason": "referral", "referred": p.ext})
	ref.balance += 500
}

// event records an event; money events are in USD.
func (g *generator) event(p *person, typ cx.EventType, at time.Time, value float64, attrs cx.Attributes) {
	e := cx.Event{Customer: p.ext, Type: typ, OccurredAt: at, Value: value, Attributes: attrs}
	switch typ {
	case cx.Purchase, cx.Refund, cx.SubscriptionChange:
		e.Currency = "USD"
	}
	g.events = append(g.events, e)
}

// dataset assembles the output in time order, numbering tickets by when
// they were opened.
func (g *generator) dataset(name string) Dataset {
	ds := Dataset{
		Workspace: cx.Workspace{Name: name, TimeZone: "UTC"},
		Surveys:   surveys(),
		Agents:    g.agents,
		Start:     g.start,
		End:       g.end,
	}
	for _, p := range g.people {
		ds.Customers = append(ds.Customers, p.customer())
	}
	slices.SortStableFunc(g.tickets, func(a, b ticketRec) int { return a.t.OpenedAt.Compare(b.t.OpenedAt) })
	ds.Tickets = make([]cx.Ticket, len(g.tickets))
	for i, rec := range g.tickets {
		rec.t.ExternalID = fmt.Sprintf("T-%06d", i+1)
		ds.Tickets[i] = rec.t
		for _, j := range rec.responses {
			g.responses[j].Attributes["ticket"] = rec.t.ExternalID
		}
		for _, j := range rec.invitations {
			g.invitations[j].TouchpointRef = rec.t.ExternalID
		}
	}
	slices.SortStableFunc(g.events, func(a, b cx.Event) int { return a.OccurredAt.Compare(b.OccurredAt) })
	// Responses in time order; the invitations' indexes follow them.
	order := make([]int, len(g.responses))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		a, b := g.responses[i], g.responses[j]
		return cmp.Or(a.SubmittedAt.Compare(b.SubmittedAt), cmp.Compare(a.Survey, b.Survey))
	})
	moved := make([]int, len(order))
	ds.Responses = make([]cx.Response, len(order))
	for to, from := range order {
		ds.Responses[to], moved[from] = g.responses[from], to
	}
	for i := range g.invitations {
		if r := g.invitations[i].Response; r >= 0 {
			g.invitations[i].Response = moved[r]
		}
	}
	slices.SortStableFunc(g.invitations, func(a, b Invitation) int { return a.CreatedAt.Compare(b.CreatedAt) })
	ds.Events, ds.Invitations = g.events, g.invitations
	return ds
}

func sortTimes(ts []time.Time) {
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
}
