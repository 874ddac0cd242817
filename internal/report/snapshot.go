package report

import (
	"context"
	"sync"
	"time"

	"github.com/cxlens/cxlens/internal/kpi"
	"github.com/cxlens/cxlens/internal/store"
)

// DefaultSnapshotAge bounds how old a snapshot may be served when its
// workspace was written by another process (cxlens import beside cxlens
// serve), which store.Generation cannot see.
const DefaultSnapshotAge = time.Minute

// Snapshots keeps each workspace's customers, events, tickets and
// responses (what Load reads) in memory, so that dashboard pages and API
// reports compute their KPIs from memory instead of reading the whole
// workspace on every request. A snapshot is read again when this process
// has written the workspace since (store.Generation) or once it is older
// than the maximum age; concurrent requests share one read. Behaviour
// snapshots leave the responses out (LoadBehaviour) and so survive a
// stream of survey answers. The data handed out are shared: callers must
// not modify them.
type Snapshots struct {
	db     *store.DB
	maxAge time.Duration
	now    func() time.Time

	mu sync.Mutex
	m  map[snapshotKey]*snapshot
}

// snapshotKey names a snapshot: a workspace, with or without responses.
type snapshotKey struct {
	ws        int64
	responses bool
}

// snapshot is one read of a workspace, done or in progress.
type snapshot struct {
	ready chan struct{} // closed when data and err are set
	gen   uint64
	at    time.Time
	data  kpi.Data
	err   error

	memoMu sync.Mutex
	memo   map[string]*memoEntry
}

// memoEntry is one value derived from a snapshot, computed or in progress.
type memoEntry struct {
	ready chan struct{}
	v     any
	err   error
}

// NewSnapshots returns snapshots of db's workspaces served for at most
// maxAge (DefaultSnapshotAge if ≤ 0); now is the clock (time.Now if nil).
func NewSnapshots(db *store.DB, maxAge time.Duration, now func() time.Time) *Snapshots {
	if maxAge <= 0 {
		maxAge = DefaultSnapshotAge
	}
	if now == nil {
		now = time.Now
	}
	return &Snapshots{db: db, maxAge: maxAge, now: now, m: map[snapshotKey]*snapshot{}}
}

// Get returns workspace ws's data as Load reads it, from memory when the
// snapshot is current.
func (s *Snapshots) Get(ctx context.Context, ws int64) (kpi.Data, error) {
	return s.get(ctx, snapshotKey{ws, true})
}

// Behaviour returns workspace ws's data as LoadBehaviour reads it
// (without responses), from memory when the snapshot is current.
func (s *Snapshots) Behaviour(ctx context.Context, ws int64) (kpi.Data, error) {
	return s.get(ctx, snapshotKey{ws, false})
}

// Memo returns what fn computes from workspace ws's snapshot (with
// responses or without), computing it once per snapshot and key:
// expensive models (the CLV fit, churn risk) are fitted once per read of
// the data, not per page view. fn gets the data and the time they were
// read, the "now" of anything it predicts; it must not modify the data.
func (s *Snapshots) Memo(ctx context.Context, ws int64, responses bool, key string, fn func(d kpi.Data, at time.Time) (any, error)) (any, error) {
	sn, err := s.snapshot(ctx, snapshotKey{ws, responses})
	if err != nil {
		return nil, err
	}
	sn.memoMu.Lock()
	e := sn.memo[key]
	if e == nil {
		if sn.memo == nil {
			sn.memo = map[string]*memoEntry{}
		}
		e = &memoEntry{ready: make(chan struct{})}
		sn.memo[key] = e
		sn.memoMu.Unlock()
		e.v, e.err = fn(sn.data, sn.at)
		close(e.ready)
		return e.v, e.err
	}
	sn.memoMu.Unlock()
	select {
	case <-e.ready:
		return e.v, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *Snapshots) get(ctx context.Context, k snapshotKey) (kpi.Data, error) {
	sn, err := s.snapshot(ctx, k)
	if err != nil {
		return kpi.Data{}, err
	}
	return sn.data, nil
}

// snapshot returns the current snapshot named by k, reading it if needed.
func (s *Snapshots) snapshot(ctx context.Context, k snapshotKey) (*snapshot, error) {
	gen := s.db.Generation(k.ws, k.responses)
	s.mu.Lock()
	sn := s.m[k]
	if sn != nil {
		select {
		case <-sn.ready:
			if sn.err != nil || sn.gen != gen || s.now().Sub(sn.at) > s.maxAge {
				sn = nil // stale or failed: read again
			}
		default: // a read in progress; it is current if it started at this generation
			if sn.gen != gen {
				sn = nil
			}
		}
	}
	if sn == nil {
		sn = &snapshot{ready: make(chan struct{}), gen: gen, at: s.now()}
		s.m[k] = sn
		s.mu.Unlock()
		// The read outlives a cancelled first caller: others may wait on it.
		load := LoadBehaviour
		if k.responses {
			load = Load
		}
		sn.data, sn.err = load(context.WithoutCancel(ctx), s.db, k.ws)
		close(sn.ready)
		return sn, sn.err
	}
	s.mu.Unlock()
	select {
	case <-sn.ready:
		return sn, sn.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
