package text

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cxlens/cxlens/internal/cx"
)

// Feedback sources a feedback item may name; others are accepted when they
// are a lowercase word (see Feedback.Validate), so a workspace can add its
// own ("forum", "email").
const (
	SourceAppStore   = "app_store"
	SourceReviewSite = "review_site"
	SourceTwitter    = "twitter"
	SourceSocial     = "social"
	SourceChat       = "chat"
	SourceTicket     = "ticket"
	SourceCallNote   = "call_note"
)

var sourceRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// Feedback is a piece of customer text with no survey behind it: an
// app-store or review-site review (with its star rating), a social-media
// post, a chat or ticket transcript, a call note. It is analysed with the
// same themes and sentiment as survey comments.
type Feedback struct {
	ID          int64    `json:"id"`
	Source      string   `json:"source"`
	Rating      *float64 `json:"rating,omitempty"`       // e.g. 4 stars
	RatingScale int      `json:"rating_scale,omitempty"` // the best rating, e.g. 5; required with rating
	Author      string   `json:"author,omitempty"`       // handle or display name
	URL         string   `json:"url,omitempty"`
	Text        string   `json:"text"`
	// Language is the item's language tag; when empty it is detected.
	Language       string    `json:"language,omitempty"`
	OccurredAt     time.Time `json:"occurred_at"`
	Customer       string    `json:"customer,omitempty"` // external id, optional
	IdempotencyKey string    `json:"idempotency_key,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

// Validate checks and tidies a feedback item; now bounds how far in the
// future it may be. Each problem names its field.
func (f *Feedback) Validate(now time.Time) []cx.FieldError {
	var fe []cx.FieldError
	add := func(field, reason string) { fe = append(fe, cx.FieldError{Field: field, Reason: reason}) }
	check := func(field, s string, max int) {
		if len(s) > max {
			add(field, fmt.Sprintf("longer than %d bytes", max))
		} else if !utf8.ValidString(s) {
			add(field, "not valid UTF-8")
		}
	}
	f.Source = strings.ToLower(strings.TrimSpace(f.Source))
	switch {
	case f.Source == "":
		add("source", "is required (e.g. app_store, review_site, twitter, chat, ticket, call_note)")
	case !sourceRE.MatchString(f.Source):
		add("source", "must be a lowercase word of letters, digits and _ (e.g. app_store)")
	}
	f.Text = strings.TrimSpace(f.Text)
	if f.Text == "" {
		add("text", "is required")
	}
	check("text", f.Text, cx.MaxText)
	switch {
	case f.Rating == nil && f.RatingScale != 0:
		add("rating", "is required with rating_scale")
	case f.Rating != nil && (f.RatingScale < 2 || f.RatingScale > 100):
		add("rating_scale", "is required with rating and must be 2–100 (e.g. 5 for stars)")
	case f.Rating != nil && (math.IsNaN(*f.Rating) || *f.Rating < 0 || *f.Rating > float64(f.RatingScale)):
		add("rating", fmt.Sprintf("must be 0–%d", f.RatingScale))
	}
	check("author", f.Author, cx.MaxShortText)
	check("url", f.URL, 2048)
	if f.URL != "" && !strings.HasPrefix(f.URL, "https://") && !strings.HasPrefix(f.URL, "http://") {
		add("url", "must start with http:// or https://")
	}
	f.Language = strings.ToLower(strings.TrimSpace(f.Language))
	check("language", f.Language, 16)
	switch {
	case f.OccurredAt.IsZero():
		add("occurred_at", "is required (RFC 3339)")
	case f.OccurredAt.Unix() < 0:
		add("occurred_at", "must be after 1970-01-01")
	case !now.IsZero() && f.OccurredAt.After(now.Add(24*time.Hour)):
		add("occurred_at", "is more than a day in the future")
	}
	f.Customer = strings.TrimSpace(f.Customer)
	check("customer", f.Customer, cx.MaxShortText)
	check("idempotency_key", f.IdempotencyKey, cx.MaxShortText)
	return fe
}
