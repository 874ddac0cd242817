package transfer

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/text"
)

// Exporter writes the records of one type of a workspace in a format an
// Importer reads back.
type Exporter struct {
	DB        *store.DB
	Workspace int64
	Type      Type
	Format    Format
	// From (inclusive) and To (exclusive) bound the records' time
	// (submitted_at, occurred_at, opened_at, first_seen; occurred_at for
	// feedback); zero means open.
	From, To time.Time
}

// Export writes every matching record to w and returns how many it wrote.
// CSV needs every attribute name for its header, so it reads the records
// twice; the second pass stops at the last record the first one saw.
// Feedback has no attributes, so its CSV is written in one pass.
func (e *Exporter) Export(ctx context.Context, w io.Writer) (int, error) {
	if _, err := e.DB.Workspace(ctx, e.Workspace); err != nil {
		return 0, fmt.Errorf("transfer: export: %w", err)
	}
	var n int
	var err error
	switch e.Type {
	case Responses:
		n, err = export(ctx, e, w, e.pageResponses, func(x cx.Response) (int64, cx.Attributes, []string) {
			return x.ID, x.Attributes, []string{x.Survey, x.Customer, itoaPtr(x.Score), x.Comment, formatTime(x.SubmittedAt),
				x.Language, x.Channel, x.Touchpoint, x.IdempotencyKey}
		})
	case Events:
		n, err = export(ctx, e, w, e.pageEvents, func(x cx.Event) (int64, cx.Attributes, []string) {
			return x.ID, x.Attributes, []string{x.Customer, string(x.Type), formatTime(x.OccurredAt), formatFloat(x.Value), x.Currency, x.IdempotencyKey}
		})
	case Tickets:
		n, err = export(ctx, e, w, e.pageTickets, func(x cx.Ticket) (int64, cx.Attributes, []string) {
			hs := ""
			if x.HandleSeconds != nil {
				hs = formatFloat(*x.HandleSeconds)
			}
			return x.ID, x.Attributes, []string{x.ExternalID, x.Customer, x.Agent, x.Channel, formatTime(x.OpenedAt),
				formatTimePtr(x.FirstResponseAt), formatTimePtr(x.ResolvedAt), hs, strconv.FormatBool(x.Reopened), x.IdempotencyKey}
		})
	case Feedback:
		n, err = export(ctx, e, w, e.pageFeedback, func(x text.Feedback) (int64, cx.Attributes, []string) {
			rating, scale := "", ""
			if x.Rating != nil {
				rating, scale = formatFloat(*x.Rating), strconv.Itoa(x.RatingScale)
			}
			return x.ID, nil, []string{x.Source, x.Text, formatTime(x.OccurredAt), rating, scale, x.Author, x.URL,
				x.Language, x.Customer, x.IdempotencyKey}
		})
	case Customers:
		n, err = export(ctx, e, w, e.pageCustomers, func(x cx.Customer) (int64, cx.Attributes, []string) {
			return x.ID, x.Attributes, []string{x.ExternalID, x.Email, x.Name, formatTime(x.FirstSeen)}
		})
	default:
		return 0, fmt.Errorf("transfer: export: %w", cx.Invalid("type", fmt.Sprintf("unknown type %q", e.Type)))
	}
	if err != nil {
		return n, fmt.Errorf("transfer: export %s: %w", e.Type, err)
	}
	return n, nil
}

func (e *Exporter) list() store.ListFilter {
	return store.ListFilter{From: e.From, To: e.To, Limit: store.MaxLimit}
}

func (e *Exporter) pageResponses(ctx context.Context, cursor string) (store.Page[cx.Response], error) {
	f := store.ResponseFilter{ListFilter: e.list()}
	f.Cursor = cursor
	return e.DB.Responses(ctx, e.Workspace, f)
}

func (e *Exporter) pageEvents(ctx context.Context, cursor string) (store.Page[cx.Event], error) {
	f := store.EventFilter{ListFilter: e.list()}
	f.Cursor = cursor
	return e.DB.Events(ctx, e.Workspace, f)
}

