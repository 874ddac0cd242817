package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Passwords are hashed with argon2id (RFC 9106), the winner of the Password
// Hashing Competition and OWASP's first choice: memory-hard, so GPU
// guessing is expensive, with no 72-byte truncation as in bcrypt. The
// parameters are OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane);
// one hash takes about 54 ms here (BenchmarkHashPassword, 2 cores,
// shared). Hashes are stored as PHC strings, so the parameters can be
// raised later without breaking stored hashes. At most hashSlots hashes
// run at once, so a login flood from many addresses cannot take more than
// 4 × 19 MiB.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password length limits (characters): long passphrases are welcome; the
// upper bound only keeps a hash request from being a denial of service.
const (
	minPasswordLen = 10
	maxPasswordLen = 200
)

// newPassword reads a new password and its repetition from the form fields
// name and repeat, and records in fields (field → catalogue key) what is
// wrong with them: too short or long, or not repeated the same.
func newPassword(r *http.Request, name, repeat string, fields map[string]string) string {
	p := r.PostFormValue(name)
	if k := checkPassword(p); k != "" {
		fields[name] = k
	}
	if p != r.PostFormValue(repeat) {
		fields[repeat] = "auth.password.mismatch"
	}
	return p
}

// checkPassword returns the catalogue key of what is wrong with a new
// password, or "".
func checkPassword(p string) string {
	n := utf8.RuneCountInString(p)
	switch {
	case n < minPasswordLen:
		return "auth.password.short"
	case n > maxPasswordLen:
		return "auth.password.long"
	}
	return ""
}

// hashSlots bounds concurrent argon2id computations.
var hashSlots = make(chan struct{}, 4)

func argonKey(password, salt []byte, t, m uint32, p uint8, n uint32) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey(password, salt, t, m, p, n)
}

// hashPassword returns the argon2id PHC string of password.
func hashPassword(password string) string {
	salt := make([]byte, argonSaltLen)
	rand.Read(salt)
	key := argonKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// dummyHash is verified against when the email is unknown, so a login
// takes as long whether or not the account exists.
var dummyHash = sync.OnceValue(func() string { return hashPassword("not a real password, only for timing") })

// HashPassword returns the argon2id hash of a new password, after checking
// its length; cxlens user create uses it.
func HashPassword(password string) (string, error) {
	switch checkPassword(password) {
	case "auth.password.short":
		return "", fmt.Errorf("password: must be at least %d characters", minPasswordLen)
	case "auth.password.long":
		return "", fmt.Errorf("password: must be at most %d characters", maxPasswordLen)
	}
	return hashPassword(password), nil
}

// verifyPassword reports whether password matches the PHC string hash.
func verifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || len(password) > 4*maxPasswordLen {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<20 || t == 0 || t > 10 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argonKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
