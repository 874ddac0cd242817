package report

import (
	"context"
	"fmt"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/kpi"
	"github.com/cxlens/cxlens/internal/store"
)

// Load reads a workspace's customers, events, tickets and responses for
// the KPIs. It reads everything: the KPIs need the history before the
// reported range (who was a customer at its start, their MRR). That is
// fine at tens of thousands of rows; the analytics index will take over
// for large workspaces.
func Load(ctx context.Context, db *store.DB, ws int64) (kpi.Data, error) {
	d, err := LoadBehaviour(ctx, db, ws)
	if err != nil {
		return d, err
	}
	lf := func(cur string) store.ListFilter { return store.ListFilter{Cursor: cur, Limit: store.MaxLimit} }
	if d.Responses, err = store.All(func(cur string) (store.Page[cx.Response], error) {
		return db.Responses(ctx, ws, store.ResponseFilter{ListFilter: lf(cur)})
	}); err != nil {
		return d, fmt.Errorf("report: load responses: %w", err)
	}
	return d, nil
}

// LoadBehaviour is Load without the survey responses: what the
// behavioural KPIs (churn, CRR, NRR, NCVG, referral and redemption rates,
// FRT, AHT) and the CLV model read, so their cost does not grow with the
// survey volume, which the analytics index answers.
func LoadBehaviour(ctx context.Context, db *store.DB, ws int64) (kpi.Data, error) {
	var d kpi.Data
	var err error
	if d.Customers, err = store.All(func(cur string) (store.Page[cx.Customer], error) {
		return db.Customers(ctx, ws, store.CustomerFilter{Cursor: cur, Limit: store.MaxLimit})
	}); err != nil {
		return d, fmt.Errorf("report: load customers: %w", err)
	}
	lf := func(cur string) store.ListFilter { return store.ListFilter{Cursor: cur, Limit: store.MaxLimit} }
	if d.Events, err = store.All(func(cur string) (store.Page[cx.Event], error) {
		return db.Events(ctx, ws, store.EventFilter{ListFilter: lf(cur)})
	}); err != nil {
		return d, fmt.Errorf("report: load events: %w", err)
	}
	if d.Tickets, err = store.All(func(cur string) (store.Page[cx.Ticket], error) {
		return db.Tickets(ctx, ws, store.TicketFilter{ListFilter: lf(cur)})
	}); err != nil {
		return d, fmt.Errorf("report: load tickets: %w", err)
	}
	return d, nil
}
