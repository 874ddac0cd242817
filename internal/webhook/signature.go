package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Request headers of a webhook delivery.
const (
	HeaderID        = "Cxlens-Id"        // the envelope's id
	HeaderTimestamp = "Cxlens-Timestamp" // Unix seconds when the request was signed
	HeaderSignature = "Cxlens-Signature" // "v1=<hex HMAC-SHA256>", comma separated when several
)

// DefaultTolerance is how far a timestamp may be from the receiver's clock
// when Verify is given no tolerance.
const DefaultTolerance = 5 * time.Minute

// Verification errors.
var (
	// ErrSignature means no signature of the request matches its body.
	ErrSignature = errors.New("webhook: signature does not match")
	// ErrTimestamp means the timestamp is missing, malformed, or outside the
	// tolerance: an old request replayed, or a clock far off.
	ErrTimestamp = errors.New("webhook: timestamp outside the tolerance")
)

// Sign returns the Cxlens-Signature value for body sent at timestamp (the
// Cxlens-Timestamp value): "v1=" and the hex HMAC-SHA256, keyed with
// secret, of timestamp + "." + body. Signing the timestamp with the body
// lets receivers refuse old requests replayed by someone who captured them.
func Sign(secret, timestamp string, body []byte) string {
	return "v1=" + hex.EncodeToString(mac(secret, timestamp, body))
}

func mac(secret, timestamp string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(timestamp))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks a request received with the Cxlens-Timestamp header
// timestamp, the raw body, and the Cxlens-Signature header signature: one
// of its v1 signatures must match (compared in constant time), and the
// timestamp must be within tolerance of now (DefaultTolerance when
// tolerance is 0 or less). It returns nil, ErrSignature or ErrTimestamp.
func Verify(secret, timestamp string, body []byte, signature string, tolerance time.Duration) error {
	return verifyAt(secret, timestamp, body, signature, tolerance, time.Now())
}

func verifyAt(secret, timestamp string, body []byte, signature string, tolerance time.Duration, now time.Time) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q is not Unix seconds", ErrTimestamp, timestamp)
	}
	if d := now.Sub(time.Unix(sec, 0)).Abs(); d > tolerance {
		return fmt.Errorf("%w: %s away, more than %s", ErrTimestamp, d, tolerance)
	}
	want := mac(secret, timestamp, body)
	for _, part := range strings.Split(signature, ",") {
		scheme, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || scheme != "v1" {
			continue // other schemes are for other versions
		}
		got, err := hex.DecodeString(value)
		// hmac.Equal takes the same time whatever bytes differ, so an
		// attacker cannot find the signature byte by byte by timing.
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrSignature
}
