package web

import (
	"testing"
	"time"
)

func TestSurveyLimiter(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	l := newSurveyLimiter(2, 3) // 2/s, burst 3
	steps := []struct {
		key  string
		at   time.Duration
		want bool
	}{
		{"a", 0, true}, {"a", 0, true}, {"a", 0, true}, {"a", 0, false}, // burst spent
		{"b", 0, true},                       // another key has its own bucket
		{"a", 400 * time.Millisecond, false}, // 0.8 token
		{"a", 500 * time.Millisecond, true},  // 1 token
		{"a", 500 * time.Millisecond, false},
		{"a", 10 * time.Second, true}, {"a", 10 * time.Second, true}, {"a", 10 * time.Second, true}, {"a", 10 * time.Second, false}, // refilled to burst, not beyond
	}
	for i, s := range steps {
		if got := l.allow(s.key, t0.Add(s.at)); got != s.want {
			t.Errorf("step %d (%s at %v): allow = %v, want %v", i, s.key, s.at, got, s.want)
		}
	}
	l.allow("c", t0.Add(2*time.Minute))
	if _, ok := l.buckets["b"]; ok {
		t.Error("idle bucket b not swept")
	}
}
