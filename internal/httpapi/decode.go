package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// maxItems is the most items one POST accepts, the store's batch limit.
const maxItems = store.MaxBatch

// isNDJSON reports whether the request declares a newline-delimited JSON body.
func isNDJSON(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/x-ndjson" || mt == "application/ndjson" || mt == "application/jsonl")
}

// decoded is a decoded POST body.
type decoded[T any] struct {
	items  []T
	single bool  // the body was one JSON object, not an array or NDJSON
	lines  []int // NDJSON only: the line each item came from
}

// decodeItems decodes body as one JSON object, a JSON array of objects, or
// (when ndjson) one object per line. Arrays are decoded element by element
// from the stream, so the body is read once and never held whole. Unknown
// fields are rejected.
//
// sizeHint, the body's declared length when known, pre-sizes the item slice.
func decodeItems[T any](body io.Reader, ndjson bool, sizeHint int64) (decoded[T], error) {
	if ndjson {
		return decodeNDJSON[T](body)
	}
	first, rd, err := peekNonSpace(body)
	if err != nil {
		return decoded[T]{}, err
	}
	dec := json.NewDecoder(rd)
	dec.DisallowUnknownFields()
	switch first {
	case '{':
		var v T
		if err := dec.Decode(&v); err != nil {
			return decoded[T]{}, decodeError(err, 0, 0, reflect.TypeFor[T]())
		}
		if err := expectEOF(dec); err != nil {
			return decoded[T]{}, err
		}
		return decoded[T]{items: []T{v}, single: true}, nil
	case '[':
	default:
		return decoded[T]{}, badRequest("the body must be a JSON object, a JSON array of objects, or NDJSON with Content-Type: application/x-ndjson")
	}
	if _, err := dec.Token(); err != nil { // the '['
		return decoded[T]{}, decodeError(err, 0, 0, nil)
	}
	items := make([]T, 0, itemsCap(sizeHint))
	for dec.More() {
		if len(items) == maxItems {
			return decoded[T]{}, tooManyItems()
		}
		var zero T
		items = append(items, zero)
		if err := dec.Decode(&items[len(items)-1]); err != nil {
			return decoded[T]{}, decodeError(err, len(items)-1, 0, reflect.TypeFor[T]())
		}
	}
	if _, err := dec.Token(); err != nil { // the ']'
		return decoded[T]{}, decodeError(err, len(items), 0, nil)
	}
	if err := expectEOF(dec); err != nil {
		return decoded[T]{}, err
	}
	if len(items) == 0 {
		return decoded[T]{}, &apiError{status: http.StatusUnprocessableEntity, msg: "empty batch", fields: []cx.FieldError{{Field: "items", Reason: "at least one item is required"}}}
	}
	return decoded[T]{items: items}, nil
}

// itemsCap guesses a batch's item count from its size in bytes: items are
// rarely smaller than 100 bytes, so this seldom over-allocates much.
func itemsCap(size int64) int {
	if size <= 0 {
		return 16
	}
	return int(min(max(size/100, 1), maxItems))
}

// decodeOne decodes a body holding exactly one JSON object into v.
func decodeOne(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return badRequest("empty body: a JSON object is required")
		}
		return decodeError(err, 0, 0, reflect.TypeOf(v).Elem())
	}
	return expectEOF(dec)
}

// decodeNDJSON decodes one JSON object per line (blank lines are
// skipped), from the stream like an array, noting each item's line.
func decodeNDJSON[T any](body io.Reader) (decoded[T], error) {
	lines := &lineIndex{r: body}
	dec := json.NewDecoder(lines)
	dec.DisallowUnknownFields()
	var out decoded[T]
	for {
		var zero T
		out.items = append(out.items, zero)
		n := len(out.items)
		err := dec.Decode(&out.items[n-1])
		if errors.Is(err, io.EOF) {
			out.items = out.items[:n-1]
			break
		}
		if err != nil {
			var syn *json.SyntaxError
			at := dec.InputOffset() - 1
			if errors.As(err, &syn) {
				at = syn.Offset - 1
			} else if errors.Is(err, io.ErrUnexpectedEOF) {
				at = lines.read - 1
			}
			return decoded[T]{}, decodeError(err, n-1, lines.line(at), reflect.TypeFor[T]())
		}
		if n > maxItems {
			return decoded[T]{}, tooManyItems()
		}
		out.lines = append(out.lines, lines.line(dec.InputOffset()-1))
	}
	if len(out.items) == 0 {
		return decoded[T]{}, &apiError{status: http.StatusUnprocessableEntity, msg: "empty batch", fields: []cx.FieldError{{Field: "items", Reason: "at least one item is required"}}}
	}
	return out, nil
}

// lineIndex notes where the newlines of a stream are as it is read, so
// byte offsets reported by json.Decoder can be turned into line numbers.
// Newlines already passed are only counted, so memory stays bounded by the
// decoder's read-ahead.
type lineIndex struct {
	r       io.Reader
	read    int64   // bytes read so far
	pending []int64 // offsets of newlines not yet passed
	passed  int     // newlines before the last offset asked about
}

