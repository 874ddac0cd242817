package analytics

import (
	"fmt"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
)

// Filter keeps the responses whose attribute Attr has one of Values. The
// empty value matches a missing (absent, null or empty) attribute.
type Filter struct {
	// Attr is "survey", "language", "channel", "touchpoint", a response
	// attribute's name (or "response.<name>" when a built-in takes it) or
	// "customer.<name>".
	Attr string
	// Values are the values admitted; "" admits a missing attribute.
	Values []string
}

// ParseFilter reads "attr=value" or "attr=v1,v2" (a value may not contain a
// comma this way; build a Filter to pass one).
func ParseFilter(s string) (Filter, error) {
	attr, vals, ok := strings.Cut(s, "=")
	attr = strings.TrimSpace(attr)
	if !ok || attr == "" {
		return Filter{}, cx.Invalid("filter", fmt.Sprintf("%q: want attribute=value[,value...]", s))
	}
	return Filter{Attr: attr, Values: strings.Split(vals, ",")}, nil
}

// colFilter is a Filter resolved against the columns: allowed[code].
type colFilter struct {
	c       *column
	allowed []bool
}

// resolve returns the column filter, or none=true when no row can match.
// An attribute the index has never seen is missing on every row.
func (d *data) resolve(f Filter) (cf colFilter, all, none bool) {
	i, ok := d.colIdx[f.Attr]
	if !ok {
		for _, v := range f.Values {
			if v == "" {
				return cf, true, false
			}
		}
		return cf, false, true
	}
	c := d.cols[i]
	cf = colFilter{c: c, allowed: make([]bool, c.cardinality())}
	any := false
	for _, v := range f.Values {
		if k, ok := c.lookup(v); ok {
			cf.allowed[k] = true
			any = true
		}
	}
	return cf, false, !any
}

// apply keeps the rows of sel whose code is allowed; it reuses sel.
func (f *colFilter) apply(sel []int32) []int32 {
	if f.c.u32 != nil {
		return keep(f.c.u32, f.allowed, sel)
	}
	return keep(f.c.u16, f.allowed, sel)
}

func keep[T uint16 | uint32](codes []T, allowed []bool, sel []int32) []int32 {
	k := 0
	for _, i := range sel {
		sel[k] = i
		if allowed[codes[i]] {
			k++
		}
	}
	return sel[:k]
}
