package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/cxlens/cxlens/internal/cx"
)

// apiError is a failure found in the HTTP layer itself (malformed JSON, a
// bad header, an unknown field) with the status and public message to send.
type apiError struct {
	status int
	msg    string
	fields []cx.FieldError
}

func (e *apiError) Error() string { return e.msg }

// badRequest returns a 400 apiError.
func badRequest(msg string) error { return &apiError{status: http.StatusBadRequest, msg: msg} }

// errorBody is the JSON shape of every error answer.
type errorBody struct {
	Error  string          `json:"error"`
	Fields []cx.FieldError `json:"fields,omitempty"`
}

// statusClientClosed is logged (never sent) when the client went away.
const statusClientClosed = 499

// errorResponse maps err to a status and public message. It is the one
// place errors become statuses; internal causes are logged here, once, and
// never sent to the client.
func (s *server) errorResponse(r *http.Request, err error) (status int, body errorBody) {
	var ae *apiError
	var ve *cx.ValidationError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &ae):
		return ae.status, errorBody{Error: ae.msg, Fields: ae.fields}
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, errorBody{Error: "request body larger than " + strconv.FormatInt(tooBig.Limit, 10) + " bytes"}
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, errorBody{Error: ve.Error(), Fields: ve.Fields}
	case errors.Is(err, cx.ErrInvalid):
		return http.StatusUnprocessableEntity, errorBody{Error: "invalid input"}
	case errors.Is(err, cx.ErrNotFound):
		return http.StatusNotFound, errorBody{Error: "not found"}
	case errors.Is(err, cx.ErrConflict):
		return http.StatusConflict, errorBody{Error: "conflict with stored state"}
	case errors.Is(err, cx.ErrUnauthorized):
		return http.StatusUnauthorized, errorBody{Error: "missing, unknown or revoked API key (send Authorization: Bearer <key>)"}
	case errors.Is(err, cx.ErrForbidden):
		return http.StatusForbidden, errorBody{Error: "the API key lacks the scope this call needs"}
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		return statusClientClosed, errorBody{Error: "request cancelled"}
	}
	s.logger.LogAttrs(r.Context(), slog.LevelError, "internal error",
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	return http.StatusInternalServerError, errorBody{Error: "internal server error"}
}

// fail answers with the JSON error for err.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, body := s.errorResponse(r, err)
	if status == statusClientClosed {
		return // nobody is listening
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="cxlens"`)
	}
	writeJSON(w, status, body)
}

// writeError answers with {"error": msg, "fields": fields}.
func writeError(w http.ResponseWriter, status int, msg string, fields []cx.FieldError) {
	writeJSON(w, status, errorBody{Error: msg, Fields: fields})
}
