package httpapi

import (
	"net/http"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// createEvents handles POST /api/v1/events.
func (s *server) createEvents(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	ingest(s, w, r, key, batchKind[cx.Event]{
		insert:         s.db.InsertEvents,
		idempotencyKey: func(x *cx.Event) *string { return &x.IdempotencyKey },
	})
}

// listEvents handles GET /api/v1/events.
func (s *server) listEvents(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	f := store.EventFilter{ListFilter: p.listFilter(), Type: cx.EventType(p.str("type"))}
	if f.Type != "" && !f.Type.Valid() {
		p.errs = append(p.errs, cx.FieldError{Field: "type", Reason: "unknown event type"})
	}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.db.Events(r.Context(), key.WorkspaceID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, page.Items, page.NextCursor)
}

// getEvent handles GET /api/v1/events/{id}.
func (s *server) getEvent(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.db.Event(r.Context(), key.WorkspaceID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}
