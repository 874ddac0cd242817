package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// healthz handles GET /healthz: the process is up.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	writeBody(w, http.StatusOK, []byte(`{"status":"ok"}`+"\n"))
}

// readyz handles GET /readyz: the database answers within two seconds.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.logger.LogAttrs(r.Context(), slog.LevelError, "readiness check failed", slog.String("error", err.Error()))
		writeBody(w, http.StatusServiceUnavailable, []byte(`{"status":"unavailable","error":"database unreachable"}`+"\n"))
		return
	}
	writeBody(w, http.StatusOK, []byte(`{"status":"ok"}`+"\n"))
}
