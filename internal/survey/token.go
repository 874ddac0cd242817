package survey

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// TokenKind says what a token grants, so a token made for one purpose can
// never be replayed for another.
type TokenKind byte

// Token kinds.
const (
	// TokenInvitation opens and answers one invitation: ID is its id.
	TokenInvitation TokenKind = 1
	// TokenResponse adds the comment to a response just given through an
	// anonymous link or the widget: ID is the response's id.
	TokenResponse TokenKind = 2
	// TokenUnsubscribe unsubscribes the invitation's address: ID is the
	// invitation's id.
	TokenUnsubscribe TokenKind = 3
	// TokenForm proves a survey form was rendered by this server (recently):
	// the CSRF guard of the public pages. ID is the survey's id.
	TokenForm TokenKind = 4
)

// SecretName is the server secret (store.Secret) that signs survey
// tokens: every part of the server that makes or checks them uses it.
const SecretName = "survey-token"

// Token is the signed content of a survey link.
type Token struct {
	Kind      TokenKind
	Workspace int64
	ID        int64
	Expires   time.Time // second precision
}

// Token errors. Verify wraps one of them.
var (
	ErrTokenInvalid = errors.New("survey: invalid token")
	ErrTokenExpired = errors.New("survey: token expired")
)

// tokenVersion is the first byte of every payload.
const tokenVersion = 1

// macLen is the length of the truncated HMAC-SHA256 tag: 128 bits is far
// beyond what an online forgery attempt can reach and keeps email links
// short.
const macLen = 16

// MinSecretLen is the shortest secret a Signer accepts.
const MinSecretLen = 16

// Signer makes and checks tokens with HMAC-SHA256 keyed by a server secret.
type Signer struct {
	key []byte
}

// NewSigner returns a Signer over secret (at least MinSecretLen bytes).
func NewSigner(secret []byte) (*Signer, error) {
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("survey: token secret must be at least %d bytes, got %d", MinSecretLen, len(secret))
	}
	return &Signer{key: append([]byte(nil), secret...)}, nil
}

var b64 = base64.RawURLEncoding

// Sign returns the token as URL-safe text: base64url(payload) "."
// base64url(tag). The payload is a version byte, the kind and three
// varints (workspace, id, expiry in Unix seconds).
func (s *Signer) Sign(t Token) string {
	buf := make([]byte, 0, 2+3*binary.MaxVarintLen64)
	buf = append(buf, tokenVersion, byte(t.Kind))
	buf = binary.AppendUvarint(buf, uint64(t.Workspace))
	buf = binary.AppendUvarint(buf, uint64(t.ID))
	buf = binary.AppendVarint(buf, t.Expires.Unix())
	return b64.EncodeToString(buf) + "." + b64.EncodeToString(s.mac(buf))
}

func (s *Signer) mac(payload []byte) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write(payload)
	return h.Sum(nil)[:macLen]
}

// Verify checks a token's signature (in constant time), kind and expiry
// at now, and returns its content. Errors wrap ErrTokenInvalid or
// ErrTokenExpired.
func (s *Signer) Verify(text string, kind TokenKind, now time.Time) (Token, error) {
	if len(text) > 200 {
		return Token{}, fmt.Errorf("%w: too long", ErrTokenInvalid)
	}
	p, m, ok := strings.Cut(text, ".")
	if !ok {
		return Token{}, fmt.Errorf("%w: malformed", ErrTokenInvalid)
	}
	payload, err1 := b64.DecodeString(p)
	tag, err2 := b64.DecodeString(m)
	if err1 != nil || err2 != nil || len(tag) != macLen {
		return Token{}, fmt.Errorf("%w: malformed", ErrTokenInvalid)
	}
	if !hmac.Equal(tag, s.mac(payload)) {
		return Token{}, fmt.Errorf("%w: bad signature", ErrTokenInvalid)
	}
	if len(payload) < 2 || payload[0] != tokenVersion {
		return Token{}, fmt.Errorf("%w: unknown version", ErrTokenInvalid)
	}
	t := Token{Kind: TokenKind(payload[1])}
	rest := payload[2:]
	ws, n := binary.Uvarint(rest)
	if n <= 0 {
		return Token{}, fmt.Errorf("%w: malformed", ErrTokenInvalid)
	}
	rest = rest[n:]
	id, n := binary.Uvarint(rest)
	if n <= 0 {
		return Token{}, fmt.Errorf("%w: malformed", ErrTokenInvalid)
	}
	rest = rest[n:]
	exp, n := binary.Varint(rest)
	if n <= 0 || n != len(rest) {
		return Token{}, fmt.Errorf("%w: malformed", ErrTokenInvalid)
	}
	t.Workspace, t.ID, t.Expires = int64(ws), int64(id), time.Unix(exp, 0).UTC()
	if t.Kind != kind {
		return Token{}, fmt.Errorf("%w: wrong kind", ErrTokenInvalid)
	}
	if !now.Before(t.Expires) {
		return t, fmt.Errorf("%w at %s", ErrTokenExpired, t.Expires.Format(time.RFC3339))
	}
	return t, nil
}
