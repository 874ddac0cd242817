package web

// The Alerts & cases inbox: cases (open first) with filters in the URL,
// a case's detail with its customer, triggering response and notes, the
// changes an agent makes (status, owner, resolution, close with
// re-survey), the recent alerts, the alert rules and the case metrics of
// store.CaseMetrics (as GET /api/v1/cases/metrics).

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/alert"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// casesPerPage is the length of a page of the inbox.
const casesPerPage = 25

// maxInboxCases bounds the cases one inbox request reads.
const maxInboxCases = 20_000

// recentAlerts is how many of the latest alerts the inbox shows.
const recentAlerts = 20

// alertsData is the inbox.
type alertsData struct {
	Err                    string
	Status, Owner, Overdue string
	Statuses               []string
	Cases                  []store.Case
	Total, Page, Last      int
	Alerts                 []store.Alert
	Rules                  []alert.Rule
	RuleNames              map[int64]string
	Metrics                alert.CaseMetrics
	Surveys                []cx.Survey
	Table                  string // ?table= for CSV: cases, alerts or rules
}

// caseStatuses are the statuses in inbox order.
var caseStatuses = []string{store.CaseOpen, store.CaseInProgress, store.CaseWaiting, store.CaseClosed}

// inbox reads the inbox: every case matching the filters, not-closed ones
// first (oldest due first), then one page of them.
func (s *Server) inbox(ctx context.Context, v *view) (alertsData, error) {
	q := v.Query
	d := alertsData{Status: q.Get("status"), Owner: strings.TrimSpace(q.Get("owner")), Overdue: q.Get("overdue"), Statuses: caseStatuses, Page: 1, Table: q.Get("table")}
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 0 {
		d.Page = p
	}
	if d.Status != "" && !slices.Contains(caseStatuses, d.Status) {
		d.Err = fieldMessage(v, cx.Invalid("status", "must be open, in_progress, waiting or closed"))
		d.Status = ""
	}
	f := store.CaseFilter{Status: d.Status, Owner: d.Owner, Overdue: d.Overdue == "1" || d.Overdue == "true", Now: v.Now, Limit: store.MaxLimit}
	for {
		p, err := s.db.Cases(ctx, v.Workspace.ID, f)
		if err != nil {
			return d, err
		}
		d.Cases = append(d.Cases, p.Items...)
		if p.NextCursor == "" || len(d.Cases) >= maxInboxCases {
			break
		}
		f.Cursor = p.NextCursor
	}
	slices.SortStableFunc(d.Cases, func(a, b store.Case) int {
		if (a.Status == store.CaseClosed) != (b.Status == store.CaseClosed) {
			if a.Status == store.CaseClosed {
				return 1
			}
			return -1
		}
		if a.Status != store.CaseClosed {
			switch {
			case a.DueAt != nil && b.DueAt != nil:
				return a.DueAt.Compare(*b.DueAt)
			case a.DueAt != nil:
				return -1
			case b.DueAt != nil:
				return 1
			}
			return a.CreatedAt.Compare(b.CreatedAt)
		}
		return b.UpdatedAt.Compare(a.UpdatedAt)
	})
	d.Total = len(d.Cases)
	d.Last = max(1, (d.Total+casesPerPage-1)/casesPerPage)
	d.Page = min(d.Page, d.Last)
	if !wantsCSVQuery(v) {
		off := (d.Page - 1) * casesPerPage
		d.Cases = d.Cases[off:min(off+casesPerPage, len(d.Cases))]
	}
	var err error
	if d.Rules, err = s.db.AlertRules(ctx, v.Workspace.ID); err != nil {
		return d, err
	}
	d.RuleNames = map[int64]string{}
	for _, r := range d.Rules {
		d.RuleNames[r.ID] = r.Name
	}
	// The latest alerts: the store lists oldest first, so read to the end.
	af := store.AlertFilter{Limit: store.MaxLimit}
	var all []store.Alert
	for {
		p, err := s.db.Alerts(ctx, v.Workspace.ID, af)
		if err != nil {
			return d, err
		}
		all = append(all, p.Items...)
		if len(all) > 4*recentAlerts {
			all = all[len(all)-recentAlerts:]
		}
		if p.NextCursor == "" {
			break
		}
		af.Cursor = p.NextCursor
	}
	if len(all) > recentAlerts {
		all = all[len(all)-recentAlerts:]
	}
	slices.Reverse(all)
	d.Alerts = all
	if d.Metrics, err = s.db.CaseMetrics(ctx, v.Workspace.ID, store.CaseMetricsFilter{Now: v.Now}); err != nil {
		return d, err
	}
	if d.Surveys, err = s.db.Surveys(ctx, v.Workspace.ID); err != nil {
		return d, err
	}
	return d, nil
}

