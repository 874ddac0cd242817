package httpapi

import (
	"net/http"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// createCustomers handles POST /api/v1/customers: an upsert by
// external_id, so it answers 201 when a customer was created and 200 when
// every item updated an existing one.
func (s *server) createCustomers(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	ingest(s, w, r, key, batchKind[cx.Customer]{insert: s.db.UpsertCustomers, upsert: true})
}

// listCustomers handles GET /api/v1/customers.
func (s *server) listCustomers(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	f := store.CustomerFilter{Cursor: p.str("cursor"), Limit: p.limit()}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.db.Customers(r.Context(), key.WorkspaceID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, page.Items, page.NextCursor)
}

// getCustomer handles GET /api/v1/customers/{id}, id being the external id.
func (s *server) getCustomer(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	c, err := s.db.Customer(r.Context(), key.WorkspaceID, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// eraseCustomer handles DELETE /api/v1/customers/{id}: personal data is
// erased (GDPR Art. 17) while scores, events and tickets stay, unlinked.
func (s *server) eraseCustomer(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	if err := s.db.EraseCustomer(r.Context(), key.WorkspaceID, r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// exportCustomer handles GET /api/v1/customers/{id}/export: everything
// stored about the customer (GDPR Art. 15).
func (s *server) exportCustomer(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	x, err := s.db.ExportCustomer(r.Context(), key.WorkspaceID, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Empty lists are [] rather than null, for clients.
	if x.Responses == nil {
		x.Responses = []cx.Response{}
	}
	if x.Events == nil {
		x.Events = []cx.Event{}
	}
	if x.Tickets == nil {
		x.Tickets = []cx.Ticket{}
	}
	writeJSON(w, http.StatusOK, x)
}
