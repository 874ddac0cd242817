package cx

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func intp(n int) *int { return &n }

func fields(fe []FieldError) string {
	var s []string
	for _, f := range fe {
		s = append(s, f.Field)
	}
	return strings.Join(s, ",")
}

func TestResponseValidate(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	nps := &Survey{Key: "nps", Kind: NPS, ScaleMin: 0, ScaleMax: 10}
	ces := &Survey{Key: "ces", Kind: CES, ScaleMin: 1, ScaleMax: 7}
	ok := func() Response {
		return Response{Survey: "nps", Customer: "c1", Score: intp(9), SubmittedAt: now.Add(-time.Hour)}
	}
	tests := []struct {
		name   string
		edit   func(r *Response)
		survey *Survey
		want   string // failing fields, in order
	}{
		{"valid", func(r *Response) {}, nps, ""},
		{"anonymous is fine", func(r *Response) { r.Customer = "" }, nps, ""},
		{"score above NPS scale", func(r *Response) { r.Score = intp(11) }, nps, "score"},
		{"score below CES scale", func(r *Response) { r.Survey, r.Score = "ces", intp(0) }, ces, "score"},
		{"missing score", func(r *Response) { r.Score = nil }, nps, "score"},
		{"unknown survey", func(r *Response) { r.Survey = "nope" }, nil, "survey"},
		{"missing time", func(r *Response) { r.SubmittedAt = time.Time{} }, nps, "submitted_at"},
		{"far future", func(r *Response) { r.SubmittedAt = now.Add(48 * time.Hour) }, nps, "submitted_at"},
		{"comment too long", func(r *Response) { r.Comment = strings.Repeat("x", MaxText+1) }, nps, "comment"},
		{"bad UTF-8", func(r *Response) { r.Comment = "\xff" }, nps, "comment"},
		{"nested attribute", func(r *Response) { r.Attributes = Attributes{"a": map[string]any{}} }, nps, "attributes.a"},
		{"several at once", func(r *Response) { r.Score, r.SubmittedAt = intp(-1), time.Time{} }, nps, "submitted_at,score"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok()
			tt.edit(&r)
			if got := fields(r.Validate(tt.survey, now)); got != tt.want {
				t.Errorf("failing fields = %q, want %q", got, tt.want)
			}
		})
	}
	r := ok()
	r.Score = intp(11)
	if got := r.Validate(nps, now)[0].Reason; got != "must be 0–10 for an NPS survey" {
		t.Errorf("reason = %q", got)
	}
}

