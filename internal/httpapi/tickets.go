package httpapi

import (
	"net/http"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// createTickets handles POST /api/v1/tickets.
func (s *server) createTickets(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	ingest(s, w, r, key, batchKind[cx.Ticket]{
		insert:         s.db.InsertTickets,
		idempotencyKey: func(x *cx.Ticket) *string { return &x.IdempotencyKey },
	})
}

// listTickets handles GET /api/v1/tickets.
func (s *server) listTickets(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	f := store.TicketFilter{ListFilter: p.listFilter(), Agent: p.str("agent"), Channel: p.str("channel")}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.db.Tickets(r.Context(), key.WorkspaceID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, page.Items, page.NextCursor)
}

// getTicket handles GET /api/v1/tickets/{id}.
func (s *server) getTicket(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.db.Ticket(r.Context(), key.WorkspaceID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}
