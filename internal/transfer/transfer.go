// Package transfer imports and exports cxlens records (responses,
// customers, events, tickets, feedback) as CSV or NDJSON files.
//
// Both formats use the JSON field names of the API. A CSV file has a header
// row; NDJSON has one JSON object per line. Import streams: it reads a row,
// converts it, and writes it in batches, so memory stays constant however
// large the file.
//
// Column rules (CSV columns and NDJSON keys alike, after --map renames):
//   - a field name of the type (survey, score, submitted_at...) sets that field;
//   - "attributes.x" sets attribute x; a column named "attributes" holds a
//     JSON object of attributes;
//   - read-only fields (id, created_at, updated_at, churned_at, erased_at)
//     and columns mapped to "-" are ignored;
//   - any other column becomes an attribute of that name.
//
// CSV cells are text, so attribute values are inferred: an empty cell sets
// no attribute, "true" and "false" become booleans, a number written in
// canonical form ("42", "-1.5", not "007" or "1e3" or "+1") becomes a number,
// and everything else stays a string. NDJSON keeps JSON types exactly. Times
// are RFC 3339; "2006-01-02T15:04:05", "2006-01-02 15:04:05" and
// "2006-01-02" are accepted too and read as UTC.
//
// A row without an idempotency_key gets one derived from its content
// ("imp:" + a 128-bit SHA-256 prefix of the type and the normalized row), so importing
// the same file twice adds nothing. Two identical rows in one file are
// therefore stored once. Customers have no idempotency key: they are
// upserted by external_id.
package transfer

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
)

// Type names the kind of record a file holds.
type Type string

// Record types.
const (
	Responses Type = "responses"
	Customers Type = "customers"
	Events    Type = "events"
	Tickets   Type = "tickets"
	Feedback  Type = "feedback" // reviews, social posts, chats… (text.Feedback)
)

// Types lists the record types of the web export page.
var Types = []Type{Responses, Customers, Events, Tickets}

// ImportTypes lists every type Importer reads and Exporter writes: Types,
// and Feedback.
var ImportTypes = append(Types[:len(Types):len(Types)], Feedback)

// ParseType checks a type name.
func ParseType(s string) (Type, error) {
	for _, t := range ImportTypes {
		if string(t) == s {
			return t, nil
		}
	}
	return "", cx.Invalid("type", fmt.Sprintf("unknown type %q (responses, customers, events, tickets or feedback)", s))
}

// Format is a file format.
type Format string

// File formats.
const (
	CSV    Format = "csv"
	NDJSON Format = "ndjson"
)

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	switch Format(strings.ToLower(s)) {
	case CSV:
		return CSV, nil
	case NDJSON, "jsonl":
		return NDJSON, nil
	}
	return "", cx.Invalid("format", fmt.Sprintf("unknown format %q (csv or ndjson)", s))
}

// FormatFromPath guesses a format from a file name's extension: .csv is
// CSV; .ndjson, .jsonl and .json are NDJSON.
func FormatFromPath(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return CSV, nil
	case ".ndjson", ".jsonl", ".json":
		return NDJSON, nil
	}
	return "", cx.Invalid("format", fmt.Sprintf("cannot tell the format of %q from its extension; give csv or ndjson", path))
}

// Fields returns the field names of a type, in CSV column order.
func Fields(t Type) []string {
	switch t {
	case Responses:
		return []string{"survey", "customer", "score", "comment", "submitted_at", "language", "channel", "touchpoint", "idempotency_key"}
	case Events:
		return []string{"customer", "type", "occurred_at", "value", "currency", "idempotency_key"}
	case Tickets:
		return []string{"external_id", "customer", "agent", "channel", "opened_at", "first_response_at", "resolved_at", "handle_seconds", "reopened", "idempotency_key"}
	case Customers:
		return []string{"external_id", "email", "name", "first_seen"}
	case Feedback:
		return []string{"source", "text", "occurred_at", "rating", "rating_scale", "author", "url", "language", "customer", "idempotency_key"}
	}
	return nil
}

// required returns the fields a CSV header must have for a type: without
// them every row would be rejected, so the import stops at the header.
func required(t Type) []string {
	switch t {
	case Responses:
		return []string{"survey", "score", "submitted_at"}
	case Events:
		return []string{"customer", "type", "occurred_at"}
	case Tickets:
		return []string{"customer", "opened_at"}
	case Customers:
		return []string{"external_id"}
	case Feedback:
		return []string{"source", "text", "occurred_at"}
	}
	return nil
}

// readOnly names fields the API returns but an import ignores.
var readOnly = map[string]bool{"id": true, "created_at": true, "updated_at": true, "churned_at": true, "erased_at": true}

// Mapping renames source columns (or NDJSON keys) to field names: "Score" →
// "score", "Plan" → "attributes.plan", "Internal" → "-" (dropped).
type Mapping map[string]string

// ParseMapping reads "column=field" pairs.
func ParseMapping(pairs []string) (Mapping, error) {
	m := Mapping{}
	for _, p := range pairs {
		from, to, ok := strings.Cut(p, "=")
		from, to = strings.TrimSpace(from), strings.TrimSpace(to)
		if !ok || from == "" || to == "" {
			return nil, cx.Invalid("map", fmt.Sprintf("%q is not column=field", p))
		}
		if _, dup := m[from]; dup {
			return nil, cx.Invalid("map", fmt.Sprintf("column %q mapped twice", from))
		}
		m[from] = to
	}
	return m, nil
}

// column says what one source column feeds.
type column struct {
	kind  columnKind
	name  string // field or attribute name
	label string // the source column, for messages
}

type columnKind int

const (
	skipColumn columnKind = iota
	fieldColumn
	attrColumn
	attrsColumn // a JSON object of attributes
)

// classify decides what a source column feeds.
func classify(t Type, m Mapping, source string) column {
	name := strings.TrimSpace(source)
	if to, ok := m[name]; ok {
		name = to
	}
	c := column{label: source}
	lower := strings.ToLower(name)
	switch {
	case name == "-" || readOnly[lower]:
		c.kind = skipColumn
	case lower == "attributes":
		c.kind = attrsColumn
	case strings.HasPrefix(lower, "attributes."):
		c.kind, c.name = attrColumn, name[len("attributes."):]
	default:
		c.kind, c.name = attrColumn, name
		for _, f := range Fields(t) {
			if f == lower {
				c.kind, c.name = fieldColumn, f
				break
			}
		}
	}
	return c
}
