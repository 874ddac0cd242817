package demo

import (
	"context"
	"fmt"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/text"
	"github.com/cxlens/cxlens/internal/text/themes"
)

// Create generates a data set and writes it into a new workspace named
// opts.WorkspaceName. It is not atomic: if a batch fails, the workspace
// keeps what was written before it.
func Create(ctx context.Context, db *store.DB, opts Options) (cx.Workspace, Summary, error) {
	if err := opts.Validate(); err != nil {
		return cx.Workspace{}, Summary{}, fmt.Errorf("demo: %w", err)
	}
	ds := Generate(opts)
	ws, err := db.CreateWorkspace(ctx, ds.Workspace)
	if err != nil {
		return cx.Workspace{}, Summary{}, fmt.Errorf("demo: %w", err)
	}
	sum, err := Load(ctx, db, ws.ID, ds)
	if err != nil {
		return ws, sum, err
	}
	return ws, sum, nil
}

// Load writes a data set into workspace ws through the store's batch
// methods, at most store.MaxBatch items per call: the surveys, then
// customers, events, tickets and responses. The summary counts what the
// store created. The store's validation normalises items in place, so ds
// shares that with the caller.
func Load(ctx context.Context, db *store.DB, ws int64, ds Dataset) (Summary, error) {
	sum := Summary{Events: map[cx.EventType]int{}, Responses: map[string]int{}}
	for _, s := range ds.Surveys {
		if _, err := db.CreateSurvey(ctx, ws, s); err != nil {
			return sum, fmt.Errorf("demo: load surveys: %w", err)
		}
		sum.Surveys++
	}
	n, err := inBatches(ds.Customers, func(b []cx.Customer) (store.BatchResult, error) {
		return db.UpsertCustomers(ctx, ws, b, store.BatchOptions{})
	})
	sum.Customers = n
	if err != nil {
		return sum, fmt.Errorf("demo: load customers: %w", err)
	}
	if _, err := inBatches(ds.Events, func(b []cx.Event) (store.BatchResult, error) {
		res, err := db.InsertEvents(ctx, ws, b, store.BatchOptions{})
		countCreated(res, func(i int) { sum.Events[b[i].Type]++ })
		return res, err
	}); err != nil {
		return sum, fmt.Errorf("demo: load events: %w", err)
	}
	n, err = inBatches(ds.Tickets, func(b []cx.Ticket) (store.BatchResult, error) {
		return db.InsertTickets(ctx, ws, b, store.BatchOptions{})
	})
	sum.Tickets = n
	if err != nil {
		return sum, fmt.Errorf("demo: load tickets: %w", err)
	}
	sum.Agents = countAgents(ds.Tickets)
	// Text analytics: the starter codeframe with domain sub-themes (food
	// taste, delays, lost luggage…), so comments are tagged with them as
	// they are stored.
	if _, err := db.SaveCodeframe(ctx, ws, store.CodeframeChange{Codeframe: themes.StarterWithDomains()}); err != nil {
		return sum, fmt.Errorf("demo: load codeframe: %w", err)
	}
	ids := make([]int64, 0, len(ds.Responses)) // by index in ds.Responses
	if _, err := inBatches(ds.Responses, func(b []cx.Response) (store.BatchResult, error) {
		res, err := db.InsertResponses(ctx, ws, b, store.BatchOptions{})
		countCreated(res, func(i int) { sum.Responses[b[i].Survey]++ })
		for _, it := range res.Items {
			ids = append(ids, it.ID)
		}
		return res, err
	}); err != nil {
		return sum, fmt.Errorf("demo: load responses: %w", err)
	}
	invs := make([]cx.Invitation, len(ds.Invitations))
	for i, in := range ds.Invitations {
		invs[i] = in.Invitation
		if in.Response >= 0 {
			invs[i].ResponseID = ids[in.Response]
		}
	}
	for start := 0; start < len(invs); start += store.MaxInvitationBatch {
		b := invs[start:min(start+store.MaxInvitationBatch, len(invs))]
		if err := db.InsertInvitationHistory(ctx, ws, b); err != nil {
			return sum, fmt.Errorf("demo: load invitations: %w", err)
		}
		sum.Invitations += len(b)
	}
	fb, err := Feedback(ds)
	if err != nil {
		return sum, fmt.Errorf("demo: feedback: %w", err)
	}
	if _, err := inBatches(fb, func(b []text.Feedback) (store.BatchResult, error) {
		return db.InsertFeedback(ctx, ws, b, store.BatchOptions{})
	}); err != nil {
		return sum, fmt.Errorf("demo: load feedback: %w", err)
	}
	return sum, nil
}

// inBatches calls write on slices of at most store.MaxBatch items and
// returns how many items were created or updated.
func inBatches[T any](items []T, write func([]T) (store.BatchResult, error)) (int, error) {
	n := 0
	for start := 0; start < len(items); start += store.MaxBatch {
		res, err := write(items[start:min(start+store.MaxBatch, len(items))])
		if err != nil {
			return n, err
		}
		n += res.Inserted + res.Updated
	}
	return n, nil
}

// countCreated calls f with the index of each created item of a batch.
func countCreated(res store.BatchResult, f func(i int)) {
	for _, it := range res.Items {
		if it.Status == store.Created {
			f(it.Index)
		}
	}
}
