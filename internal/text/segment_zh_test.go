package text

import (
	"slices"
	"testing"
	"time"
)

func TestNewSegmenter(t *testing.T) {
	t.Parallel()
	start := time.Now()
	s, err := NewSegmenter()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("dictionary load: %v", time.Since(start))
	tests := []struct {
		in   string
		want []string
	}{
		{"菜品质量好，味道好", []string{"菜品", "质量", "好", "，", "味道", "好"}},
		{"外卖送餐", []string{"外卖", "送", "餐"}}, // 送餐 is not in the dictionary
	}
	for _, tt := range tests {
		if got := s.Cut(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Cut(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := s.CutHMM("送餐太慢了"); !slices.Equal(got, []string{"送餐", "太慢", "了"}) {
		t.Errorf("CutHMM(送餐太慢了) = %q", got)
	}
	if first, second := DefaultSegmenter(), DefaultSegmenter(); first != second {
		t.Error("DefaultSegmenter is not shared")
	}
}
