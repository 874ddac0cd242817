package httpapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/cxlens/cxlens/internal/alert"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// listCases handles GET /api/v1/cases?status=&owner=&overdue=&cursor=&limit=.
func (s *server) listCases(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	f := store.CaseFilter{Status: p.str("status"), Owner: p.str("owner"), Cursor: p.str("cursor"), Limit: p.limit(), Now: s.opts.Now()}
	switch v := p.str("overdue"); v {
	case "", "false", "0":
	case "true", "1":
		f.Overdue = true
	default:
		p.errs = append(p.errs, cx.FieldError{Field: "overdue", Reason: "must be true or false"})
	}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.db.Cases(r.Context(), key.WorkspaceID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, page.Items, page.NextCursor)
}

// getCase handles GET /api/v1/cases/{id}: the case with its notes.
func (s *server) getCase(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id, err := pathID(r)
	var k store.Case
	if err == nil {
		k, err = s.db.Case(r.Context(), key.WorkspaceID, id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, k)
}

// updateCase handles PATCH /api/v1/cases/{id} {status, owner,
// resolution_code}; absent fields stay, closing sets closed_at.
func (s *server) updateCase(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var p store.CasePatch
	if err := decodeOne(r.Body, &p); err != nil {
		s.fail(w, r, err)
		return
	}
	k, err := s.db.UpdateCase(r.Context(), key.WorkspaceID, id, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, k)
}

// caseNoteInput is the body of POST /api/v1/cases/{id}/notes.
type caseNoteInput struct {
	Author string `json:"author"`
	Body   string `json:"body"`
}

// addCaseNote handles POST /api/v1/cases/{id}/notes.
func (s *server) addCaseNote(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.idempotent(w, r, key.WorkspaceID, func(body io.Reader, _ string) (int, []byte, error) {
		var in caseNoteInput
		if err := decodeOne(body, &in); err != nil {
			return 0, nil, err
		}
		n, err := s.db.AddCaseNote(r.Context(), key.WorkspaceID, id, store.CaseNote{Author: in.Author, Body: in.Body})
		if err != nil {
			return 0, nil, err
		}
		b, err := json.Marshal(n)
		if err != nil {
			return 0, nil, fmt.Errorf("encode case note: %w", err)
		}
		return http.StatusCreated, append(b, '\n'), nil
	})
}

// caseMetrics handles GET /api/v1/cases/metrics?from=&to=: time to first
// contact, time to close, % closed within SLA and the recovery rate of the
// cases created in [from, to).
func (s *server) caseMetrics(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	f := store.CaseMetricsFilter{From: p.time("from"), To: p.time("to"), Now: s.opts.Now()}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		p.errs = append(p.errs, cx.FieldError{Field: "to", Reason: "must be after from"})
	}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := s.db.CaseMetrics(r.Context(), key.WorkspaceID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		From *time.Time `json:"from,omitempty"`
		To   *time.Time `json:"to,omitempty"`
		alert.CaseMetrics
	}{optTime(f.From), optTime(f.To), m})
}

// optTime is nil for the zero time.
func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
