package demo

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"regexp"
)

// corpusFiles holds real review texts; see corpus/SOURCE.md for where they
// come from, how they were sliced and what was edited.
//
//go:embed corpus/en.csv corpus/zh.csv corpus/ro.csv
var corpusFiles embed.FS

// Tone is the sentiment of a comment, as labelled by its source.
type Tone int

// Tones. Neutral covers mixed texts ("good, but...") as well.
const (
	Negative Tone = iota
	Neutral
	Positive
)

// String returns "negative", "neutral" or "positive".
func (t Tone) String() string {
	switch t {
	case Negative:
		return "negative"
	case Neutral:
		return "neutral"
	}
	return "positive"
}

// Comment topics: what a comment complains about, when the source says so
// (English) or a keyword shows it (Chinese, Romanian). They match the
// customer pains and ticket topics of the generator.
const (
	TopicDelivery = "delivery"
	TopicSupport  = "support"
	TopicBooking  = "booking"
	TopicProduct  = "product"
)

// Comment is one review text of the embedded corpus.
type Comment struct {
	Language string `json:"language"` // en, zh or ro
	Tone     Tone   `json:"tone"`
	Topic    string `json:"topic,omitempty"` // one of the Topic constants, or ""
	Source   string `json:"source"`          // dataset and row id, e.g. "ro-laroseda:7501"
	Text     string `json:"text"`
}

// reasonTopics maps the airline dataset's negativereason to a topic: a late
// or cancelled flight or a lost bag reads as a delivery failure, a customer
// service complaint as support. "Can't Tell" has none.
var reasonTopics = map[string]string{
	"Late Flight":                 TopicDelivery,
	"Cancelled Flight":            TopicDelivery,
	"Lost Luggage":                TopicDelivery,
	"Damaged Luggage":             TopicDelivery,
	"Customer Service Issue":      TopicSupport,
	"Flight Attendant Complaints": TopicSupport,
	"longlines":                   TopicSupport,
	"Flight Booking Problems":     TopicBooking,
	"Bad Flight":                  TopicProduct,
}

var (
	zhMixed    = regexp.MustCompile(`但|不过|可惜|只是`)
	zhDelivery = regexp.MustCompile(`送|骑手|配送|小时`)
	zhSupport  = regexp.MustCompile(`客服|态度`)
	roDelivery = regexp.MustCompile(`livr|curier|colet`)
	roSupport  = regexp.MustCompile(`service|garantie|retur|suport`)
)

// LoadCorpus parses the embedded corpus: English tweets (sentiment as
// labelled), Chinese delivery reviews (label 0 negative; label 1 positive,
// or neutral when it hedges with 但/不过/可惜/只是) and Romanian product
// reviews (1–2 stars negative, 4 neutral, 5 positive).
func LoadCorpus() ([]Comment, error) {
	var out []Comment
	for _, f := range []struct {
		lang, file string
		parse      func(rec []string) (Comment, error)
	}{
		{"en", "corpus/en.csv", parseEnglish},
		{"zh", "corpus/zh.csv", parseChinese},
		{"ro", "corpus/ro.csv", parseRomanian},
	} {
		b, err := corpusFiles.ReadFile(f.file)
		if err != nil {
			return nil, fmt.Errorf("demo: corpus: %w", err)
		}
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			return nil, fmt.Errorf("demo: corpus %s: %w", f.file, err)
		}
		for i, rec := range recs[1:] {
			c, err := f.parse(rec)
			if err != nil {
				return nil, fmt.Errorf("demo: corpus %s line %d: %w", f.file, i+2, err)
			}
			c.Language = f.lang
			out = append(out, c)
		}
	}
	return out, nil
}

// parseEnglish reads tweet_id,sentiment,negativereason,text.
func parseEnglish(rec []string) (Comment, error) {
	if len(rec) != 4 {
		return Comment{}, fmt.Errorf("want 4 fields, got %d", len(rec))
	}
	c := Comment{Source: "airline-tweets:" + rec[0], Text: rec[3], Topic: reasonTopics[rec[2]]}
	switch rec[1] {
	case "negative":
		c.Tone = Negative
	case "neutral":
		c.Tone = Neutral
	case "positive":
		c.Tone = Positive
	default:
		return Comment{}, fmt.Errorf("unknown sentiment %q", rec[1])
	}
	return c, nil
}

