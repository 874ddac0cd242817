package kpi

import (
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// helpdeskRow is one event of testdata/helpdesk.csv.gz (see SOURCE.md).
type helpdeskRow struct{ caseID, activity, resource, stamp string }

func readHelpdesk(t *testing.T) []helpdeskRow {
	t.Helper()
	f, err := os.Open("testdata/helpdesk.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(zr).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 21349 || recs[0][0] != "Case ID" {
		t.Fatalf("helpdesk.csv.gz: %d lines, header %v", len(recs), recs[0])
	}
	rows := make([]helpdeskRow, 0, len(recs)-1)
	for _, r := range recs[1:] {
		rows = append(rows, helpdeskRow{r[0], r[1], r[2], r[3]})
	}
	return rows
}

// helpdeskTickets maps each case to a cx.Ticket with the time package: the
// way an importer would.
func helpdeskTickets(t *testing.T, rows []helpdeskRow) []cx.Ticket {
	t.Helper()
	var out []cx.Ticket
	idx := map[string]int{}
	for _, r := range rows {
		ts, err := time.Parse("2006/01/02 15:04:05.000", r.stamp)
		if err != nil {
			t.Fatal(err)
		}
		i, ok := idx[r.caseID]
		if !ok {
			i = len(out)
			idx[r.caseID] = i
			out = append(out, cx.Ticket{ExternalID: r.caseID, Customer: r.caseID, OpenedAt: ts})
		}
		tk := &out[i]
		switch {
		case r.activity == "Take in charge ticket" && tk.FirstResponseAt == nil:
			tk.FirstResponseAt, tk.Agent = ptr(ts), r.resource
		case r.activity == "Resolve ticket" && tk.ResolvedAt == nil:
			tk.ResolvedAt = ptr(ts)
		}
	}
	return out
}

// civilSeconds converts "YYYY/MM/DD hh:mm:ss.000" to seconds since
// 1970-01-01 without the time package, by H. Hinnant's days_from_civil
// (http://howardhinnant.github.io/date_algorithms.html).
func civilSeconds(s string) int64 {
	var y, m, d, hh, mm, ss, ms int64
	if n, _ := fmt.Sscanf(s, "%d/%d/%d %d:%d:%d.%d", &y, &m, &d, &hh, &mm, &ss, &ms); n != 7 {
		panic("bad timestamp " + s)
	}
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	days := era*146097 + doe - 719468
	return days*86400 + hh*3600 + mm*60 + ss
}

// orderStat returns the k-th smallest value (1-based) by counting ranks,
// without sorting: v is the k-th when #{x < v} < k ≤ #{x ≤ v}.
func orderStat(xs []int64, k int) int64 {
	for _, v := range xs {
		lt, le := 0, 0
		for _, x := range xs {
			if x < v {
				lt++
			}
			if x <= v {
				le++
			}
		}
		if lt < k && k <= le {
			return v
		}
	}
	panic("no order statistic")
}

// type7 is Hyndman & Fan's definition 7 in its 1-based form:
// h = (n − 1)p + 1, Q = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎).
func type7(xs []int64, p float64) float64 {
	h := float64(len(xs)-1)*p + 1
	j := int(math.Floor(h))
	lo := float64(orderStat(xs, j))
	if j == len(xs) {
		return lo
	}
	return lo + (h-float64(j))*(float64(orderStat(xs, j+1))-lo)
}

// TestHelpdeskEvaluation computes FRT and resolution time on the real
// help-desk log, overall and per agent, and checks them against (1) the
// statistics published in the data's SOURCE.md and (2) the same figures
// computed here from the raw rows with integer seconds, a calendar
// algorithm instead of the time package, and rank counting instead of
// sorting.
func TestHelpdeskEvaluation(t *testing.T) {
	t.Parallel()
	rows := readHelpdesk(t)
	tickets := helpdeskTickets(t, rows)
	all := []Period{{Start: at(2010, 1, 1), End: at(2015, 1, 1)}}
	opt := SupportOptions{SLA: 24 * time.Hour}

	r := Support(tickets, all[0], opt)
	if r.Tickets != 4580 || r.FRT.N != 4285 || r.Unanswered != 295 || r.Resolution.N != 4569 {
		t.Fatalf("tickets %d, FRT n %d, unanswered %d, resolved %d; SOURCE.md: 4580, 4285, 295, 4569",
			r.Tickets, r.FRT.N, r.Unanswered, r.Resolution.N)
	}
	// SOURCE.md: median 16.3897 h (59,003 s), mean 97.5941 h, p90 351.7431 h,
	// 57.29 % within 24 h; resolution median 143.5933 h.
	near(t, "FRT median s", r.FRT.Median, 59003, 0)
	near(t, "FRT mean h", r.FRT.Mean/3600, 97.5941, 0.00005)
	near(t, "FRT p90 h", r.FRT.P90/3600, 351.7431, 0.00005)
	near(t, "within 24 h %", 100*r.WithinSLA.Value, 57.29, 0.005)
	near(t, "resolution median h", r.Resolution.Median/3600, 143.5933, 0.00005)

	// Independent per-agent figures from the raw rows.
	type acc struct {
		open, frt, res int64
		agent          string
		hasFRT, hasRes bool
	}
	cases := map[string]*acc{}
	for _, row := range rows {
		s := civilSeconds(row.stamp)
		c := cases[row.caseID]
		if c == nil {
			c = &acc{open: s}
			cases[row.caseID] = c
		}
		if row.activity == "Take in charge ticket" && !c.hasFRT {
			c.frt, c.agent, c.hasFRT = s-c.open, row.resource, true
		}
		if row.activity == "Resolve ticket" && !c.hasRes {
			c.res, c.hasRes = s-c.open, true
		}
	}
	frt, res := map[string][]int64{}, map[string][]int64{}
	for _, c := range cases {
		if c.hasFRT {
			frt[c.agent] = append(frt[c.agent], c.frt)
		}
		if c.hasRes {
			res[c.agent] = append(res[c.agent], c.res)
		}
	}
	cells := SupportBy(tickets, all, ByAgent, opt)
	if len(cells) != len(res) {
		t.Errorf("%d agent groups, want %d", len(cells), len(res))
	}
	for _, cell := range cells {
		a, got := cell.Segment, cell.Result
		if got.FRT.N != len(frt[a]) || got.Resolution.N != len(res[a]) {
			t.Errorf("agent %q: n FRT %d, resolution %d; want %d, %d", a, got.FRT.N, got.Resolution.N, len(frt[a]), len(res[a]))
			continue
		}
		if len(frt[a]) > 0 {
			near(t, a+" FRT median", got.FRT.Median, type7(frt[a], 0.5), 1e-6)
			near(t, a+" FRT p90", got.FRT.P90, type7(frt[a], 0.9), 1e-6)
		}
		if len(res[a]) > 0 {
			near(t, a+" resolution median", got.Resolution.Median, type7(res[a], 0.5), 1e-6)
			near(t, a+" resolution p90", got.Resolution.P90, type7(res[a], 0.9), 1e-6)
		}
	}

	// Per-agent FRT outliers on the real log, for the record (go test -v).
	for _, c := range Outliers(tickets, nil, all[0], OutlierOptions{MinN: 20}).Comparisons {
		if c.Outlier {
			t.Logf("FRT outlier %-9s n %4d  geo-mean %8.0f s vs %8.0f s  ×%.2f [%.2f, %.2f]  d %+.2f  adj p %.2g",
				c.Agent, c.N, c.Mean, c.RestMean, c.Effect, c.EffectCI.Lower, c.EffectCI.Upper, c.D, c.AdjustedP)
		}
	}
}
