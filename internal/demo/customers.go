package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// country is where a customer is: region, UTC offset (hours, for when
// they open tickets) and the share of customers speaking zh or ro there;
// the rest speak English.
type country struct {
	code, region string
	weight       float64 // within the region
	utcOffset    int
	zh, ro       float64
}

// countries is the constant country table.
var countries = []country{
	{"RO", "EU", 0.38, 2, 0, 0.95},
	{"DE", "EU", 0.20, 1, 0, 0},
	{"FR", "EU", 0.14, 1, 0, 0},
	{"NL", "EU", 0.10, 1, 0, 0},
	{"IE", "EU", 0.08, 0, 0, 0},
	{"ES", "EU", 0.10, 1, 0, 0},
	{"US", "NA", 0.80, -5, 0, 0},
	{"CA", "NA", 0.20, -5, 0, 0},
	{"CN", "APAC", 0.50, 8, 1, 0},
	{"SG", "APAC", 0.15, 8, 0.4, 0},
	{"AU", "APAC", 0.20, 10, 0, 0},
	{"JP", "APAC", 0.15, 9, 0, 0},
	{"BR", "LATAM", 0.45, -3, 0, 0},
	{"MX", "LATAM", 0.35, -6, 0, 0},
	{"AR", "LATAM", 0.20, -3, 0, 0},
}

// regionWeight is the share of new customers from a region at fraction u
// of the period: APAC grows as the company expands there.
func regionWeight(region string, u float64) float64 {
	switch region {
	case "EU":
		return 0.36
	case "NA":
		return 0.33
	case "APAC":
		return 0.10 + 0.18*u
	}
	return 0.13
}

// Plans, with list MRR in USD. Enterprise MRR is negotiated (see planMRR).
const (
	planBasic      = "basic"
	planPro        = "pro"
	planEnterprise = "enterprise"
)

var planOrder = []string{planBasic, planPro, planEnterprise}

func planRank(p string) int {
	for i, q := range planOrder {
		if q == p {
			return i
		}
	}
	return 0
}

// planMRR is the monthly price of a plan; enterprise varies by seats.
func planMRR(r *rand.Rand, plan string) float64 {
	switch plan {
	case planPro:
		return 99
	case planEnterprise:
		return 399 + 100*float64(r.IntN(7))
	}
	return 29
}

// Acquisition channels.
const (
	channelOrganic  = "organic"
	channelPaid     = "paid"
	channelPartner  = "partner"
	channelReferral = "referral"
)

var industries = []choice[string]{
	{"retail", 0.22}, {"software", 0.18}, {"hospitality", 0.12}, {"healthcare", 0.1},
	{"education", 0.1}, {"finance", 0.1}, {"manufacturing", 0.1}, {"media", 0.08},
}

// companySizes by plan: bigger companies buy bigger plans.
var companySizes = map[string][]choice[string]{
	planBasic:      {{"1-10", 0.6}, {"11-50", 0.3}, {"51-200", 0.1}},
	planPro:        {{"11-50", 0.45}, {"51-200", 0.4}, {"201-1000", 0.15}},
	planEnterprise: {{"201-1000", 0.55}, {"1000+", 0.45}},
}

// Names per language, for demo people; emails use the ASCII form.
var (
	enFirst = []string{"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Emma", "Daniel", "Olivia", "Lucas", "Sophie", "Ethan", "Chloe", "Noah", "Mia", "Liam", "Grace", "Hannah", "Jack", "Laura", "Ben"}
	enLast  = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia", "Wilson", "Taylor", "Clark", "Lewis", "Walker", "Young", "King", "Wright", "Lopez", "Hill", "Green", "Baker", "Müller", "Dubois", "Jansen", "Murphy"}
	roFirst = []string{"Andrei", "Ioana", "Mihai", "Elena", "Alexandru", "Maria", "Stefan", "Ana", "Cristian", "Gabriela", "Radu", "Diana", "Florin", "Alina", "Vlad", "Simona"}
	roLast  = []string{"Popescu", "Ionescu", "Dumitru", "Stan", "Gheorghe", "Rusu", "Munteanu", "Matei", "Constantin", "Marin", "Tudor", "Dobre", "Barbu", "Nistor", "Florea", "Lazar"}
	zhGiven = [][2]string{{"伟", "Wei"}, {"芳", "Fang"}, {"娜", "Na"}, {"敏", "Min"}, {"静", "Jing"}, {"磊", "Lei"}, {"洋", "Yang"}, {"勇", "Yong"}, {"艳", "Yan"}, {"杰", "Jie"}, {"军", "Jun"}, {"涛", "Tao"}, {"明", "Ming"}, {"超", "Chao"}, {"霞", "Xia"}, {"平", "Ping"}}
	zhFam   = [][2]string{{"王", "Wang"}, {"李", "Li"}, {"张", "Zhang"}, {"刘", "Liu"}, {"陈", "Chen"}, {"杨", "Yang"}, {"黄", "Huang"}, {"赵", "Zhao"}, {"吴", "Wu"}, {"周", "Zhou"}, {"徐", "Xu"}, {"孙", "Sun"}}
	domains = []string{"example.com", "example.org", "example.net"}
)

// asciiName lowercases a Latin name for an email address.
func asciiName(s string) string {
	return strings.ToLower(strings.NewReplacer("ü", "u", " ", "").Replace(s))
}

