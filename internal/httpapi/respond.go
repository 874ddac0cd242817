package httpapi

import (
	"encoding/json"
	"net/http"
)

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only unsupported values (NaN, channels) fail; none reach here.
		status = http.StatusInternalServerError
		b = []byte(`{"error":"internal server error"}`)
	}
	writeBody(w, status, append(b, '\n'))
}

// writeBody answers with an already encoded JSON body.
func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// listBody is the JSON shape of every list answer.
type listBody[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// writeList answers with a page of items; an empty cursor becomes null.
func writeList[T any](w http.ResponseWriter, items []T, next string) {
	if items == nil {
		items = []T{}
	}
	body := listBody[T]{Items: items}
	if next != "" {
		body.NextCursor = &next
	}
	writeJSON(w, http.StatusOK, body)
}
