package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/text"
)

// DefaultBatch is the number of rows written per store call unless
// Importer.BatchSize says otherwise.
const DefaultBatch = 1000

// Importer reads a file of one record type into a workspace.
type Importer struct {
	DB        *store.DB
	Workspace int64
	Type      Type
	Format    Format
	Mapping   Mapping
	// BatchSize is the number of rows per store call: 1–store.MaxBatch,
	// DefaultBatch when 0.
	BatchSize int
	// DryRun validates every row without writing anything.
	DryRun bool
	// Now bounds how far in the future times may be; time.Now when nil.
	Now func() time.Time
	// OnReject, when set, is called for every rejected row with its line
	// number and errors (each with Line set).
	OnReject func(line int, errs []cx.FieldError)
	// OnProgress, when set, is called after every batch with the running
	// summary.
	OnProgress func(Summary)
}

// Summary reports an import.
type Summary struct {
	Rows       int           `json:"rows"`  // rows read
	Valid      int           `json:"valid"` // rows that passed validation
	Inserted   int           `json:"inserted"`
	Updated    int           `json:"updated"` // customers only
	Duplicates int           `json:"duplicates"`
	Rejected   int           `json:"rejected"`
	DryRun     bool          `json:"dry_run"`
	Elapsed    time.Duration `json:"elapsed"`
}

// RowsPerSecond is the import rate.
func (s Summary) RowsPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Rows) / s.Elapsed.Seconds()
}

// kind is how one record type is converted, validated and stored.
type kind[T any] struct {
	convert  func(*row) T
	validate func(*T) []cx.FieldError
	// finish normalizes a valid item and sets its derived idempotency key.
	finish func(*T)
	insert func(ctx context.Context, ws int64, items []T, opts store.BatchOptions) (store.BatchResult, error)
}

// Import reads r to the end, storing valid rows in batches and reporting
// bad ones through OnReject. It returns an error only when the file cannot
// be read (a malformed header, a broken CSV quote) or the store fails; bad
// rows are counted in Summary.Rejected.
func (cfg *Importer) Import(ctx context.Context, r io.Reader) (Summary, error) {
	start := time.Now()
	im := *cfg // defaults below are filled in on a copy
	if im.BatchSize == 0 {
		im.BatchSize = DefaultBatch
	}
	if im.BatchSize < 1 || im.BatchSize > store.MaxBatch {
		return Summary{}, fmt.Errorf("transfer: import: %w", cx.Invalid("batch", fmt.Sprintf("must be 1–%d", store.MaxBatch)))
	}
	if im.Now == nil {
		im.Now = time.Now
	}
	if _, err := im.DB.Workspace(ctx, im.Workspace); err != nil {
		return Summary{}, fmt.Errorf("transfer: import: %w", err)
	}
	rr, err := newRowReader(r, im.Type, im.Format, im.Mapping)
	if err != nil {
		return Summary{}, fmt.Errorf("transfer: import: %w", err)
	}
	var sum Summary
	switch im.Type {
	case Responses:
		var surveys []cx.Survey
		if surveys, err = im.DB.Surveys(ctx, im.Workspace); err != nil {
			return Summary{}, fmt.Errorf("transfer: import: %w", err)
		}
		byKey := make(map[string]*cx.Survey, len(surveys))
		for i := range surveys {
			byKey[surveys[i].Key] = &surveys[i]
		}
		sum, err = run(ctx, &im, rr, kind[cx.Response]{
			convert: toResponse,
			validate: func(x *cx.Response) []cx.FieldError {
				return x.Validate(byKey[x.Survey], im.Now())
			},
			finish: func(x *cx.Response) {
				x.SubmittedAt = ms(x.SubmittedAt)
				if x.IdempotencyKey == "" {
					x.IdempotencyKey = DeriveKey(Responses, x)
				}
			},
			insert: im.DB.InsertResponses,
		})
	case Events:
		sum, err = run(ctx, &im, rr, kind[cx.Event]{
			convert:  toEvent,
			validate: func(x *cx.Event) []cx.FieldError { return x.Validate(im.Now()) },
			finish: func(x *cx.Event) {
				x.OccurredAt = ms(x.OccurredAt)
				if x.IdempotencyKey == "" {
					x.IdempotencyKey = DeriveKey(Events, x)
				}
			},
			insert: im.DB.InsertEvents,
		})
	case Tickets:
		sum, err = run(ctx, &im, rr, kind[cx.Ticket]{
			convert:  toTicket,
			validate: func(x *cx.Ticket) []cx.FieldError { return x.Validate(im.Now()) },
			finish: func(x *cx.Ticket) {
				x.OpenedAt, x.FirstResponseAt, x.ResolvedAt = ms(x.OpenedAt), msp(x.FirstResponseAt), msp(x.ResolvedAt)
				if x.IdempotencyKey == "" {
					x.IdempotencyKey = DeriveKey(Tickets, x)
				}
			},
			insert: im.DB.InsertTickets,
		})
	case Feedback:
		sum, err = run(ctx, &im, rr, kind[text.Feedback]{
			convert:  toFeedback,
			validate: func(x *text.Feedback) []cx.FieldError { return x.Validate(im.Now()) },
			finish: func(x *text.Feedback) {
				x.OccurredAt = ms(x.OccurredAt)
				if x.IdempotencyKey == "" {
					x.IdempotencyKey = DeriveKey(Feedback, x)
				}
			},
			insert: im.DB.InsertFeedback,
		})
	case Customers:
		sum, err = run(ctx, &im, rr, kind[cx.Customer]{
			convert:  toCustomer,
			validate: func(x *cx.Customer) []cx.FieldError { return x.Validate() },
			finish: func(x *cx.Customer) {
				if !x.FirstSeen.IsZero() {
					x.FirstSeen = ms(x.FirstSeen)
				}
			},
			insert: im.DB.UpsertCustomers,
		})
	default:
		return Summary{}, fmt.Errorf("transfer: import: %w", cx.Invalid("type", fmt.Sprintf("unknown type %q", im.Type)))
	}
	sum.DryRun = im.DryRun
	sum.Elapsed = time.Since(start)
	if err != nil {
		return sum, fmt.Errorf("transfer: import %s: %w", im.Type, err)
	}
	return sum, nil
}

