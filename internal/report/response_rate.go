package report

import (
	"context"
	"fmt"
	"time"

	"github.com/cxlens/cxlens/internal/store"
	"math"
	"sort"
	"strconv"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
)

// MetricResponseRate is the share of sent invitations that were answered.
const MetricResponseRate = "response_rate"

// ResponseRateDefinition says how the response rate is computed.
const ResponseRateDefinition = "Response rate = invitations answered (a score given) / invitations sent, as a fraction (0.25 is 25%), " +
	"over invitations created in [from, to), with a 95% Wilson interval; null with a reason when nothing was sent."

// maxRateHalfWidth is the widest readable interval half-width (10 points).
const maxRateHalfWidth = 0.10

// InvitationCount is one group's invitations: sent and answered.
type InvitationCount struct {
	Channel, Language string
	Sent, Answered    int64
}

// ResponseRateRow is the rate of one group.
type ResponseRateRow struct {
	Group    string `json:"group"`
	Sent     int64  `json:"sent"`
	Answered int64  `json:"answered"`
	Figure
}

// ResponseRateReport is the response rate overall and per group, with the
// same top-level fields as every metric (value, n, ci_low, ci_high).
type ResponseRateReport struct {
	Metric     string `json:"metric"`
	Definition string `json:"definition"`
	Survey     string `json:"survey,omitempty"`
	From       string `json:"from,omitempty"`
	To         string `json:"to,omitempty"`
	GroupBy    string `json:"group_by,omitempty"`
	Sent       int64  `json:"sent"`
	Answered   int64  `json:"answered"`
	Figure
	Groups []ResponseRateRow `json:"groups,omitempty"`
}

// ResponseRate computes the rate from invitation counts, grouped by
// groupBy ("", "channel" or "language").
func ResponseRate(counts []InvitationCount, groupBy string) (ResponseRateReport, error) {
	switch groupBy {
	case "", "channel", "language":
	default:
		return ResponseRateReport{}, cx.Invalid("group_by", "response_rate groups by channel or language")
	}
	out := ResponseRateReport{Metric: MetricResponseRate, Definition: ResponseRateDefinition, GroupBy: groupBy}
	groups := map[string]*ResponseRateRow{}
	for _, c := range counts {
		out.Sent += c.Sent
		out.Answered += c.Answered
		if groupBy == "" {
			continue
		}
		k := c.Channel
		if groupBy == "language" {
			k = c.Language
		}
		g := groups[k]
		if g == nil {
			g = &ResponseRateRow{Group: k}
			groups[k] = g
		}
		g.Sent += c.Sent
		g.Answered += c.Answered
	}
	out.Figure = rateFigure(out.Answered, out.Sent)
	for _, g := range groups {
		g.Figure = rateFigure(g.Answered, g.Sent)
		out.Groups = append(out.Groups, *g)
	}
	sort.Slice(out.Groups, func(i, j int) bool {
		if out.Groups[i].Sent != out.Groups[j].Sent {
			return out.Groups[i].Sent > out.Groups[j].Sent
		}
		return out.Groups[i].Group < out.Groups[j].Group
	})
	return out, nil
}

// rateFigure is answered/sent with its Wilson interval
// (metrics.WilsonInterval; Wilson 1927). Zero sent is no data, not 0%.
func rateFigure(answered, sent int64) Figure {
	f := Figure{N: int(sent)}
	if sent <= 0 {
		f.Reason = "no invitations sent in the range"
		return f
	}
	// An invitation answered through its link without being emailed (an
	// anonymous page) does not count; cap at sent all the same.
	answered = min(answered, sent)
	v := float64(answered) / float64(sent)
	iv := metrics.WilsonInterval(answered, sent, metrics.DefaultLevel)
	f.Value, f.CILow, f.CIHigh = ptr(v), ptr(iv.Lower), ptr(iv.Upper)
	f.Readable = (iv.Upper-iv.Lower)/2 <= maxRateHalfWidth+1e-12
	if !f.Readable {
		f.Reason = "too few invitations to read: the interval is wider than ±" + formatPoints(maxRateHalfWidth)
	}
	return f
}

func formatPoints(v float64) string { return strconv.Itoa(int(math.Round(v*100))) + " points" }

// LoadResponseRate computes the response rate of workspace ws's
// invitations to survey (empty: every survey) created in [from, to) (zero
// times: unbounded), grouped by groupBy.
func LoadResponseRate(ctx context.Context, db *store.DB, ws int64, survey, groupBy string, from, to time.Time) (ResponseRateReport, error) {
	rows, err := db.Funnel(ctx, ws, survey, from, to)
	if err != nil {
		return ResponseRateReport{}, fmt.Errorf("report: response rate: %w", err)
	}
	counts := make([]InvitationCount, len(rows))
	for i, f := range rows {
		counts[i] = InvitationCount{Channel: f.Channel, Language: f.Language, Sent: f.Sent, Answered: f.Answered}
	}
	out, err := ResponseRate(counts, groupBy)
	if err != nil {
		return out, err
	}
	out.Survey = survey
	if !from.IsZero() {
		out.From = from.Format(time.RFC3339)
	}
	if !to.IsZero() {
		out.To = to.Format(time.RFC3339)
	}
	return out, nil
}