func (e *Exporter) pageTickets(ctx context.Context, cursor string) (store.Page[cx.Ticket], error) {
	f := store.TicketFilter{ListFilter: e.list()}
	f.Cursor = cursor
	return e.DB.Tickets(ctx, e.Workspace, f)
}

func (e *Exporter) pageFeedback(ctx context.Context, cursor string) (store.Page[text.Feedback], error) {
	f := store.FeedbackFilter{ListFilter: e.list()}
	f.Cursor = cursor
	return e.DB.Feedback(ctx, e.Workspace, f)
}

// pageCustomers filters on first_seen here: the store lists customers
// without a time filter.
func (e *Exporter) pageCustomers(ctx context.Context, cursor string) (store.Page[cx.Customer], error) {
	p, err := e.DB.Customers(ctx, e.Workspace, store.CustomerFilter{Cursor: cursor, Limit: store.MaxLimit})
	if err != nil || (e.From.IsZero() && e.To.IsZero()) {
		return p, err
	}
	p.Items = slices.DeleteFunc(p.Items, func(c cx.Customer) bool {
		return (!e.From.IsZero() && c.FirstSeen.Before(e.From)) || (!e.To.IsZero() && !c.FirstSeen.Before(e.To))
	})
	return p, nil
}

// each calls fn for every record, page by page, until fn returns false.
func each[T any](ctx context.Context, page func(context.Context, string) (store.Page[T], error), fn func(T) bool) error {
	cursor := ""
	for {
		p, err := page(ctx, cursor)
		if err != nil {
			return err
		}
		for _, x := range p.Items {
			if !fn(x) {
				return nil
			}
		}
		if p.NextCursor == "" {
			return nil
		}
		cursor = p.NextCursor
	}
}

func export[T any](ctx context.Context, e *Exporter, w io.Writer, page func(context.Context, string) (store.Page[T], error),
	cells func(T) (int64, cx.Attributes, []string)) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	n := 0
	if e.Format == NDJSON {
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		var werr error
		err := each(ctx, page, func(x T) bool {
			if werr = enc.Encode(x); werr != nil {
				return false
			}
			n++
			return true
		})
		if err == nil {
			err = werr
		}
		if err == nil {
			err = bw.Flush()
		}
		return n, err
	}
	if e.Format != CSV {
		return 0, cx.Invalid("format", fmt.Sprintf("unknown format %q", e.Format))
	}
	// Pass 1: attribute names, and the last id, so records added meanwhile
	// (whose attributes the header may miss) are left out of pass 2. A type
	// without attributes needs neither.
	names := map[string]bool{}
	last := int64(math.MaxInt64)
	if e.Type != Feedback {
		last = 0
		err := each(ctx, page, func(x T) bool {
			id, attrs, _ := cells(x)
			for k := range attrs {
				names[k] = true
			}
			last = max(last, id)
			return true
		})
		if err != nil {
			return 0, err
		}
	}
	attrCols := make([]string, 0, len(names))
	for k := range names {
		attrCols = append(attrCols, k)
	}
	slices.Sort(attrCols)
	cw := csv.NewWriter(bw)
	header := slices.Clone(Fields(e.Type))
	for _, k := range attrCols {
		header = append(header, "attributes."+k)
	}
	if err := cw.Write(header); err != nil {
		return 0, err
	}
	var werr error
	err := each(ctx, page, func(x T) bool {
		id, attrs, rec := cells(x)
		if id > last {
			return false
		}
		for _, k := range attrCols {
			rec = append(rec, attrText(attrs, k))
		}
		if werr = cw.Write(rec); werr != nil {
			return false
		}
		n++
		return true
	})
	if err == nil {
		err = werr
	}
	if err != nil {
		return n, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// attrText writes an attribute so that inferValue reads it back: strings as
// they are, numbers in canonical form, booleans as true/false, null as "".
func attrText(a cx.Attributes, k string) string {
	v, ok := a[k]
	if !ok || v == nil {
		return ""
	}
	return a.String(k)
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func formatTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return formatTime(*t)
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func itoaPtr(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}
