package outbox

import "time"

// Backoff is a retry schedule: exponential backoff with full jitter. The
// wait before retry n (n = 1 after the first failure) is uniform in
// [0, min(Cap, Base·2^(n−1))). Full jitter spreads retries out, so
// endpoints coming back after an outage are not hit by every queued
// message at once (AWS Architecture Blog, "Exponential Backoff and
// Jitter", 2015). MaxAge bounds the whole: a message still failing when its
// next attempt would fall more than MaxAge after its creation (or replay)
// is dead-lettered.
type Backoff struct {
	Base   time.Duration
	Cap    time.Duration
	MaxAge time.Duration
}

// DefaultBackoff retries from 10 s, up to 1 h apart, for 24 h.
var DefaultBackoff = Backoff{Base: 10 * time.Second, Cap: time.Hour, MaxAge: 24 * time.Hour}

// Ceiling returns the upper bound of the wait after failed attempt n.
func (b Backoff) Ceiling(n int) time.Duration {
	d := b.Base
	for i := 1; i < n && d < b.Cap; i++ {
		d *= 2
	}
	return min(d, b.Cap)
}

// Delay returns the wait after failed attempt n, given r uniform in [0, 1).
func (b Backoff) Delay(n int, r float64) time.Duration {
	r = min(max(r, 0), 1)
	return time.Duration(r * float64(b.Ceiling(n)))
}

// withDefaults fills b's zero fields from DefaultBackoff.
func (b Backoff) withDefaults(def Backoff) Backoff {
	if b.Base <= 0 {
		b.Base = def.Base
	}
	if b.Cap <= 0 {
		b.Cap = def.Cap
	}
	if b.MaxAge <= 0 {
		b.MaxAge = def.MaxAge
	}
	return b
}
