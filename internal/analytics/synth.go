package analytics

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// Synthetic is a Source of generated responses for benchmarks (bench/query
// and the Go benchmarks): N responses to 5 NPS surveys over the 3 years
// before End, ascending in time with the id, from Customers customers, with
// the attributes of SyntheticAttributes. Scores depend on the agent and the
// plan, so segments differ. The same Seed gives the same rows.
type Synthetic struct {
	N         int
	Customers int
	Seed      uint64
	End       time.Time
}

// SyntheticAttr is one generated attribute: its index name and values.
type SyntheticAttr struct {
	Name   string
	Values []string
}

// SyntheticAttributes are the 8 generated attributes (3–200 values): three
// customer attributes, derived from the customer, and five response
// attributes. "agent" is the 200-value one.
var SyntheticAttributes = []SyntheticAttr{
	{"customer.plan", values("plan", 3)},
	{"customer.region", values("region", 8)},
	{"customer.segment", values("segment", 5)},
	{"agent", values("agent", 200)},
	{"product", values("product", 50)},
	{"country", values("country", 30)},
	{"device", values("device", 4)},
	{"campaign", values("campaign", 20)},
}

// Built-in values of the synthetic responses.
var (
	syntheticLanguages   = []string{"en", "zh", "ro"}
	syntheticChannels    = values("channel", 4)
	syntheticTouchpoints = values("touchpoint", 6)
)

func values(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%03d", prefix, i)
	}
	return out
}

// SyntheticSurveys are the 5 generated NPS surveys, ids 1–5.
func SyntheticSurveys() []cx.Survey {
	out := make([]cx.Survey, 5)
	for i := range out {
		out[i] = cx.Survey{ID: int64(i + 1), Key: fmt.Sprintf("nps-%d", i+1), Name: fmt.Sprintf("NPS %d", i+1),
			Kind: cx.NPS, ScaleMin: 0, ScaleMax: 10}
	}
	return out
}

// Workspace returns a UTC workspace.
func (s *Synthetic) Workspace(_ context.Context, id int64) (cx.Workspace, error) {
	return cx.Workspace{ID: id, Name: "synthetic", TimeZone: "UTC"}, nil
}

// Surveys returns SyntheticSurveys.
func (s *Synthetic) Surveys(context.Context, int64) ([]cx.Survey, error) {
	return SyntheticSurveys(), nil
}

// CustomerAttributes returns the attributes of customer id (1-based).
func (s *Synthetic) CustomerAttributes(id int64) cx.Attributes {
	a := cx.Attributes{}
	s.customerAttrs(id, a)
	return a
}

func (s *Synthetic) customerAttrs(id int64, a cx.Attributes) {
	h := uint64(id)*0x9E3779B97F4A7C15 ^ s.Seed
	for _, at := range SyntheticAttributes[:3] {
		h ^= h >> 29
		h *= 0xBF58476D1CE4E5B9
		a[at.Name[len(CustomerPrefix):]] = at.Values[h%uint64(len(at.Values))]
	}
}

// ScanResponses generates the responses after afterID. The attribute maps
// passed to fn are reused: fn must not keep them.
func (s *Synthetic) ScanResponses(ctx context.Context, _, afterID int64, fn func(store.ResponseRow) error) error {
	rng := rand.New(rand.NewPCG(s.Seed, 1))
	start := s.End.AddDate(-3, 0, 0).Unix()
	span := s.End.Unix() - start
	attrs, cattrs := cx.Attributes{}, cx.Attributes{}
	customers := max(s.Customers, 1)
	for i := range s.N {
		// Draw every value even for skipped rows so ids keep their data.
		r := store.ResponseRow{
			ID:         int64(i + 1),
			SurveyID:   int64(1 + rng.IntN(5)),
			CustomerID: int64(1 + rng.IntN(customers)),
			SubmittedAt: time.Unix(start+span*int64(i)/int64(max(s.N, 1))+rng.Int64N(3600), 0).UTC().
				Add(-30 * time.Minute),
			Language:   syntheticLanguages[rng.IntN(len(syntheticLanguages))],
			Channel:    syntheticChannels[rng.IntN(len(syntheticChannels))],
			Touchpoint: syntheticTouchpoints[rng.IntN(len(syntheticTouchpoints))],
		}
		agent := rng.IntN(200)
		for _, at := range SyntheticAttributes[3:] {
			if at.Name == "agent" {
				attrs[at.Name] = at.Values[agent]
				continue
			}
			attrs[at.Name] = at.Values[rng.IntN(len(at.Values))]
		}
		s.customerAttrs(r.CustomerID, cattrs)
		// NPS-like mix: better agents (low numbers) and paying plans score
		// higher.
		u := rng.Float64() + float64(200-agent)/1000
		if cattrs["plan"] != "plan-000" {
			u += 0.05
		}
		switch {
		case u > 0.62:
			r.Score = 9 + rng.IntN(2)
		case u > 0.35:
			r.Score = 7 + rng.IntN(2)
		default:
			r.Score = rng.IntN(7)
		}
		if r.ID <= afterID {
			continue
		}
		r.Attributes, r.CustomerAttributes = attrs, cattrs
		if err := fn(r); err != nil {
			return err
		}
		if i%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// ResponseRows is not supported: synthetic rows are only scanned.
func (s *Synthetic) ResponseRows(context.Context, int64, []int64) ([]store.ResponseRow, error) {
	return nil, errors.New("analytics: synthetic source: rows by id are not supported")
}

// FilteredBundle is the filtered bundle of issue 4's benchmark: one survey, the last 365
// days, two filters; NPS with CI, 52-week trend, top 20 agents.
func FilteredBundle(end time.Time) Query {
	return Query{Survey: "nps-1", From: end.AddDate(-1, 0, 0), To: end, Interval: Week, GroupBy: "agent", TopN: 20,
		Filters: []Filter{{Attr: "customer.plan", Values: []string{"plan-001", "plan-002"}}, {Attr: "device", Values: []string{"device-000", "device-001"}}}}
}

// WideBundle is the wide bundle of issue 4's benchmark: every response; NPS with CI,
// weekly trend over 3 years, all 200 agents.
func WideBundle() Query {
	return Query{Kind: cx.NPS, Interval: Week, GroupBy: "agent"}
}
