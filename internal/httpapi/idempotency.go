package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// maxIdempotencyKey bounds the Idempotency-Key header, leaving room for
// the "#<index>" suffix of derived per-item keys within cx.MaxShortText.
const maxIdempotencyKey = 200

// postHandler does the work of a POST and returns the answer to send (and
// to store under the request's Idempotency-Key). idemKey is the header's
// value, "" when absent.
type postHandler func(body io.Reader, idemKey string) (status int, resp []byte, err error)

// idempotent runs h for a POST of workspace ws, honouring the
// Idempotency-Key header: the first successful (2xx) answer for a key is
// stored with a fingerprint of the request (method, path, query, body), a
// retry with the same request replays it byte for byte with
// Idempotent-Replayed: true, and the key reused for another request is a
// 422. Failed answers are not stored, so a corrected retry may reuse the key.
func (s *server) idempotent(w http.ResponseWriter, r *http.Request, ws int64, h postHandler) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		status, resp, err := h(r.Body, "")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeBody(w, status, resp)
		return
	}
	if err := checkIdempotencyKey(key); err != nil {
		s.fail(w, r, err)
		return
	}
	sum := fingerprintHash(r)
	stored, err := s.db.IdempotentRequest(r.Context(), ws, key)
	switch {
	case err == nil:
		// Seen before: hash this body to tell a retry from a reused key.
		if _, err := io.Copy(sum, r.Body); err != nil {
			s.fail(w, r, fmt.Errorf("read body: %w", err))
			return
		}
		s.replay(w, r, stored, hex.EncodeToString(sum.Sum(nil)))
		return
	case !errors.Is(err, cx.ErrNotFound):
		s.fail(w, r, err)
		return
	}

	// First time: hash the body as the handler streams it.
	body := io.TeeReader(r.Body, sum)
	status, resp, err := h(body, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := io.Copy(io.Discard, body); err != nil { // finish the hash
		s.fail(w, r, fmt.Errorf("read body: %w", err))
		return
	}
	fp := hex.EncodeToString(sum.Sum(nil))
	if err := s.db.SaveIdempotentRequest(r.Context(), ws, store.IdempotentRequest{Key: key, Fingerprint: fp, Status: status, Body: resp}); err != nil {
		// The work is done and stored; a retry is still deduplicated item
		// by item through the derived keys, so answer rather than fail.
		s.logger.LogAttrs(r.Context(), slog.LevelError, "save idempotent request",
			slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		writeBody(w, status, resp)
		return
	}
	// A concurrent retry may have saved its answer first (the first saved
	// wins); answer as it did, so every retry sees the same response.
	if stored, err := s.db.IdempotentRequest(r.Context(), ws, key); err == nil && !bytes.Equal(stored.Body, resp) {
		s.replay(w, r, stored, fp)
		return
	}
	writeBody(w, status, resp)
}

// replay answers with a stored response when the fingerprints match.
func (s *server) replay(w http.ResponseWriter, r *http.Request, stored store.IdempotentRequest, fp string) {
	if stored.Fingerprint != fp {
		s.fail(w, r, &apiError{status: http.StatusUnprocessableEntity,
			msg: "Idempotency-Key " + fmt.Sprintf("%q", stored.Key) + " was already used for a different request"})
		return
	}
	w.Header().Set("Idempotent-Replayed", "true")
	writeBody(w, stored.Status, stored.Body)
}

// fingerprintHash starts the request fingerprint: SHA-256 over method,
// path and query, to which the body is then written.
func fingerprintHash(r *http.Request) hash.Hash {
	h := sha256.New()
	io.WriteString(h, r.Method)
	h.Write([]byte{0})
	io.WriteString(h, r.URL.Path)
	h.Write([]byte{0})
	io.WriteString(h, r.URL.RawQuery)
	h.Write([]byte{0})
	return h
}

// checkIdempotencyKey accepts 1–200 printable ASCII characters.
func checkIdempotencyKey(key string) error {
	if len(key) > maxIdempotencyKey {
		return badRequest(fmt.Sprintf("Idempotency-Key longer than %d bytes", maxIdempotencyKey))
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return badRequest("Idempotency-Key must be printable ASCII")
		}
	}
	return nil
}