// overdue reports whether a case is past its due date and not closed.
func caseOverdue(k store.Case, now time.Time) bool {
	return k.Status != store.CaseClosed && k.DueAt != nil && k.DueAt.Before(now)
}

func optTimeCSV(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// alertsPage renders the inbox; ?format=csv&table=cases|alerts|rules
// exports one of its tables (cases by default, every matching case).
func (s *Server) alertsPage(w http.ResponseWriter, r *http.Request, v *view) {
	d, err := s.inbox(r.Context(), v)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wantsCSV(r) {
		switch d.Table {
		case "alerts":
			rows := make([][]string, 0, len(d.Alerts))
			for _, a := range d.Alerts {
				rows = append(rows, []string{strconv.FormatInt(a.ID, 10), a.FiredAt.UTC().Format(time.RFC3339), d.RuleNames[a.RuleID], a.Customer,
					strconv.FormatInt(a.ResponseID, 10), strconv.FormatInt(a.CaseID, 10), a.Title})
			}
			writeTableCSV(w, "alerts", []string{"id", "fired_at", "rule", "customer", "response_id", "case_id", "title"}, rows)
		case "rules":
			rows := make([][]string, 0, len(d.Rules))
			for _, x := range d.Rules {
				rows = append(rows, []string{strconv.FormatInt(x.ID, 10), x.Name, string(x.Kind), x.Survey, strconv.Itoa(x.MaxScore),
					strconv.Itoa(x.SLAHours), strconv.FormatBool(x.Active)})
			}
			writeTableCSV(w, "alert-rules", []string{"id", "name", "kind", "survey", "max_score", "sla_hours", "active"}, rows)
		default:
			rows := make([][]string, 0, len(d.Cases))
			for _, k := range d.Cases {
				rows = append(rows, []string{strconv.FormatInt(k.ID, 10), k.Title, k.Status, k.Owner, k.Customer, strconv.FormatInt(k.ResponseID, 10),
					k.CreatedAt.UTC().Format(time.RFC3339), optTimeCSV(k.DueAt), optTimeCSV(k.ClosedAt), k.ResolutionCode,
					strconv.FormatBool(caseOverdue(k, v.Now))})
			}
			writeTableCSV(w, "cases", []string{"id", "title", "status", "owner", "customer", "response_id", "created_at", "due_at", "closed_at", "resolution_code", "overdue"}, rows)
		}
		return
	}
	s.render(w, r, v, "alerts", d)
}

// caseData is a case's page.
type caseData struct {
	Case     store.Case
	Customer *cx.Customer
	Response *cx.Response
	Overdue  bool
	Statuses []string
	Notice   string
	Err      string
}

// casePage renders one case.
func (s *Server) casePage(w http.ResponseWriter, r *http.Request, v *view) {
	s.renderCase(w, r, v, http.StatusOK, "")
}

func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, v *view, status int, errMsg string) {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return
	}
	k, err := s.db.Case(ctx, v.Workspace.ID, id)
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	d := caseData{Case: k, Overdue: caseOverdue(k, v.Now), Statuses: caseStatuses, Err: errMsg}
	switch v.Query.Get("notice") {
	case "saved":
		d.Notice = "cases.notice.saved"
	case "resurveyed":
		d.Notice = "cases.notice.resurveyed"
	}
	if k.Customer != "" {
		c, err := s.db.Customer(ctx, v.Workspace.ID, k.Customer)
		if err != nil && !errorsIsNotFound(err) {
			s.serverError(w, r, err)
			return
		}
		if err == nil {
			d.Customer = &c
		}
	}
	if k.ResponseID != 0 {
		resp, err := s.db.Response(ctx, v.Workspace.ID, k.ResponseID)
		if err != nil && !errorsIsNotFound(err) {
			s.serverError(w, r, err)
			return
		}
		if err == nil {
			d.Response = &resp
		}
	}
	s.renderBlock(w, r, v, status, "case", renderName(r), d)
}

