package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
	"github.com/cxlens/cxlens/internal/report"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/value"
)

// customersPerPage is the length of a page of the customer list.
const customersPerPage = 50

// customerRow is one customer of the list.
type customerRow struct {
	Customer    cx.Customer
	LatestNPS   *int
	CLV         *float64 // predicted 12-month CLV (report.Predictions)
	PAlive      *float64
	ValueAtRisk *float64 // report.AtRisk, active customers only
}

// customersData is the Customers page.
type customersData struct {
	pageBase
	Q          string
	Sort       string
	Rows       []customerRow
	Total      int
	Page, Last int
	Reason     string // why CLV is not modelled
}

// predictions returns allPredictions over the workspace's snapshot, fitted
// once per snapshot, as of the time it was read.
func (s *Server) predictions(ctx context.Context, v *view) (map[string]value.Prediction, string, error) {
	type result struct {
		preds  map[string]value.Prediction
		reason string
	}
	r, err := s.opts.Snapshots.Memo(ctx, v.Workspace.ID, false, "web.predictions", func(d kpi.Data, at time.Time) (any, error) {
		preds, reason, err := allPredictions(d, at)
		return result{preds, reason}, err
	})
	if err != nil {
		return nil, "", err
	}
	return r.(result).preds, r.(result).reason, nil
}

// atRisk returns allAtRisk over the workspace's snapshot, once per
// snapshot, as of the time it was read.
func (s *Server) atRisk(ctx context.Context, v *view) (map[string]value.RiskEntry, error) {
	r, err := s.opts.Snapshots.Memo(ctx, v.Workspace.ID, true, "web.at_risk", func(d kpi.Data, at time.Time) (any, error) {
		return allAtRisk(d, at)
	})
	if err != nil {
		return nil, err
	}
	return r.(map[string]value.RiskEntry), nil
}

// allPredictions returns every customer's prediction of report.Predictions
// (GET /api/v1/customers/predictions) as of asOf, by external id.
func allPredictions(d kpi.Data, asOf time.Time) (map[string]value.Prediction, string, error) {
	out := map[string]value.Prediction{}
	reason := ""
	for off := 0; ; off += value.MaxLimit {
		pl, err := report.Predictions(d, report.ValueRequest{Now: asOf, AsOf: asOf, Limit: value.MaxLimit, Offset: off})
		if err != nil {
			return nil, "", err
		}
		reason = pl.Model.Reason
		for _, p := range pl.Items {
			out[p.Customer] = p
		}
		if off+value.MaxLimit >= pl.Total {
			return out, reason, nil
		}
	}
}

// allAtRisk returns every active customer's entry of report.AtRisk (GET
// /api/v1/customers/at-risk) as of asOf.
func allAtRisk(d kpi.Data, asOf time.Time) (map[string]value.RiskEntry, error) {
	out := map[string]value.RiskEntry{}
	for off := 0; ; off += value.MaxLimit {
		l, err := report.AtRisk(d, report.ValueRequest{Now: asOf, AsOf: asOf, Limit: value.MaxLimit, Offset: off})
		if err != nil {
			return nil, err
		}
		for _, e := range l.Items {
			out[e.Customer] = e
		}
		if off+value.MaxLimit >= l.Total {
			return out, nil
		}
	}
}

// npsSurveys returns the keys of the workspace's NPS surveys.
func (s *Server) npsSurveys(ctx context.Context, ws int64) (map[string]bool, error) {
	all, err := s.db.Surveys(ctx, ws)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, sv := range all {
		if sv.Kind == cx.NPS {
			out[sv.Key] = true
		}
	}
	return out, nil
}

// customers lists the customers matching q (external id, name or email),
// one page, sorted by value at risk (default), CLV or id.
func (s *Server) customers(ctx context.Context, v *view) (customersData, error) {
	q := strings.TrimSpace(v.Query.Get("q"))
	d := customersData{Q: q, Sort: v.Query.Get("sort"), Page: 1}
	if p, err := strconv.Atoi(v.Query.Get("page")); err == nil && p > 0 {
		d.Page = p
	}
	data, err := s.opts.Snapshots.Get(ctx, v.Workspace.ID)
	if err != nil {
		return d, err
	}
	nps, err := s.npsSurveys(ctx, v.Workspace.ID)
	if err != nil {
		return d, err
	}
	preds, reason, err := s.predictions(ctx, v)
	if err != nil {
		d.Err = fieldMessage(v, err)
	}
	d.Reason = reason
	risk, err := s.atRisk(ctx, v)
	if err != nil && d.Err == "" {
		d.Err = fieldMessage(v, err)
	}
	latest := map[string]cx.Response{}
	for _, r := range data.Responses {
		if r.Score != nil && nps[r.Survey] && !r.SubmittedAt.Before(latest[r.Customer].SubmittedAt) {
			latest[r.Customer] = r
		}
	}
	lq := strings.ToLower(q)
	for _, c := range data.Customers {
		if c.ErasedAt != nil {
			continue
		}
		if lq != "" && !strings.Contains(strings.ToLower(c.ExternalID+" "+c.Name+" "+c.Email), lq) {
			continue
		}
		row := customerRow{Customer: c}
		if r, ok := latest[c.ExternalID]; ok {
			row.LatestNPS = r.Score
		}
		if p, ok := preds[c.ExternalID]; ok && p.Modelled {
			row.CLV, row.PAlive = ptrTo(p.PredictedCLV), ptrTo(p.PAlive)
		}
		if e, ok := risk[c.ExternalID]; ok {
			row.ValueAtRisk = ptrTo(e.ValueAtRisk)
		}
		d.Rows = append(d.Rows, row)
	}
	key := func(r customerRow) float64 {
		p := r.ValueAtRisk
		if d.Sort == "clv" {
			p = r.CLV
		}
		if p == nil {
			return -1
		}
		return *p
	}
	if d.Sort == "id" {
		slices.SortFunc(d.Rows, func(a, b customerRow) int { return cmp.Compare(a.Customer.ExternalID, b.Customer.ExternalID) })
	} else {
		slices.SortStableFunc(d.Rows, func(a, b customerRow) int { return cmp.Compare(key(b), key(a)) })
	}
	d.Total = len(d.Rows)
	d.Last = max(1, (d.Total+customersPerPage-1)/customersPerPage)
	d.Page = min(d.Page, d.Last)
	if !wantsCSVQuery(v) {
		lo := (d.Page - 1) * customersPerPage
		d.Rows = d.Rows[lo:min(lo+customersPerPage, len(d.Rows))]
	}
	return d, nil
}