func TestEventAndTicketValidate(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	at := now.Add(-time.Hour)
	before := at.Add(-time.Minute)
	neg := -1.0
	tests := []struct {
		name string
		got  []FieldError
		want string
	}{
		{"valid purchase", (&Event{Customer: "c", Type: Purchase, Value: 10, Currency: "eur", OccurredAt: at}).Validate(now), ""},
		{"unknown type", (&Event{Customer: "c", Type: "buy", OccurredAt: at}).Validate(now), "type"},
		{"negative purchase", (&Event{Customer: "c", Type: Purchase, Value: -5, OccurredAt: at}).Validate(now), "value"},
		{"bad currency", (&Event{Customer: "c", Type: Purchase, Currency: "EURO", OccurredAt: at}).Validate(now), "currency"},
		{"event needs customer", (&Event{Type: Churn, OccurredAt: at}).Validate(now), "customer"},
		{"valid ticket", (&Ticket{Customer: "c", OpenedAt: at, FirstResponseAt: &at}).Validate(now), ""},
		{"response before open", (&Ticket{Customer: "c", OpenedAt: at, FirstResponseAt: &before}).Validate(now), "first_response_at"},
		{"resolved before open", (&Ticket{Customer: "c", OpenedAt: at, ResolvedAt: &before}).Validate(now), "resolved_at"},
		{"negative handle time", (&Ticket{Customer: "c", OpenedAt: at, HandleSeconds: &neg}).Validate(now), "handle_seconds"},
		{"valid customer", (&Customer{ExternalID: "c", Email: "a@example.com"}).Validate(), ""},
		{"bad email", (&Customer{ExternalID: "c", Email: "Ana <a@example.com>"}).Validate(), "email"},
		{"customer needs id", (&Customer{ExternalID: "  "}).Validate(), "external_id"},
	}
	for _, tt := range tests {
		if got := fields(tt.got); got != tt.want {
			t.Errorf("%s: failing fields = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSurveyValidate(t *testing.T) {
	tests := []struct {
		name     string
		s        Survey
		want     string
		min, max int
	}{
		{"nps defaults", Survey{Key: "nps", Kind: NPS}, "", 0, 10},
		{"csat defaults", Survey{Key: "csat", Kind: CSAT}, "", 1, 5},
		{"ces defaults", Survey{Key: "ces-support", Kind: CES}, "", 1, 7},
		{"custom scale", Survey{Key: "effort", Kind: CustomKind, ScaleMin: 1, ScaleMax: 10}, "", 1, 10},
		{"nps must be 0-10", Survey{Key: "nps", Kind: NPS, ScaleMin: 1, ScaleMax: 5}, "scale_max", 1, 5},
		{"bad key", Survey{Key: "Has Space", Kind: NPS}, "key", 0, 10},
		{"missing kind", Survey{Key: "x"}, "kind", 1, 5},
		{"inverted scale", Survey{Key: "x", Kind: CustomKind, ScaleMin: 5, ScaleMax: 1}, "scale_max", 5, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.s
			err := s.Validate()
			var got string
			var ve *ValidationError
			if errors.As(err, &ve) {
				got = fields(ve.Fields)
			}
			if got != tt.want || s.ScaleMin != tt.min || s.ScaleMax != tt.max {
				t.Errorf("fields %q scale %d–%d, want %q %d–%d", got, s.ScaleMin, s.ScaleMax, tt.want, tt.min, tt.max)
			}
			if tt.want == "" && s.Question == "" && s.Kind != CustomKind {
				t.Errorf("no default question for %s", s.Kind)
			}
		})
	}
}

func TestAPIKey(t *testing.T) {
	key, prefix, hash := NewAPIKey()
	key2, _, _ := NewAPIKey()
	if key == key2 || !strings.HasPrefix(key, "cxl_") || len(key) != 36 || !strings.HasPrefix(key, prefix) {
		t.Fatalf("key %q prefix %q", key, prefix)
	}
	if hash == key || hash != HashAPIKey(key) || len(hash) != 64 {
		t.Errorf("hash %q", hash)
	}
	k := APIKey{Scopes: []string{ScopeWrite}}
	if !k.HasScope(ScopeRead) || !k.HasScope(ScopeWrite) {
		t.Error("write should imply read")
	}
	if (APIKey{Scopes: []string{ScopeRead}}).HasScope(ScopeWrite) {
		t.Error("read must not imply write")
	}
	if got, err := ValidateScopes([]string{"write", "read", "write"}); err != nil || strings.Join(got, ",") != "read,write" {
		t.Errorf("scopes = %v, %v", got, err)
	}
}

func TestErasePII(t *testing.T) {
	a := Attributes{"plan": "pro", "Email": "x@y.z", "pii_notes": "n", "phone": "1", "region": "EU"}
	got := a.WithoutPII()
	if len(got) != 2 || got["plan"] != "pro" || got["region"] != "EU" {
		t.Errorf("WithoutPII = %v", got)
	}
	if err := (&ValidationError{Fields: []FieldError{{Index: 2, Field: "score", Reason: "bad"}}}); !errors.Is(err, ErrInvalid) || err.Error() != "invalid input: item 2: score: bad" {
		t.Errorf("ValidationError = %q", err.Error())
	}
}