// updateCasePage applies the case form with store.UpdateCase (as PATCH
// /api/v1/cases/{id}); action=resurvey closes with a re-survey.
func (s *Server) updateCasePage(w http.ResponseWriter, r *http.Request, v *view) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return
	}
	var p store.CasePatch
	if st := r.PostFormValue("status"); st != "" {
		p.Status = &st
	}
	if _, ok := r.PostForm["owner"]; ok {
		o := r.PostFormValue("owner")
		p.Owner = &o
	}
	if _, ok := r.PostForm["resolution_code"]; ok {
		rc := strings.TrimSpace(r.PostFormValue("resolution_code"))
		p.ResolutionCode = &rc
	}
	notice := "saved"
	if r.PostFormValue("action") == "resurvey" {
		closed := store.CaseClosed
		p.Status, p.Resurvey, notice = &closed, true, "resurveyed"
	}
	_, err = s.db.UpdateCase(r.Context(), v.Workspace.ID, id, p)
	s.caseSaved(w, r, v, id, notice, err)
}

// caseSaved answers a change to case id: back to the case with notice, or
// 404, or the case page with the field error, or 500.
func (s *Server) caseSaved(w http.ResponseWriter, r *http.Request, v *view, id int64, notice string, err error) {
	if errorsIsNotFound(err) {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return
	}
	if isInvalid(err) {
		s.renderCase(w, r, v, http.StatusUnprocessableEntity, fieldMessage(v, err))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/app/alerts/cases/%d?notice=%s", id, notice), http.StatusSeeOther)
}

// caseNote writes a note on a case with store.AddCaseNote; the author is
// the user.
func (s *Server) caseNote(w http.ResponseWriter, r *http.Request, v *view) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return
	}
	_, err = s.db.AddCaseNote(r.Context(), v.Workspace.ID, id, store.CaseNote{Author: v.User.Email, Body: r.PostFormValue("body")})
	s.caseSaved(w, r, v, id, "saved", err)
}

// createRule creates a score rule with store.CreateAlertRule (as POST
// /api/v1/alert-rules with kind score): it opens a case.
func (s *Server) createRule(w http.ResponseWriter, r *http.Request, v *view) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	maxScore, err1 := strconv.Atoi(strings.TrimSpace(r.PostFormValue("max_score")))
	sla, err2 := strconv.Atoi(strings.TrimSpace(r.PostFormValue("sla_hours")))
	if strings.TrimSpace(r.PostFormValue("sla_hours")) == "" {
		sla, err2 = 0, nil
	}
	var err error
	switch {
	case err1 != nil:
		err = cx.Invalid("max_score", "must be a whole number")
	case err2 != nil:
		err = cx.Invalid("sla_hours", "must be a whole number")
	default:
		_, err = s.db.CreateAlertRule(r.Context(), v.Workspace.ID, alert.Rule{Name: name, Kind: alert.KindScore, Survey: r.PostFormValue("survey"),
			MaxScore: maxScore, SLAHours: sla, Actions: []alert.Action{alert.ActionCreateCase}})
	}
	if isInvalid(err) || errorsIsNotFound(err) {
		msg := fieldMessage(v, err)
		if !isInvalid(err) {
			msg = err.Error()
		}
		s.renderBlock(w, r, v, http.StatusUnprocessableEntity, "error", "layout", errorData{Status: http.StatusUnprocessableEntity, Message: msg})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/app/alerts#rules", http.StatusSeeOther)
}

// deleteRule deletes an alert rule with store.DeleteAlertRule.
func (s *Server) deleteRule(w http.ResponseWriter, r *http.Request, v *view) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.appError(w, r, v, http.StatusNotFound, "error.notfound")
		return
	}
	if err := s.db.DeleteAlertRule(r.Context(), v.Workspace.ID, id); err != nil {
		s.pageError(w, r, v, err)
		return
	}
	http.Redirect(w, r, "/app/alerts#rules", http.StatusSeeOther)
}