// parseChinese reads row,label,review.
func parseChinese(rec []string) (Comment, error) {
	if len(rec) != 3 {
		return Comment{}, fmt.Errorf("want 3 fields, got %d", len(rec))
	}
	c := Comment{Source: "zh-waimai-10k:" + rec[0], Text: rec[2]}
	switch {
	case rec[1] == "0":
		c.Tone = Negative
	case rec[1] == "1" && zhMixed.MatchString(c.Text):
		c.Tone = Neutral
	case rec[1] == "1":
		c.Tone = Positive
	default:
		return Comment{}, fmt.Errorf("unknown label %q", rec[1])
	}
	switch {
	case zhSupport.MatchString(c.Text):
		c.Topic = TopicSupport
	case zhDelivery.MatchString(c.Text):
		c.Topic = TopicDelivery
	}
	return c, nil
}

// parseRomanian reads index,star_rating,content.
func parseRomanian(rec []string) (Comment, error) {
	if len(rec) != 3 {
		return Comment{}, fmt.Errorf("want 3 fields, got %d", len(rec))
	}
	c := Comment{Source: "ro-laroseda:" + rec[0], Text: rec[2]}
	switch rec[1] {
	case "1", "2":
		c.Tone = Negative
	case "4":
		c.Tone = Neutral
	case "5":
		c.Tone = Positive
	default:
		return Comment{}, fmt.Errorf("unknown star rating %q", rec[1])
	}
	switch {
	case roSupport.MatchString(c.Text):
		c.Topic = TopicSupport
	case roDelivery.MatchString(c.Text):
		c.Topic = TopicDelivery
	}
	return c, nil
}

// toneFor says which tone of comment goes with a score: NPS detractors
// (0–6), CSAT 1–2 and CES 1–3 write negative texts; passives (7–8), CSAT 3
// and CES 4 mixed ones; the rest positive.
func toneFor(survey string, score int) Tone {
	switch survey {
	case surveyCSAT:
		return bucket(score, 2, 3)
	case surveyCES:
		return bucket(score, 3, 4)
	}
	return bucket(score, 6, 8)
}

func bucket(score, negMax, neuMax int) Tone {
	switch {
	case score <= negMax:
		return Negative
	case score <= neuMax:
		return Neutral
	}
	return Positive
}

// commentPicker deals comments from shuffled decks, one per language, tone
// and topic, so texts repeat as rarely as the corpus allows.
type commentPicker struct {
	comments []Comment
	decks    map[deckKey]*deck
}

type deckKey struct {
	lang  string
	tone  Tone
	topic string // "" is the deck of every topic
}

type deck struct {
	items []int
	next  int
}

func newCommentPicker(comments []Comment) *commentPicker {
	p := &commentPicker{comments: comments, decks: map[deckKey]*deck{}}
	add := func(k deckKey, i int) {
		d := p.decks[k]
		if d == nil {
			d = &deck{}
			p.decks[k] = d
		}
		d.items = append(d.items, i)
		d.next = len(d.items) // shuffled on first draw
	}
	for i, c := range comments {
		add(deckKey{c.Language, c.Tone, ""}, i)
		if c.Topic != "" {
			add(deckKey{c.Language, c.Tone, c.Topic}, i)
		}
	}
	return p
}

// pick returns a comment of the language and tone, about topic with
// probability pTopic when the corpus has one; false when it has none.
func (p *commentPicker) pick(r *rand.Rand, lang string, tone Tone, topic string, pTopic float64) (Comment, bool) {
	d := p.decks[deckKey{lang, tone, ""}]
	if topic != "" && r.Float64() < pTopic {
		if td := p.decks[deckKey{lang, tone, topic}]; td != nil {
			d = td
		}
	}
	if d == nil || len(d.items) == 0 {
		return Comment{}, false
	}
	if d.next >= len(d.items) {
		r.Shuffle(len(d.items), func(i, j int) { d.items[i], d.items[j] = d.items[j], d.items[i] })
		d.next = 0
	}
	c := p.comments[d.items[d.next]]
	d.next++
	return c, true
}
