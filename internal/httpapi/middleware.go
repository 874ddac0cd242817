package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
)

// recorder remembers what a handler wrote, for the request log and for
// panic recovery (which can only answer if nothing was written yet).
type recorder struct {
	http.ResponseWriter
	status    int
	bytes     int64
	workspace int64 // set by auth once the key is known
}

func (rec *recorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// logRequests logs one line per request with slog.
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.opts.Now()
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		if !s.logger.Enabled(r.Context(), level) {
			return
		}
		s.logger.LogAttrs(r.Context(), level, "http request",
			slog.String("method", r.Method),
			slog.String("path", logPath(r.URL.Path)),
			slog.Int("status", rec.status),
			slog.Int64("bytes", rec.bytes),
			slog.Int64("workspace", rec.workspace),
			slog.Duration("duration", s.opts.Now().Sub(start)),
		)
	})
}

// logPath is the path as logged: the bearer tokens of survey invitation
// links (/s/{token}) and unsubscribe links (/u/{token}) are replaced by
// "{token}", so whoever reads the logs cannot answer or unsubscribe for the
// customer. Anonymous survey links (/s/{public key}/{survey}) and static
// files stay as they are.
func logPath(p string) string {
	for _, prefix := range []string{"/s/", "/u/"} {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok || rest == "" || strings.Contains(rest, "/") {
			continue
		}
		if prefix == "/u/" || strings.Contains(rest, ".") {
			return prefix + "{token}"
		}
	}
	return p
}

// recoverPanics turns a handler panic into a 500 JSON answer and one log
// line with the stack, instead of a dropped connection.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v) // the handler asked for the connection to be dropped
			}
			s.logger.Error("panic in handler", slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
			if rec, ok := w.(*recorder); ok && rec.status != 0 {
				return // too late to answer; the client sees a truncated body
			}
			writeError(w, http.StatusInternalServerError, "internal server error", nil)
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody caps every request body at Options.MaxBodyBytes; reading past
// it fails with *http.MaxBytesError, which maps to 413.
func (s *server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}
