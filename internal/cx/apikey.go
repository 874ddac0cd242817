package cx

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// API key scopes.
const (
	ScopeRead  = "read"
	ScopeWrite = "write"
)

// APIKey authorises API calls for one workspace. Only a hash of the key is
// stored; the key itself is shown once, when created.
type APIKey struct {
	ID          int64      `json:"id"`
	WorkspaceID int64      `json:"workspace_id"`
	Name        string     `json:"name"`
	Prefix      string     `json:"prefix"`
	Scopes      []string   `json:"scopes"`
	CreatedAt   time.Time  `json:"created_at"`
	LastUsedAt  *time.Time `json:"last_used_at,omitempty"`
	RevokedAt   *time.Time `json:"revoked_at,omitempty"`

	Hash string `json:"-"`
}

// HasScope reports whether the key carries scope; write implies read.
func (k APIKey) HasScope(scope string) bool {
	if slices.Contains(k.Scopes, scope) {
		return true
	}
	return scope == ScopeRead && slices.Contains(k.Scopes, ScopeWrite)
}

// ValidateScopes checks a scope list and returns it sorted and deduplicated.
func ValidateScopes(scopes []string) ([]string, error) {
	if len(scopes) == 0 {
		return nil, Invalid("scopes", "at least one of read, write")
	}
	out := make([]string, 0, len(scopes))
	for _, s := range scopes {
		s = strings.TrimSpace(s)
		if s != ScopeRead && s != ScopeWrite {
			return nil, Invalid("scopes", "unknown scope "+s+" (read or write)")
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

var keyEncoding = base32.NewEncoding("abcdefghjkmnpqrstuvwxyz234567890").WithPadding(base32.NoPadding)

// NewAPIKey returns a fresh random key (160 bits of entropy), its display
// prefix and the hash to store.
func NewAPIKey() (key, prefix, hash string) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic("cx: crypto/rand failed: " + err.Error()) // never happens on supported platforms
	}
	secret := keyEncoding.EncodeToString(b)
	key = "cxl_" + secret
	return key, key[:12], HashAPIKey(key)
}

// HashAPIKey returns the stored form of a key. Keys are long random strings,
// so a single SHA-256 is enough (unlike passwords, which need a slow hash).
func HashAPIKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
