package httpapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// listCases handles GET /api/v1/cases?status=&owner=&cursor=&limit=.
func (s *server) listCases(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	f := store.CaseFilter{Status: p.str("status"), Owner: p.str("owner"), Cursor: p.str("cursor"), Limit: p.limit()}
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