func (l *lineIndex) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n; {
		j := bytes.IndexByte(p[i:n], '\n')
		if j < 0 {
			break
		}
		l.pending = append(l.pending, l.read+int64(i+j))
		i += j + 1
	}
	l.read += int64(n)
	return n, err
}

// line returns the 1-based line of byte offset off. Offsets must not
// decrease from one call to the next.
func (l *lineIndex) line(off int64) int {
	k := 0
	for k < len(l.pending) && l.pending[k] < off {
		k++
	}
	l.passed += k
	l.pending = l.pending[k:]
	return l.passed + 1
}

// peekNonSpace returns the first non-space byte of body and a reader that
// still yields the whole body.
func peekNonSpace(body io.Reader) (byte, io.Reader, error) {
	buf := make([]byte, 512)
	n := 0
	for {
		m, err := body.Read(buf[n:])
		for _, c := range buf[n : n+m] {
			switch c {
			case ' ', '\t', '\r', '\n':
				continue
			}
			return c, io.MultiReader(bytes.NewReader(buf[:n+m]), body), nil
		}
		n += m
		if n == len(buf) {
			n = 0 // only whitespace so far: drop it
		}
		if err == io.EOF {
			return 0, nil, badRequest("empty body: a JSON object or array is required")
		}
		if err != nil {
			return 0, nil, err
		}
	}
}

// expectEOF fails when anything but whitespace follows the decoded value.
func expectEOF(dec *json.Decoder) error {
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return decodeError(err, 0, 0, nil)
		}
		return badRequest(fmt.Sprintf("unexpected data after the JSON value at byte offset %d", dec.InputOffset()))
	}
	return nil
}

func tooManyItems() error {
	return &apiError{status: http.StatusUnprocessableEntity, msg: fmt.Sprintf("a batch holds at most %d items", maxItems),
		fields: []cx.FieldError{{Index: maxItems, Field: "items", Reason: fmt.Sprintf("at most %d items per batch", maxItems)}}}
}

// decodeError turns a JSON decoding error of item index (from NDJSON line
// line, when not 0) of type typ into a 400 naming the offset or unknown
// field, or a 422 naming the field whose value has the wrong type. Read
// errors (an oversize body) pass through.
func decodeError(err error, index, line int, typ reflect.Type) error {
	where := fmt.Sprintf("item %d", index)
	if line > 0 {
		where = fmt.Sprintf("line %d", line)
	}
	var syn *json.SyntaxError
	var wrongType *json.UnmarshalTypeError
	var perr *time.ParseError
	switch {
	case errors.As(err, &syn):
		return badRequest(fmt.Sprintf("malformed JSON (%s) at byte offset %d: %s", where, syn.Offset, syn.Error()))
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return badRequest(fmt.Sprintf("malformed JSON (%s): unexpected end of body", where))
	case errors.As(err, &wrongType):
		field := wrongType.Field
		if field == "" {
			field = "item"
		}
		return &apiError{status: http.StatusUnprocessableEntity, msg: fmt.Sprintf("%s: %s: expected %s, got JSON %s", where, field, jsonType(wrongType), wrongType.Value),
			fields: []cx.FieldError{{Index: index, Line: line, Field: field, Reason: fmt.Sprintf("expected %s, got JSON %s", jsonType(wrongType), wrongType.Value)}}}
	case errors.As(err, &perr):
		reason := fmt.Sprintf("%q is not an RFC 3339 time (like 2026-03-01T10:00:00Z)", perr.Value)
		// time.Time's UnmarshalJSON does not say which field failed; name
		// the candidates (one for events and responses).
		field := strings.Join(timeFields(typ), "|")
		return &apiError{status: http.StatusUnprocessableEntity, msg: where + ": " + field + ": " + reason,
			fields: []cx.FieldError{{Index: index, Line: line, Field: field, Reason: reason}}}
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
		return badRequest(fmt.Sprintf("%s: unknown field %s", where, strings.TrimPrefix(msg, "json: unknown field ")))
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return err
	}
	if strings.HasPrefix(err.Error(), "json: ") || strings.HasPrefix(err.Error(), "parsing time") {
		return badRequest(fmt.Sprintf("%s: %s", where, err.Error()))
	}
	return fmt.Errorf("read body: %w", err)
}

// timeFields lists the JSON names of the time fields of struct type typ.
func timeFields(typ reflect.Type) []string {
	if typ == nil || typ.Kind() != reflect.Struct {
		return []string{"time"}
	}
	var out []string
	timeType := reflect.TypeFor[time.Time]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" && (f.Type == timeType || f.Type == reflect.PointerTo(timeType)) && name != "created_at" {
			out = append(out, name)
		}
	}
	if len(out) == 0 {
		return []string{"time"}
	}
	return out
}

// jsonType names the JSON type a Go type expects, for error messages.
func jsonType(e *json.UnmarshalTypeError) string {
	if e.Type == nil {
		return "another type"
	}
	switch e.Type.Kind().String() {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "map", "struct":
		return "an object"
	case "slice", "array":
		return "an array"
	case "ptr":
		return jsonType(&json.UnmarshalTypeError{Type: e.Type.Elem()})
	}
	return "a " + e.Type.String()
}
