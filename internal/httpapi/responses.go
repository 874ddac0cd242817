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
			res, rows, err := s.db.InsertResponsesRows(ctx, ws, items, opts)
			if err == nil {
				s.indexCreated(ctx, ws, rows)
			}
			return res, err
		},
		idempotencyKey: func(x *cx.Response) *string { return &x.IdempotencyKey },
	})
}

// indexCreated gives the workspace's analytics index the responses a batch
// created, as the store returned them (no read back). The database is the
// source of truth: a failure here is logged, and the next rebuild picks the
// rows up.
func (s *server) indexCreated(ctx context.Context, ws int64, rows []store.ResponseRow) {
	if err := s.opts.Indexes.Add(ctx, ws, rows); err != nil {
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
