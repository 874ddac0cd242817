// Package demo generates a realistic, internally consistent demo data set
// for cxlens (customers, events, support tickets and survey responses with
// real review texts) and loads it into a store.
//
// Generate is pure and deterministic: the same Options give byte-identical
// data. Every customer carries a latent satisfaction that drives both what
// they say (NPS, CSAT and CES scores, the tone of their comments) and what
// they do (spend, refer, churn, come back), and support experiences feed
// back into it, so the relationships cxlens measures are visible in the
// data. Create writes a generated data set into a new workspace.
package demo

import (
	"fmt"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// Defaults and limits of Options.
const (
	DefaultSeed          = 1
	DefaultCustomers     = 5000
	DefaultMonths        = 18
	DefaultWorkspaceName = "Demo"
	MaxCustomers         = 200000
	MaxMonths            = 120
)

// Options says what to generate. Zero fields take their defaults.
type Options struct {
	// Seed makes the data reproducible (default 1; 0 means 1).
	Seed int64
	// Customers is how many customers to create (default 5000).
	Customers int
	// Months is how far back the data reaches (default 18).
	Months int
	// Now is the end of the data (default time.Now().UTC()). The store
	// rejects data more than a day in its future.
	Now time.Time
	// WorkspaceName names the workspace Create makes (default "Demo").
	WorkspaceName string
}

// withDefaults fills in zero fields, clamps out-of-range ones and rounds
// Now down to the second so generated times are exact in the store.
func (o Options) withDefaults() Options {
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Customers <= 0 {
		o.Customers = DefaultCustomers
	}
	o.Customers = min(o.Customers, MaxCustomers)
	if o.Months <= 0 {
		o.Months = DefaultMonths
	}
	o.Months = min(o.Months, MaxMonths)
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Now = o.Now.UTC().Truncate(time.Second)
	if o.WorkspaceName == "" {
		o.WorkspaceName = DefaultWorkspaceName
	}
	return o
}

// Validate reports out-of-range options; Generate clamps them instead.
func (o Options) Validate() error {
	var fields []cx.FieldError
	if o.Customers < 0 || o.Customers > MaxCustomers {
		fields = append(fields, cx.FieldError{Field: "customers", Reason: fmt.Sprintf("must be 0–%d (0 means %d)", MaxCustomers, DefaultCustomers)})
	}
	if o.Months < 0 || o.Months > MaxMonths {
		fields = append(fields, cx.FieldError{Field: "months", Reason: fmt.Sprintf("must be 0–%d (0 means %d)", MaxMonths, DefaultMonths)})
	}
	if len(o.WorkspaceName) > cx.MaxShortText {
		fields = append(fields, cx.FieldError{Field: "workspace_name", Reason: "longer than 256 bytes"})
	}
	if len(fields) > 0 {
		return &cx.ValidationError{Fields: fields}
	}
	return nil
}

// Dataset is everything Generate makes, in the order Load writes it:
// customers by first_seen, events, tickets and responses by time.
type Dataset struct {
	Workspace cx.Workspace  `json:"workspace"`
	Surveys   []cx.Survey   `json:"surveys"`
	Customers []cx.Customer `json:"customers"`
	Events    []cx.Event    `json:"events"`
	Tickets   []cx.Ticket   `json:"tickets"`
	Responses []cx.Response `json:"responses"`
	// Invitations are the survey requests sent, answered or not; the
	// response rate is answered / sent.
	Invitations []Invitation `json:"invitations"`
	// Agents are the support agents who handle the tickets, with the
	// traits the generator gave them (the ground truth behind their KPIs).
	Agents []Agent `json:"agents"`
	// Start and End bound the data: End is Options.Now.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Invitation is a survey request of the demo's send history: Response is
// the index in Dataset.Responses of the answer it got, or −1.
type Invitation struct {
	cx.Invitation
	Response int `json:"response"`
}

// Summary counts what a data set holds, or what Load wrote.
type Summary struct {
	Customers   int                  `json:"customers"`
	Events      map[cx.EventType]int `json:"events"`
	Tickets     int                  `json:"tickets"`
	Responses   map[string]int       `json:"responses"` // by survey key
	Invitations int                  `json:"invitations"`
	Surveys     int                  `json:"surveys"`
	Agents      int                  `json:"agents"` // distinct agents on tickets
}

// Summary counts the data set's items.
func (d Dataset) Summary() Summary {
	s := Summary{
		Customers:   len(d.Customers),
		Events:      map[cx.EventType]int{},
		Tickets:     len(d.Tickets),
		Responses:   map[string]int{},
		Invitations: len(d.Invitations),
		Surveys:     len(d.Surveys),
		Agents:      countAgents(d.Tickets),
	}
	for _, e := range d.Events {
		s.Events[e.Type]++
	}
	for _, r := range d.Responses {
		s.Responses[r.Survey]++
	}
	return s
}

// TotalEvents sums the events of every type.
func (s Summary) TotalEvents() int {
	n := 0
	for _, v := range s.Events {
		n += v
	}
	return n
}

// TotalResponses sums the responses of every survey.
func (s Summary) TotalResponses() int {
	n := 0
	for _, v := range s.Responses {
		n += v
	}
	return n
}

func countAgents(ts []cx.Ticket) int {
	seen := map[string]bool{}
	for _, t := range ts {
		if t.Agent != "" {
			seen[t.Agent] = true
		}
	}
	return len(seen)
}