// personName returns a display name and an email for customer n.
func personName(r *rand.Rand, lang string, n int) (name, email string) {
	var first, last, ef, el string
	switch lang {
	case "zh":
		g, f := zhGiven[r.IntN(len(zhGiven))], zhFam[r.IntN(len(zhFam))]
		name = f[0] + g[0]
		ef, el = g[1], f[1]
	case "ro":
		first, last = roFirst[r.IntN(len(roFirst))], roLast[r.IntN(len(roLast))]
		name, ef, el = first+" "+last, first, last
	default:
		first, last = enFirst[r.IntN(len(enFirst))], enLast[r.IntN(len(enLast))]
		name, ef, el = first+" "+last, first, last
	}
	email = fmt.Sprintf("%s.%s%d@%s", asciiName(ef), asciiName(el), n, domains[n%len(domains)])
	return name, email
}

// arrivals returns n signup times between start and end, sorted, growing
// exponentially (new customers per month triple over the period, ~6% a
// month for 18 months), with a dip in late December and fewer signups at
// weekends.
func arrivals(r *rand.Rand, n int, start, end time.Time) []time.Time {
	const growth = 1.0986 // ln 3
	span := end.Sub(start)
	out := make([]time.Time, 0, n)
	for len(out) < n {
		// Inverse CDF of density ∝ exp(growth·u) on [0,1].
		u := math.Log(1+r.Float64()*(math.Exp(growth)-1)) / growth
		t := start.Add(time.Duration(u * float64(span))).Truncate(time.Second)
		if t.Month() == time.December && t.Day() >= 20 && chance(r, 0.5) {
			continue
		}
		if wd := t.Weekday(); (wd == time.Saturday || wd == time.Sunday) && chance(r, 0.55) {
			continue
		}
		out = append(out, t)
	}
	sortTimes(out)
	return out
}

// newPerson draws a customer's traits. ref is the referrer, or nil.
func (g *generator) newPerson(n int, at time.Time, ref *person) *person {
	r := g.rng
	p := &person{idx: n, ext: fmt.Sprintf("C%05d", n+1), start: at}
	u := at.Sub(g.start).Seconds() / g.end.Sub(g.start).Seconds()

	if ref != nil && chance(r, 0.75) {
		p.country = ref.country // people refer people near them
	} else {
		w := make([]float64, len(countries))
		for i, c := range countries {
			w[i] = c.weight * regionWeight(c.region, u)
		}
		p.country = countries[weighted(r, w)]
	}
	p.language = "en"
	switch {
	case chance(r, p.country.zh):
		p.language = "zh"
	case chance(r, p.country.ro):
		p.language = "ro"
	}

	switch {
	case ref != nil:
		p.channel = channelReferral
		p.referredBy = ref.ext
	default:
		p.channel = choose(r, []choice[string]{{channelOrganic, 0.42}, {channelPaid, 0.38}, {channelPartner, 0.20}})
	}
	planW := []choice[string]{{planBasic, 0.58}, {planPro, 0.32}, {planEnterprise, 0.10}}
	switch p.channel {
	case channelPartner:
		planW = []choice[string]{{planBasic, 0.3}, {planPro, 0.4}, {planEnterprise, 0.3}}
	case channelPaid:
		planW = []choice[string]{{planBasic, 0.7}, {planPro, 0.25}, {planEnterprise, 0.05}}
	}
	if ref != nil && chance(r, 0.5) {
		p.plan = ref.plan
	} else {
		p.plan = choose(r, planW)
	}
	p.mrr = planMRR(r, p.plan)
	p.industry = choose(r, industries)
	p.size = choose(r, companySizes[p.plan])

	// Latent satisfaction: referred customers arrive warmer (and like
	// their referrer), paid ones cooler; enterprise gets a CSM.
	base := 0.85 * r.NormFloat64()
	switch p.channel {
	case channelReferral:
		base += 0.35 + 0.25*ref.sat
	case channelPaid:
		base -= 0.15
	case channelPartner:
		base += 0.1
	}
	if p.plan == planEnterprise {
		base += 0.1
	}
	p.base, p.sat = base, base
	p.pain = choose(r, []choice[string]{{TopicDelivery, 0.35}, {TopicProduct, 0.3}, {TopicBooking, 0.15}, {TopicSupport, 0.2}})
	p.name, p.email = personName(r, p.language, n+1)
	return p
}

// customer returns the cx.Customer of a simulated person, with the plan
// they are on at the end of the data.
func (p *person) customer() cx.Customer {
	attrs := cx.Attributes{
		"plan":             p.plan,
		"signup_plan":      p.signupPlan,
		"region":           p.country.region,
		"country":          p.country.code,
		"language":         p.language,
		"channel":          p.channel,
		"industry":         p.industry,
		"company_size":     p.size,
		"mrr":              p.mrr,
		"acquisition_date": p.start.Format(time.DateOnly),
	}
	if p.referredBy != "" {
		attrs["referred_by"] = p.referredBy
	}
	c := cx.Customer{
		ExternalID: p.ext,
		Email:      p.email,
		Name:       p.name,
		Attributes: attrs,
		FirstSeen:  p.start,
	}
	if !p.active {
		t := p.churnedAt
		c.ChurnedAt = &t
		c.Attributes["mrr"] = 0.0
	}
	return c
}

// byPlan returns the value for plan: basic, pro or enterprise.
func byPlan(plan string, basic, pro, enterprise float64) float64 {
	switch plan {
	case planPro:
		return pro
	case planEnterprise:
		return enterprise
	}
	return basic
}