// run reads, converts and validates rows in this goroutine while the
// previous batch is written by a second one, so parsing and the database
// overlap (about 1.6× the rows/s of doing them in turn, measured on 200k
// responses on SQLite). At most two batches are in memory.
func run[T any](ctx context.Context, im *Importer, rr rowReader, k kind[T]) (Summary, error) {
	var (
		mu  sync.Mutex // guards sum and the callbacks
		sum Summary
	)
	start := time.Now()
	reject := func(line int, errs []cx.FieldError) { // with mu held
		sum.Rejected++
		for i := range errs {
			errs[i].Line = line
		}
		if im.OnReject != nil {
			im.OnReject(line, errs)
		}
	}
	type pending struct {
		items []T
		lines []int
	}
	work := make(chan pending, 1)
	done := make(chan error, 1)
	var failed atomic.Bool
	go func() {
		var werr error
		for p := range work {
			if werr != nil {
				continue // drain after a failure
			}
			if !im.DryRun {
				res, err := k.insert(ctx, im.Workspace, p.items, store.BatchOptions{Partial: true})
				if err != nil {
					werr = err
					failed.Store(true)
					continue
				}
				mu.Lock()
				sum.Inserted += res.Inserted
				sum.Updated += res.Updated
				sum.Duplicates += res.Duplicates
				for _, it := range res.Items {
					if it.Status == store.Rejected {
						sum.Valid--
						reject(p.lines[it.Index], it.Errors)
					}
				}
				mu.Unlock()
			}
			if im.OnProgress != nil {
				mu.Lock()
				sum.Elapsed = time.Since(start)
				im.OnProgress(sum)
				mu.Unlock()
			}
		}
		done <- werr
	}()
	finish := func(err error) (Summary, error) {
		close(work)
		if werr := <-done; werr != nil && err == nil {
			err = werr
		}
		mu.Lock()
		defer mu.Unlock()
		return sum, err
	}

	batch := pending{make([]T, 0, im.BatchSize), make([]int, 0, im.BatchSize)}
	for {
		if err := ctx.Err(); err != nil {
			return finish(err)
		}
		if failed.Load() {
			return finish(nil)
		}
		rw, err := rr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return finish(err)
		}
		item := k.convert(&rw)
		errs := rw.errs
		if len(errs) == 0 {
			errs = k.validate(&item)
		}
		mu.Lock()
		sum.Rows++
		if len(errs) > 0 {
			reject(rw.line, errs)
			mu.Unlock()
			continue
		}
		sum.Valid++
		mu.Unlock()
		k.finish(&item)
		batch.items = append(batch.items, item)
		batch.lines = append(batch.lines, rw.line)
		if len(batch.items) == im.BatchSize {
			work <- batch
			batch = pending{make([]T, 0, im.BatchSize), make([]int, 0, im.BatchSize)}
		}
	}
	if len(batch.items) > 0 {
		work <- batch
	} else if im.OnProgress != nil {
		mu.Lock()
		sum.Elapsed = time.Since(start)
		im.OnProgress(sum)
		mu.Unlock()
	}
	return finish(nil)
}
