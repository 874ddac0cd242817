package httpapi

import (
	"context"
	"net/http"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// createResponses handles POST /api/v1/responses.
func (s *server) createResponses(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	ingest(s, w, r, key, batchKind[cx.Response]{
		insert: func(ctx context.Context, ws int64, items []cx.Response, opts store.BatchOptions) (store.BatchResult, error) {
			res, err := s.db.InsertResponses(ctx, ws, items, opts)
			if err == nil {
				s.indexCreated(ctx, ws, res)
			}
			return res, err
		},
		idempotencyKey: func(x *cx.Response) *string { return &x.IdempotencyKey },
	})
}

// indexCreated tells the workspace's analytics index about the responses
// a batch created. The database is the source of truth: a failure here is
// logged, and the next rebuild picks the rows up.
func (s *server) indexCreated(ctx context.Context, ws int64, res store.BatchResult) {
	ids := make([]int64, 0, res.Inserted)
	for _, it := range res.Items {
		if it.Status == store.Created {
			ids = append(ids, it.ID)
		}
	}
	if err := s.opts.Indexes.AddIDs(ctx, ws, ids); err != nil {
		s.logger.Error("index new responses", "workspace", ws, "err", err)
	}
}

// listResponses handles GET /api/v1/responses.
func (s *server) listResponses(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	p := newParams(r)
	f := store.ResponseFilter{ListFilter: p.listFilter(), Survey: p.str("survey")}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.db.Responses(r.Context(), key.WorkspaceID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, page.Items, page.NextCursor)
}

// getResponse handles GET /api/v1/responses/{id}.
func (s *server) getResponse(w http.ResponseWriter, r *http.Request, key cx.APIKey) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.db.Response(r.Context(), key.WorkspaceID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}
