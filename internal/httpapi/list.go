package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// params reads list query parameters, collecting every bad one so a single
// 422 names them all.
type params struct {
	q    url.Values
	errs []cx.FieldError
}

func newParams(r *http.Request) *params { return &params{q: r.URL.Query()} }

func (p *params) str(name string) string { return p.q.Get(name) }

func (p *params) time(name string) time.Time {
	v := p.q.Get(name)
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		p.errs = append(p.errs, cx.FieldError{Field: name, Reason: "must be an RFC 3339 time, like 2026-03-01T00:00:00Z"})
	}
	return t
}

func (p *params) limit() int {
	v := p.q.Get("limit")
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > store.MaxLimit {
		p.errs = append(p.errs, cx.FieldError{Field: "limit", Reason: "must be an integer from 1 to " + itoa(store.MaxLimit)})
	}
	return n
}

// int reads an optional non-negative integer parameter (0 when absent).
func (p *params) int(name string) int {
	v := p.q.Get(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 100000 {
		p.errs = append(p.errs, cx.FieldError{Field: name, Reason: "must be a non-negative integer"})
	}
	return n
}

// listFilter reads from, to, customer, cursor and limit.
func (p *params) listFilter() store.ListFilter {
	return store.ListFilter{
		From:     p.time("from"),
		To:       p.time("to"),
		Customer: p.str("customer"),
		Cursor:   p.str("cursor"),
		Limit:    p.limit(),
	}
}

// err returns a 422 naming the bad parameters, or nil.
func (p *params) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	msg := "invalid query parameters:"
	for i, f := range p.errs {
		if i > 0 {
			msg += ";"
		}
		msg += " " + f.Field + ": " + f.Reason
	}
	return &apiError{status: http.StatusUnprocessableEntity, msg: msg, fields: p.errs}
}

// pathID reads a numeric {id}; anything else cannot name a row, so it is
// reported as not found.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, cx.ErrNotFound
	}
	return id, nil
}