func wantsCSVQuery(v *view) bool { return v.Query.Get("format") == "csv" }

func ptrTo[T any](x T) *T { return &x }

// customersPage renders the customer list, or all matching customers as CSV.
func (s *Server) customersPage(w http.ResponseWriter, r *http.Request, v *view) {
	d, err := s.customers(r.Context(), v)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) {
		rows := make([][]string, 0, len(d.Rows))
		for _, c := range d.Rows {
			rows = append(rows, []string{c.Customer.ExternalID, c.Customer.Name, csvInt(c.LatestNPS), csvFloat(c.CLV), csvFloat(c.PAlive), csvFloat(c.ValueAtRisk)})
		}
		writeTableCSV(w, "customers", []string{"customer", "name", "latest_nps", "predicted_clv", "p_alive", "value_at_risk"}, rows)
		return
	}
	s.render(w, r, v, "customers", d)
}

// timelineItem is one entry of a customer's journey timeline.
type timelineItem struct {
	At     time.Time
	Kind   string // purchase, ticket, response, referral, loyalty_earn, case…
	Label  string
	Value  *float64
	Link   string
	Detail string
}

// customerData is a customer's profile.
type customerData struct {
	Customer   cx.Customer
	Prediction *value.Prediction
	Risk       *value.RiskEntry
	Timeline   []timelineItem
}

// customerProfile builds the profile and timeline of customer ext.
func (s *Server) customerProfile(ctx context.Context, v *view, ext string) (customerData, error) {
	d := customerData{}
	c, err := s.db.Customer(ctx, v.Workspace.ID, ext)
	if err != nil {
		return d, err
	}
	d.Customer = c
	data, err := s.opts.Snapshots.Get(ctx, v.Workspace.ID)
	if err != nil {
		return d, err
	}
	if preds, _, err := s.predictions(ctx, v); err == nil {
		if p, ok := preds[ext]; ok && p.Modelled {
			d.Prediction = &p
		}
	}
	if risk, err := s.atRisk(ctx, v); err == nil {
		if e, ok := risk[ext]; ok {
			d.Risk = &e
		}
	}
	for _, e := range data.Events {
		if e.Customer == ext {
			d.Timeline = append(d.Timeline, timelineItem{At: e.OccurredAt, Kind: string(e.Type), Label: string(e.Type), Value: ptrTo(e.Value)})
		}
	}
	for _, t := range data.Tickets {
		if t.Customer == ext {
			it := timelineItem{At: t.OpenedAt, Kind: "ticket", Label: t.Channel + " · " + t.Agent}
			if t.HandleSeconds != nil {
				it.Detail = fmtDuration(*t.HandleSeconds)
			}
			d.Timeline = append(d.Timeline, it)
		}
	}
	for _, r := range data.Responses {
		if r.Customer == ext {
			it := timelineItem{At: r.SubmittedAt, Kind: "response", Label: r.Survey, Link: "/app/responses/" + strconv.FormatInt(r.ID, 10), Detail: r.Comment}
			if r.Score != nil {
				it.Value = ptrTo(float64(*r.Score))
			}
			d.Timeline = append(d.Timeline, it)
		}
	}
	cases, err := store.All(func(cur string) (store.Page[store.Case], error) {
		return s.db.Cases(ctx, v.Workspace.ID, store.CaseFilter{Customer: ext, Cursor: cur, Limit: store.MaxLimit})
	})
	if err != nil {
		return d, err
	}
	for _, cs := range cases {
		d.Timeline = append(d.Timeline, timelineItem{At: cs.CreatedAt, Kind: "case", Label: cs.Title, Detail: cs.Status})
	}
	slices.SortStableFunc(d.Timeline, func(a, b timelineItem) int { return b.At.Compare(a.At) })
	return d, nil
}

// customerPage renders a customer's profile, or the timeline as CSV.
func (s *Server) customerPage(w http.ResponseWriter, r *http.Request, v *view) {
	d, err := s.customerProfile(r.Context(), v, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	if wantsCSV(r) {
		rows := make([][]string, 0, len(d.Timeline))
		for _, it := range d.Timeline {
			rows = append(rows, []string{it.At.UTC().Format(time.RFC3339), it.Kind, it.Label, csvFloat(it.Value), it.Detail})
		}
		writeTableCSV(w, "customer-"+d.Customer.ExternalID, []string{"at", "kind", "label", "value", "detail"}, rows)
		return
	}
	s.render(w, r, v, "customer", d)
}

// pageError shows the not-found page for a missing record, else a 500.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, v *view, err error) {
	if errorsIsNotFound(err) {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return
	}
	s.serverError(w, r, err)
}
