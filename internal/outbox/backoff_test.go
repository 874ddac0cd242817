package outbox

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestBackoffCeiling(t *testing.T) {
	t.Parallel()
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{1, 10 * time.Second},
		{2, 20 * time.Second},
		{3, 40 * time.Second},
		{5, 160 * time.Second},
		{9, 2560 * time.Second},
		{10, time.Hour}, // 5120 s, capped
		{64, time.Hour}, // no overflow
		{1000, time.Hour},
	}
	for _, tt := range tests {
		if got := DefaultBackoff.Ceiling(tt.attempt); got != tt.want {
			t.Errorf("Ceiling(%d) = %s, want %s", tt.attempt, got, tt.want)
		}
	}
}

func TestBackoffDelayBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		attempt int
		r       float64
		want    time.Duration
	}{
		{"no wait at r=0", 1, 0, 0},
		{"half the first ceiling", 1, 0.5, 5 * time.Second},
		{"half the third", 3, 0.5, 20 * time.Second},
		{"capped", 20, 0.5, 30 * time.Minute},
		{"r out of range is clamped", 2, -1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DefaultBackoff.Delay(tt.attempt, tt.r); got != tt.want {
				t.Errorf("Delay(%d, %v) = %s, want %s", tt.attempt, tt.r, got, tt.want)
			}
		})
	}
	// Full jitter: every delay in [0, ceiling), and spread over the range.
	rng := rand.New(rand.NewPCG(1, 2))
	for attempt := 1; attempt <= 30; attempt++ {
		ceil := DefaultBackoff.Ceiling(attempt)
		var lo, hi int
		for range 1000 {
			d := DefaultBackoff.Delay(attempt, rng.Float64())
			if d < 0 || d >= ceil {
				t.Fatalf("Delay(%d) = %s, outside [0, %s)", attempt, d, ceil)
			}
			if d < ceil/10 {
				lo++
			}
			if d > ceil*9/10 {
				hi++
			}
		}
		if lo < 50 || hi < 50 {
			t.Errorf("attempt %d: %d delays in the lowest tenth and %d in the highest, want about 100 each", attempt, lo, hi)
		}
	}
}

// TestBackoffSchedule walks a message that always fails through the
// default schedule: the retries stop within 24 h of its creation, the last
// one at most an hour (the cap) short of it, and there are enough of them.
func TestBackoffSchedule(t *testing.T) {
	t.Parallel()
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 7))
		var elapsed time.Duration
		attempts := 1
		for {
			next := elapsed + DefaultBackoff.Delay(attempts, rng.Float64())
			if next > DefaultBackoff.MaxAge {
				break
			}
			elapsed = next
			attempts++
		}
		if elapsed < DefaultBackoff.MaxAge-DefaultBackoff.Cap || attempts < 30 {
			t.Errorf("seed %d: last attempt at %s after %d attempts", seed, elapsed, attempts)
		}
	}
}
