package analytics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/cxlens/cxlens/internal/store"
)

// New builds the index of workspace ws from src, logging its progress.
func New(ctx context.Context, src Source, ws int64, opts Options) (*Index, error) {
	ix := newIndex(src, ws, opts)
	if err := ix.Rebuild(ctx); err != nil {
		return nil, err
	}
	return ix, nil
}

// newIndex returns an empty index, ready for Add and Rebuild.
func newIndex(src Source, ws int64, opts Options) *Index {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.ProgressEvery <= 0 {
		opts.ProgressEvery = 5 * time.Second
	}
	return &Index{src: src, ws: ws, opts: opts, d: newData(time.UTC, nil)}
}

// Rebuild reads every response of the workspace again (and the workspace's
// time zone and surveys) into new columns, then swaps them in. Queries keep
// answering from the old columns meanwhile; rows added during the rebuild
// are carried over.
func (ix *Index) Rebuild(ctx context.Context) error {
	ix.pmu.Lock()
	if ix.rebuilding {
		ix.pmu.Unlock()
		return errors.New("analytics: rebuild: already running")
	}
	ix.rebuilding, ix.pending = true, map[int64]store.ResponseRow{}
	ix.pmu.Unlock()
	defer func() {
		ix.pmu.Lock()
		ix.rebuilding, ix.pending = false, nil
		ix.pmu.Unlock()
	}()

	d, seen, err := ix.load(ctx)
	if err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.pmu.Lock()
	defer ix.pmu.Unlock()
	// Rows added while the scan ran: those it did not see go in now. seen
	// is in id order, as the scan is.
	for id, r := range ix.pending {
		if _, found := slices.BinarySearch(seen, id); found {
			continue
		}
		if err := d.add(&r); err != nil {
			ix.opts.Logger.Warn("analytics: rebuild: skip a response added meanwhile", "workspace", ix.ws, "err", err)
		}
	}
	ix.d = d
	ix.rebuilding, ix.pending = false, nil
	return nil
}

// load reads the workspace into new data; seen lists the ids read, in order.
func (ix *Index) load(ctx context.Context) (d *data, seen []int64, err error) {
	w, err := ix.src.Workspace(ctx, ix.ws)
	if err != nil {
		return nil, nil, fmt.Errorf("analytics: build: %w", err)
	}
	loc, err := time.LoadLocation(w.TimeZone)
	if err != nil {
		return nil, nil, fmt.Errorf("analytics: build: workspace time zone %q: %w", w.TimeZone, err)
	}
	surveys, err := ix.src.Surveys(ctx, ix.ws)
	if err != nil {
		return nil, nil, fmt.Errorf("analytics: build: %w", err)
	}
	d = newData(loc, surveys)
	log := ix.opts.Logger.With("workspace", ix.ws)
	start := time.Now()
	last, lastN := start, 0
	log.Info("analytics: building index")
	err = ix.src.ScanResponses(ctx, ix.ws, 0, func(r store.ResponseRow) error {
		if err := d.add(&r); errors.Is(err, ErrUnknownSurvey) {
			// A survey created after we listed them.
			surveys, err := ix.src.Surveys(ctx, ix.ws)
			if err != nil {
				return err
			}
			d.setSurveys(surveys)
			if err := d.add(&r); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		seen = append(seen, r.ID)
		if d.n%4096 == 0 {
			if now := time.Now(); now.Sub(last) >= ix.opts.ProgressEvery {
				log.Info("analytics: building index", "rows", d.n,
					"rows_per_s", int(float64(d.n-lastN)/now.Sub(last).Seconds()))
				last, lastN = now, d.n
			}
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, nil, fmt.Errorf("analytics: build: %w", err)
	}
	d.trim()
	el := time.Since(start)
	log.Info("analytics: index built", "rows", d.n, "columns", len(d.cols), "elapsed", el.Round(time.Millisecond),
		"rows_per_s", int(float64(d.n)/max(el.Seconds(), 1e-9)))
	return d, seen, nil
}

// Add appends responses just stored (each once: the caller passes the rows
// an ingest created, not its duplicates). A row of a survey the index does
// not know yet makes it reload the surveys. Rows that cannot be indexed are
// skipped and reported in the error; the others are added.
func (ix *Index) Add(ctx context.Context, rows ...store.ResponseRow) error {
	if len(rows) == 0 {
		return nil
	}
	ix.mu.RLock()
	unknown := false
	for i := range rows {
		if _, ok := ix.d.byID[rows[i].SurveyID]; !ok {
			unknown = true
			break
		}
	}
	ix.mu.RUnlock()
	if unknown && ix.src != nil {
		surveys, err := ix.src.Surveys(ctx, ix.ws)
		if err != nil {
			return fmt.Errorf("analytics: add: %w", err)
		}
		ix.mu.Lock()
		ix.d.setSurveys(surveys)
		ix.mu.Unlock()
	}

	// The write lock covers both the pending list and the data, so a row
	// lands either before a rebuild's swap (old data and pending) or after
	// it (new data), never in the new data twice.
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.pmu.Lock()
	if ix.rebuilding {
		for _, r := range rows {
			ix.pending[r.ID] = r
		}
	}
	ix.pmu.Unlock()
	var errs []error
	for i := range rows {
		if err := ix.d.add(&rows[i]); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("analytics: add: %w", errors.Join(errs...))
	}
	return nil
}

// AddIDs reads the responses with the given ids from the source and adds
// them: what ingest calls with the ids of the responses it created.
func (ix *Index) AddIDs(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := ix.src.ResponseRows(ctx, ix.ws, ids)
	if err != nil {
		return fmt.Errorf("analytics: add: %w", err)
	}
	return ix.Add(ctx, rows...)
}
