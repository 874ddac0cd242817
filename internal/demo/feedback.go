package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/cxlens/cxlens/internal/text"
)

// Feedback returns the demo workspace's feedback items: reviews and social
// posts drawn from the embedded corpus (English tweets as twitter posts,
// Chinese delivery reviews from a review site, Romanian product reviews
// from an app store), about one per 20 responses (30–600), spread evenly
// at random over [ds.Start, ds.End). It is deterministic for a data set.
func Feedback(ds Dataset) ([]text.Feedback, error) {
	comments, err := LoadCorpus()
	if err != nil {
		return nil, err
	}
	if len(comments) == 0 || !ds.Start.Before(ds.End) {
		return nil, nil
	}
	seed := uint64(ds.End.UnixMilli())
	rng := rand.New(rand.NewPCG(seed, seed^0x7f4a7c159e3779b9))
	n := min(600, max(30, len(ds.Responses)/20))
	span := ds.End.Sub(ds.Start)
	out := make([]text.Feedback, 0, n)
	for i := range n {
		c := comments[rng.IntN(len(comments))]
		f := text.Feedback{
			Text:           c.Text,
			Language:       c.Language,
			OccurredAt:     ds.Start.Add(time.Duration(rng.Int64N(int64(span)))).Truncate(time.Millisecond),
			Author:         fmt.Sprintf("@user%04d", rng.IntN(10000)),
			IdempotencyKey: fmt.Sprintf("demo-feedback-%d", i),
		}
		switch c.Language {
		case "en":
			f.Source = text.SourceTwitter
			f.URL = fmt.Sprintf("https://social.example/%s/status/%d", f.Author[1:], 1000000+i)
		case "zh":
			f.Source = text.SourceReviewSite
			f.Rating, f.RatingScale = stars(rng, c.Tone), 5
			f.URL = fmt.Sprintf("https://reviews.example/r/%d", 1000000+i)
		default:
			f.Source = text.SourceAppStore
			f.Rating, f.RatingScale = stars(rng, c.Tone), 5
		}
		out = append(out, f)
	}
	return out, nil
}

// stars gives a review its star rating from its tone.
func stars(rng *rand.Rand, t Tone) *float64 {
	var s float64
	switch t {
	case Negative:
		s = float64(1 + rng.IntN(2))
	case Neutral:
		s = 3
	default:
		s = float64(4 + rng.IntN(2))
	}
	return &s
}
