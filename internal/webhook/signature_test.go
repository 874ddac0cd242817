package webhook

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSignVerify(t *testing.T) {
	t.Parallel()
	const secret = "whsec_0123456789abcdef"
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	ts := strconv.FormatInt(now.Unix(), 10)
	body := []byte(`{"id":"msg_1","type":"response.created","data":{"score":3}}`)
	sig := Sign(secret, ts, body)
	if !strings.HasPrefix(sig, "v1=") || len(sig) != 3+64 {
		t.Fatalf("Sign = %q, want v1= and 64 hex digits", sig)
	}
	// Flip one hex digit of the signature at position i.
	flip := func(i int) string {
		b := []byte(sig)
		if b[i] == '0' {
			b[i] = '1'
		} else {
			b[i] = '0'
		}
		return string(b)
	}
	old := strconv.FormatInt(now.Add(-6*time.Minute).Unix(), 10)
	future := strconv.FormatInt(now.Add(6*time.Minute).Unix(), 10)
	tests := []struct {
		name      string
		secret    string
		timestamp string
		body      string
		signature string
		tolerance time.Duration
		want      error
	}{
		{"round trip", secret, ts, string(body), sig, 0, nil},
		{"one of several signatures (secret rotation)", secret, ts, string(body), "v1=" + strings.Repeat("ab", 32) + ", " + sig, 0, nil},
		{"unknown schemes ignored", secret, ts, string(body), "v0=zz," + sig, 0, nil},
		{"body tampered", secret, ts, strings.Replace(string(body), `"score":3`, `"score":9`, 1), sig, 0, ErrSignature},
		{"body extended", secret, ts, string(body) + " ", sig, 0, ErrSignature},
		{"timestamp changed", secret, strconv.FormatInt(now.Unix()+1, 10), string(body), sig, 0, ErrSignature},
		{"wrong secret", "whsec_other", ts, string(body), sig, 0, ErrSignature},
		{"first digit differs", secret, ts, string(body), flip(3), 0, ErrSignature},
		{"last digit differs", secret, ts, string(body), flip(len(sig) - 1), 0, ErrSignature},
		{"truncated", secret, ts, string(body), sig[:len(sig)-2], 0, ErrSignature},
		{"not hex", secret, ts, string(body), "v1=" + strings.Repeat("zz", 32), 0, ErrSignature},
		{"no scheme", secret, ts, string(body), strings.TrimPrefix(sig, "v1="), 0, ErrSignature},
		{"empty signature", secret, ts, string(body), "", 0, ErrSignature},
		{"replayed 6 min later", secret, old, string(body), Sign(secret, old, body), 0, ErrTimestamp},
		{"6 min late is fine with 10 min tolerance", secret, old, string(body), Sign(secret, old, body), 10 * time.Minute, nil},
		{"from the future", secret, future, string(body), Sign(secret, future, body), 0, ErrTimestamp},
		{"timestamp missing", secret, "", string(body), Sign(secret, "", body), 0, ErrTimestamp},
		{"timestamp in ms", secret, ts + "000", string(body), Sign(secret, ts+"000", body), 0, ErrTimestamp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := verifyAt(tt.secret, tt.timestamp, []byte(tt.body), tt.signature, tt.tolerance, now)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("verify = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestVerifyNow checks the exported Verify against the real clock.
func TestVerifyNow(t *testing.T) {
	t.Parallel()
	body := []byte(`{}`)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	if err := Verify("s3cr3t-s3cr3t-s3cr3t", ts, body, Sign("s3cr3t-s3cr3t-s3cr3t", ts, body), time.Minute); err != nil {
		t.Errorf("Verify = %v", err)
	}
	old := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
	if err := Verify("s3cr3t-s3cr3t-s3cr3t", old, body, Sign("s3cr3t-s3cr3t-s3cr3t", old, body), time.Minute); !errors.Is(err, ErrTimestamp) {
		t.Errorf("Verify of an hour-old request = %v, want ErrTimestamp", err)
	}
}

// TestSignKnownVector pins the signature scheme to an independent
// computation: printf '1763632800.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
func TestSignKnownVector(t *testing.T) {
	t.Parallel()
	got := Sign("whsec_test", "1763632800", []byte(`{"a":1}`))
	const want = "v1=a7105bf07e7a45498dc770bff3df00db47ccffce1912d8b26e4ac406f2d19695"
	if got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}
