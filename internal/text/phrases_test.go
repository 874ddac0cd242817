package text

import (
	"math"
	"strings"
	"testing"
)

func TestCollocations(t *testing.T) {
	t.Parallel()
	var docs [][]string
	for i := 0; i < 20; i++ {
		docs = append(docs, strings.Fields("the customer service was slow and my lost luggage never came"))
		docs = append(docs, strings.Fields("lost luggage again and the flight was late"))
		docs = append(docs, strings.Fields("customer service on the phone was rude"))
	}
	docs = append(docs, strings.Fields("service dog on board"))
	got := Collocations(docs, LangEnglish, 5, 0.5)
	want := map[string]bool{"lost luggage": true, "customer service": true}
	found := map[string]bool{}
	for _, p := range got {
		found[p.Text] = true
		if p.Count < 5 || p.NPMI < 0.5 || p.NPMI > 1+1e-9 {
			t.Errorf("phrase %+v outside the thresholds", p)
		}
		if strings.Contains(p.Text, "the") || strings.Contains(p.Text, "was ") {
			t.Errorf("phrase %q spans a stopword", p.Text)
		}
	}
	for w := range want {
		if !found[w] {
			t.Errorf("missing phrase %q in %+v", w, got)
		}
	}
}

func TestCollocationsNPMI(t *testing.T) {
	t.Parallel()
	// Tokens a×3 b×2 c×2 d×1, N = 8. "a b" twice: p(ab) = 2/8,
	// p(a) = 3/8, p(b) = 2/8, NPMI = ln(0.25/(0.375·0.25)) / −ln 0.25
	// = 0.980829 / 1.386294 = 0.707519.
	docs := [][]string{{"a", "b"}, {"a", "b"}, {"c", "d"}, {"a", "c"}}
	for _, p := range Collocations(docs, LangOther, 1, -1) {
		if p.Text == "a b" {
			if math.Abs(p.NPMI-0.707519) > 1e-6 || p.Count != 2 {
				t.Errorf("a b: %+v, want count 2 and NPMI 0.707519", p)
			}
			return
		}
	}
	t.Error("a b not found")
}

func TestCollocationsChinese(t *testing.T) {
	t.Parallel()
	var docs [][]string
	for i := 0; i < 10; i++ {
		docs = append(docs, []string{"送餐", "速度", "太慢", "了"}, []string{"送餐", "速度", "很快"}, []string{"味道", "不错"})
	}
	got := Collocations(docs, LangChineseSimplified, 5, 0.3)
	if len(got) == 0 || got[0].Text != "送餐速度" && got[0].Text != "味道不错" {
		t.Errorf("Collocations = %+v, want 送餐速度 or 味道不错 first", got)
	}
}
