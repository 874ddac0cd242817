package demo

import (
	"regexp"
	"testing"
	"unicode/utf8"

	"github.com/cxlens/cxlens/internal/cx"
)

func TestLoadCorpus(t *testing.T) {
	t.Parallel()
	comments, err := LoadCorpus()
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		lang string
		tone Tone
	}
	n := map[key]int{}
	topics := map[string]int{}
	// Airline names and links were edited out (see corpus/SOURCE.md).
	leftovers := regexp.MustCompile(`(?i)@(united|usairways|americanair|southwestair|jetblue|virginamerica|delta)\b|virgin america|southwest|jetblue|http|(?-i:Late Flight|Cancelled Flight)`)
	seen := map[string]bool{}
	for _, c := range comments {
		n[key{c.Language, c.Tone}]++
		if c.Language == "en" {
			topics[c.Topic]++
		}
		if c.Text == "" || len(c.Text) > cx.MaxText || !utf8.ValidString(c.Text) {
			t.Errorf("%s: bad text %q", c.Source, c.Text)
		}
		if leftovers.MatchString(c.Text) {
			t.Errorf("%s: not neutralised: %q", c.Source, c.Text)
		}
		if seen[c.Language+c.Text] {
			t.Errorf("%s: duplicate text %q", c.Source, c.Text)
		}
		seen[c.Language+c.Text] = true
	}
	for _, lang := range []string{"en", "zh", "ro"} {
		for _, tone := range []Tone{Negative, Neutral, Positive} {
			if got := n[key{lang, tone}]; got < 200 {
				t.Errorf("%s %s: %d comments, want at least 200", lang, tone, got)
			}
		}
	}
	for _, topic := range []string{TopicDelivery, TopicSupport, TopicBooking, TopicProduct} {
		if topics[topic] < 20 {
			t.Errorf("English topic %s: %d comments", topic, topics[topic])
		}
	}
}

func TestToneFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		survey string
		score  int
		want   Tone
	}{
		{surveyNPS, 0, Negative},
		{surveyNPS, 6, Negative},
		{surveyNPS, 7, Neutral},
		{surveyNPS, 8, Neutral},
		{surveyNPS, 9, Positive},
		{surveyOnboarding, 10, Positive},
		{surveyCSAT, 2, Negative},
		{surveyCSAT, 3, Neutral},
		{surveyCSAT, 4, Positive},
		{surveyCES, 3, Negative},
		{surveyCES, 4, Neutral},
		{surveyCES, 5, Positive},
	}
	for _, tc := range tests {
		if got := toneFor(tc.survey, tc.score); got != tc.want {
			t.Errorf("toneFor(%s, %d) = %s, want %s", tc.survey, tc.score, got, tc.want)
		}
	}
}
