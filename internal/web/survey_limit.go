package web

import (
	"sync"
	"time"
)

// surveyLimiter is a set of token buckets, one per key (a client IP or a token):
// each holds up to burst tokens and refills at rate per second; a request
// takes one. Idle buckets are swept so the map stays small.
type surveyLimiter struct {
	rate  float64
	burst float64

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newSurveyLimiter(rate float64, burst int) *surveyLimiter {
	return &surveyLimiter{rate: rate, burst: float64(burst), buckets: map[string]*bucket{}}
}

// maxBuckets bounds the memory a flood of distinct keys can take; past it,
// new keys share one bucket (so a flood of fresh IPs is throttled as one).
const maxBuckets = 100_000

// allow takes a token from key's bucket, reporting whether there was one.
func (l *surveyLimiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		l.sweep(now)
	}
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			key = "\x00overflow"
			b = l.buckets[key]
		}
		if b == nil {
			b = &bucket{tokens: l.burst, last: now}
			l.buckets[key] = b
		}
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// sweep drops buckets that have refilled completely: they carry no state.
func (l *surveyLimiter) sweep(now time.Time) {
	l.swept = now
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.last) > full {
			delete(l.buckets, k)
		}
	}
}
