package analytics

import (
	"context"
	"slices"
	"sync"

	"github.com/cxlens/cxlens/internal/store"
)

// Indexes holds the index of each workspace, built from the source on first
// use; it is what a server keeps (one per process) and what ingest tells
// about new responses.
type Indexes struct {
	src  Source
	opts Options

	mu sync.Mutex
	m  map[int64]*entry
}

type entry struct {
	ix    *Index
	ready chan struct{} // closed when the first build ends
	err   error
}

// NewIndexes returns an empty set of indexes over src.
func NewIndexes(src Source, opts Options) *Indexes {
	return &Indexes{src: src, opts: opts, m: map[int64]*entry{}}
}

// Get returns the index of workspace ws, building it first if needed;
// concurrent callers wait for the same build. A failed build is forgotten,
// so the next Get tries again.
func (s *Indexes) Get(ctx context.Context, ws int64) (*Index, error) {
	s.mu.Lock()
	e, ok := s.m[ws]
	if !ok {
		// Registered before it is built, so responses added meanwhile
		// reach it (Index.Rebuild carries them over).
		e = &entry{ix: newIndex(s.src, ws, s.opts), ready: make(chan struct{})}
		s.m[ws] = e
	}
	s.mu.Unlock()
	if !ok {
		e.err = e.ix.Rebuild(ctx)
		if e.err != nil {
			s.mu.Lock()
			delete(s.m, ws)
			s.mu.Unlock()
		}
		close(e.ready)
	}
	select {
	case <-e.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if e.err != nil {
		return nil, e.err
	}
	return e.ix, nil
}

// AddIDs adds the responses just stored in workspace ws to its index, if
// it has one (built or being built); otherwise the first Get will read them
// from the database anyway.
func (s *Indexes) AddIDs(ctx context.Context, ws int64, ids []int64) error {
	s.mu.Lock()
	e, ok := s.m[ws]
	s.mu.Unlock()
	if !ok || len(ids) == 0 {
		return nil
	}
	return e.ix.AddIDs(ctx, ids)
}

// Add adds the responses just stored in workspace ws, as the ingest that
// stored them returns them (store.DB.InsertResponsesRows), to its index if
// it has one; unlike AddIDs it does not read them back from the database.
func (s *Indexes) Add(ctx context.Context, ws int64, rows []store.ResponseRow) error {
	s.mu.Lock()
	e, ok := s.m[ws]
	s.mu.Unlock()
	if !ok || len(rows) == 0 {
		return nil
	}
	return e.ix.Add(ctx, rows...)
}

// Rebuild rebuilds the index of workspace ws (building it if it has none).
func (s *Indexes) Rebuild(ctx context.Context, ws int64) error {
	s.mu.Lock()
	e, ok := s.m[ws]
	s.mu.Unlock()
	if !ok {
		_, err := s.Get(ctx, ws)
		return err
	}
	<-e.ready
	if e.err != nil {
		_, err := s.Get(ctx, ws)
		return err
	}
	return e.ix.Rebuild(ctx)
}

// Workspaces lists the workspaces that have an index, built or being built,
// in ascending order; a server rebuilds them periodically to pick up what
// other processes (imports, the demo) wrote and changed customer attributes.
func (s *Indexes) Workspaces() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int64, 0, len(s.m))
	for ws := range s.m {
		out = append(out, ws)
	}
	slices.Sort(out)
	return out
}
