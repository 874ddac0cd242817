package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// batchKind describes how one kind of item is ingested by a POST.
type batchKind[T any] struct {
	// insert writes a batch (a store method).
	insert func(ctx context.Context, ws int64, items []T, opts store.BatchOptions) (store.BatchResult, error)
	// idempotencyKey points at an item's idempotency_key; nil for kinds
	// that are naturally idempotent (customers upsert by external_id).
	idempotencyKey func(item *T) *string
	// upsert answers 200 rather than 201 when nothing was created.
	upsert bool
}

// ingest handles a POST of one object, a JSON array or NDJSON of items.
//
// Answers: 201 with per-item results when the batch is stored; with
// ?partial=true, 200 with per-item results (status created, duplicate or
// rejected with errors) whatever the mix; 422 naming every bad field when
// an atomic batch has invalid items (and nothing is stored).
func ingest[T any](s *server, w http.ResponseWriter, r *http.Request, key cx.APIKey, kind batchKind[T]) {
	partial, err := boolParam(r, "partial")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ndjson := isNDJSON(r)
	s.idempotent(w, r, key.WorkspaceID, func(body io.Reader, idemKey string) (int, []byte, error) {
		d, err := decodeItems[T](body, ndjson, r.ContentLength)
		if err != nil {
			return 0, nil, err
		}
		if idemKey != "" && kind.idempotencyKey != nil {
			// Items without their own key get "<header key>#<index>", so a
			// retry racing the first attempt cannot store them twice.
			prefix := idemKey + "#"
			for i := range d.items {
				if k := kind.idempotencyKey(&d.items[i]); *k == "" {
					*k = prefix + strconv.Itoa(i)
				}
			}
		}
		res, err := kind.insert(r.Context(), key.WorkspaceID, d.items, store.BatchOptions{Partial: partial})
		if err != nil {
			return 0, nil, withLines(err, d.lines)
		}
		status := http.StatusCreated
		switch {
		case partial:
			status = http.StatusOK
		case kind.upsert && res.Inserted == 0:
			status = http.StatusOK
		}
		return status, appendBatchResult(make([]byte, 0, 64+40*len(res.Items)), res, d.single, kind.upsert, d.lines), nil
	})
}

// withLines adds NDJSON line numbers to the field errors of err.
func withLines(err error, lines []int) error {
	var ve *cx.ValidationError
	if len(lines) == 0 || !errors.As(err, &ve) {
		return err
	}
	for i := range ve.Fields {
		if f := &ve.Fields[i]; f.Index >= 0 && f.Index < len(lines) {
			f.Line = lines[f.Index]
		}
	}
	return err
}

// appendBatchResult encodes a batch result by hand: a batch of 1,000
// items is answered on every ingest call, and this avoids reflection.
//
//	{"inserted":2,"duplicates":0,"rejected":0,"id":1,"items":[{"index":0,"id":1,"status":"created"},...]}
func appendBatchResult(b []byte, res store.BatchResult, single, upsert bool, lines []int) []byte {
	b = append(b, `{"inserted":`...)
	b = strconv.AppendInt(b, int64(res.Inserted), 10)
	if upsert {
		b = append(b, `,"updated":`...)
		b = strconv.AppendInt(b, int64(res.Updated), 10)
	}
	b = append(b, `,"duplicates":`...)
	b = strconv.AppendInt(b, int64(res.Duplicates), 10)
	b = append(b, `,"rejected":`...)
	b = strconv.AppendInt(b, int64(res.Rejected), 10)
	if single && len(res.Items) == 1 && res.Items[0].ID > 0 {
		b = append(b, `,"id":`...)
		b = strconv.AppendInt(b, res.Items[0].ID, 10)
	}
	b = append(b, `,"items":[`...)
	for i, it := range res.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"index":`...)
		b = strconv.AppendInt(b, int64(it.Index), 10)
		if it.Index < len(lines) {
			b = append(b, `,"line":`...)
			b = strconv.AppendInt(b, int64(lines[it.Index]), 10)
		}
		if it.ID > 0 {
			b = append(b, `,"id":`...)
			b = strconv.AppendInt(b, it.ID, 10)
		}
		b = append(b, `,"status":"`...)
		b = append(b, it.Status...) // a fixed word, no escaping needed
		b = append(b, '"')
		if len(it.Errors) > 0 {
			if lines != nil {
				for j := range it.Errors {
					it.Errors[j].Line = lines[it.Index]
				}
			}
			errs, err := json.Marshal(it.Errors)
			if err == nil {
				b = append(b, `,"errors":`...)
				b = append(b, errs...)
			}
		}
		b = append(b, '}')
	}
	return append(b, "]}\n"...)
}

// boolParam reads an optional boolean query parameter.
func boolParam(r *http.Request, name string) (bool, error) {
	switch v := r.URL.Query().Get(name); v {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	default:
		return false, &apiError{status: http.StatusUnprocessableEntity, msg: "invalid query parameters: " + name + ": must be true or false",
			fields: []cx.FieldError{{Field: name, Reason: "must be true or false"}}}
	}
}

// itoa formats an int.
func itoa(n int) string { return strconv.Itoa(n) }
