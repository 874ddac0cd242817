package transfer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
)

// row is one decoded source row: the raw text of its fields, its
// attributes, and what was wrong with it before conversion.
type row struct {
	line   int
	fields map[string]string
	attrs  cx.Attributes
	errs   []cx.FieldError
}

func (r *row) fail(field, reason string) {
	r.errs = append(r.errs, cx.FieldError{Line: r.line, Field: field, Reason: reason})
}

func (r *row) setAttr(name string, v any) {
	if r.attrs == nil {
		r.attrs = cx.Attributes{}
	}
	r.attrs[name] = v
}

// rowReader yields rows until io.EOF.
type rowReader interface {
	next() (row, error)
}

func newRowReader(r io.Reader, t Type, f Format, m Mapping) (rowReader, error) {
	switch f {
	case CSV:
		return newCSVReader(r, t, m)
	case NDJSON:
		return newNDJSONReader(r, t, m), nil
	}
	return nil, cx.Invalid("format", fmt.Sprintf("unknown format %q", f))
}

// csvReader reads a CSV file with a header row.
type csvReader struct {
	r    *csv.Reader
	cols []column
}

func newCSVReader(r io.Reader, t Type, m Mapping) (*csvReader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked per row, so one short row does not stop the import
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("csv: %w", cx.Invalid("header", "the file is empty; the first row must name the columns"))
	}
	if err != nil {
		return nil, csvError(err)
	}
	c := &csvReader{r: cr}
	seen := map[string]string{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // byte order mark from spreadsheet exports
		}
		if strings.TrimSpace(h) == "" {
			return nil, &cx.ValidationError{Fields: []cx.FieldError{{Line: 1, Field: "header", Reason: fmt.Sprintf("column %d has no name", i+1)}}}
		}
		col := classify(t, m, h)
		if col.kind == fieldColumn || col.kind == attrColumn {
			key := fmt.Sprint(col.kind, col.name)
			if prev, dup := seen[key]; dup {
				return nil, &cx.ValidationError{Fields: []cx.FieldError{{Line: 1, Field: "header", Reason: fmt.Sprintf("columns %q and %q both set %s", prev, h, col.name)}}}
			}
			seen[key] = h
		}
		c.cols = append(c.cols, col)
	}
	var missing []string
	for _, f := range required(t) {
		if _, ok := seen[fmt.Sprint(fieldColumn, f)]; !ok {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, &cx.ValidationError{Fields: []cx.FieldError{{Line: 1, Field: "header",
			Reason: fmt.Sprintf("no %s column for %s (use --map to rename a column)", strings.Join(missing, ", "), t)}}}
	}
	return c, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("csv: %w", &cx.ValidationError{Fields: []cx.FieldError{{Line: pe.Line, Field: "csv", Reason: pe.Err.Error()}}})
	}
	return fmt.Errorf("csv: %w", err)
}

func (c *csvReader) next() (row, error) {
	rec, err := c.r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return row{}, io.EOF
		}
		return row{}, csvError(err)
	}
	line, _ := c.r.FieldPos(0)
	rw := row{line: line, fields: make(map[string]string, len(c.cols))}
	if len(rec) != len(c.cols) {
		if len(rec) == 1 && rec[0] == "" {
			return c.next() // a blank line
		}
		rw.fail("row", fmt.Sprintf("has %d columns, the header has %d", len(rec), len(c.cols)))
		return rw, nil
	}
	for i, col := range c.cols {
		v := rec[i]
		switch col.kind {
		case fieldColumn:
			rw.fields[col.name] = v
		case attrColumn:
			if v != "" {
				rw.setAttr(col.name, inferValue(v))
			}
		case attrsColumn:
			if strings.TrimSpace(v) != "" {
				rw.mergeAttrs(json.RawMessage(v))
			}
		}
	}
	return rw, nil
}

// inferValue turns a CSV cell into an attribute value; see the package doc.
func inferValue(s string) any {
	switch s {
	case "true":
		return true
	case "false":
		return false
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) && strconv.FormatFloat(f, 'f', -1, 64) == s {
		return f
	}
	return s
}

// mergeAttrs adds a JSON object of attributes to the row.
func (r *row) mergeAttrs(raw json.RawMessage) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		r.fail("attributes", "must be a JSON object")
		return
	}
	for k, v := range m {
		r.setAttr(k, v)
	}
}

// maxLine bounds one NDJSON line.
const maxLine = 16 << 20

// ndjsonReader reads one JSON object per line.
type ndjsonReader struct {
	s    *bufio.Scanner
	t    Type
	m    Mapping
	line int
}

func newNDJSONReader(r io.Reader, t Type, m Mapping) *ndjsonReader {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64<<10), maxLine)
	return &ndjsonReader{s: s, t: t, m: m}
}

func (n *ndjsonReader) next() (row, error) {
	for n.s.Scan() {
		n.line++
		b := bytes.TrimSpace(n.s.Bytes())
		if n.line == 1 {
			b = bytes.TrimPrefix(b, []byte("\ufeff"))
		}
		if len(b) == 0 {
			continue
		}
		return n.decode(b), nil
	}
	if err := n.s.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return row{}, fmt.Errorf("ndjson: %w", &cx.ValidationError{Fields: []cx.FieldError{{Line: n.line + 1, Field: "json", Reason: "line longer than 16 MiB"}}})
		}
		return row{}, fmt.Errorf("ndjson: %w", err)
	}
	return row{}, io.EOF
}

func (n *ndjsonReader) decode(b []byte) row {
	rw := row{line: n.line, fields: map[string]string{}}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		rw.fail("json", "not a JSON object: "+strings.TrimPrefix(err.Error(), "json: "))
		return rw
	}
	for key, raw := range obj {
		col := classify(n.t, n.m, key)
		switch col.kind {
		case fieldColumn:
			v, ok := scalarText(raw)
			if !ok {
				rw.fail(col.name, "must be a string, number or boolean")
				continue
			}
			rw.fields[col.name] = v
		case attrColumn:
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				rw.fail("attributes."+col.name, "not valid JSON")
				continue
			}
			switch v.(type) {
			case map[string]any, []any:
				rw.fail("attributes."+col.name, "must be a string, number, boolean or null")
				continue
			}
			rw.setAttr(col.name, v)
		case attrsColumn:
			if string(raw) != "null" {
				rw.mergeAttrs(raw)
			}
		}
	}
	return rw
}

// scalarText returns a JSON scalar as the text a CSV cell would hold
// (null as ""); ok is false for objects and arrays.
func scalarText(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", true
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false
		}
		return s, true
	case '{', '[':
		return "", false
	}
	if string(raw) == "null" {
		return "", true
	}
	return string(raw), true
}
