package survey

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestToken(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	s, err := NewSigner(secret)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	tok := Token{Kind: TokenInvitation, Workspace: 7, ID: 123456789, Expires: now.Add(time.Hour)}
	good := s.Sign(tok)
	other, _ := NewSigner([]byte("another secret, also 32 bytes!!!"))
	flip := func(text string, i int) string {
		b := []byte(text)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	dot := strings.IndexByte(good, '.')
	tests := []struct {
		name string
		text string
		kind TokenKind
		now  time.Time
		want error
	}{
		{"valid", good, TokenInvitation, now, nil},
		{"valid just before expiry", good, TokenInvitation, now.Add(time.Hour - time.Second), nil},
		{"expired at expiry", good, TokenInvitation, now.Add(time.Hour), ErrTokenExpired},
		{"expired later", good, TokenInvitation, now.Add(48 * time.Hour), ErrTokenExpired},
		{"payload tampered", flip(good, 3), TokenInvitation, now, ErrTokenInvalid},
		{"tag tampered", flip(good, dot+2), TokenInvitation, now, ErrTokenInvalid},
		{"other secret", other.Sign(tok), TokenInvitation, now, ErrTokenInvalid},
		{"wrong kind", good, TokenUnsubscribe, now, ErrTokenInvalid},
		{"no dot", strings.Replace(good, ".", "", 1), TokenInvitation, now, ErrTokenInvalid},
		{"empty", "", TokenInvitation, now, ErrTokenInvalid},
		{"truncated tag", good[:len(good)-2], TokenInvitation, now, ErrTokenInvalid},
		{"not base64", "!!!!.????", TokenInvitation, now, ErrTokenInvalid},
		{"too long", good + strings.Repeat("A", 300), TokenInvitation, now, ErrTokenInvalid},
		{"swapped workspace", s.Sign(Token{Kind: TokenInvitation, Workspace: 8, ID: 123456789, Expires: tok.Expires})[:dot] + good[dot:], TokenInvitation, now, ErrTokenInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Verify(tt.text, tt.kind, tt.now)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if got != (Token{Kind: TokenInvitation, Workspace: 7, ID: 123456789, Expires: tok.Expires}) {
					t.Fatalf("Verify = %+v, want %+v", got, tok)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify error = %v, want %v", err, tt.want)
			}
		})
	}
	if strings.ContainsAny(good, "+/=?&# ") || !strings.Contains(good, ".") {
		t.Errorf("token %q is not URL-safe with one dot", good)
	}
	if _, err := NewSigner([]byte("short")); err == nil {
		t.Error("NewSigner accepted a 5-byte secret")
	}
}
