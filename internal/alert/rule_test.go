package alert

import (
	"errors"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

func intp(n int) *int           { return &n }
func floatp(f float64) *float64 { return &f }

func TestValidate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		rule  Rule
		field string // "" when valid
	}{
		{"valid", Rule{Name: "detractors", Survey: "nps", MaxScore: 6, Actions: []Action{ActionCreateCase}}, ""},
		{"no name", Rule{Name: "  ", MaxScore: 6}, "name"},
		{"bad kind", Rule{Name: "x", Kind: "trend"}, "kind"},
		{"bad action", Rule{Name: "x", Actions: []Action{"sms"}}, "actions"},
		{"negative cooldown", Rule{Name: "x", CooldownSeconds: -1}, "cooldown_seconds"},
		{"negative value", Rule{Name: "x", MinCustomerValue: floatp(-1)}, "min_customer_value"},
		{"sla too long", Rule{Name: "x", SLAHours: MaxSLAHours + 1}, "sla_hours"},
		{"score out of range", Rule{Name: "x", MaxScore: 1000}, "max_score"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.rule.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v", err)
				}
				if c.rule.Kind != KindScore {
					t.Errorf("kind = %q, want the score default", c.rule.Kind)
				}
				return
			}
			var ve *cx.ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, cx.ErrInvalid) || len(ve.Fields) != 1 || ve.Fields[0].Field != c.field {
				t.Fatalf("Validate = %v, want one error on %s", err, c.field)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	nps := cx.Survey{Key: "nps", Kind: cx.NPS}
	csat := cx.Survey{Key: "csat", Kind: cx.CSAT}
	detractors := Rule{Kind: KindScore, Survey: "nps", MaxScore: 6, Active: true}
	any2 := Rule{Kind: KindScore, MaxScore: 2, Active: true}
	for _, c := range []struct {
		name string
		rule Rule
		resp cx.Response
		s    cx.Survey
		want bool
	}{
		{"detractor", detractors, cx.Response{Score: intp(3)}, nps, true},
		{"at the threshold", detractors, cx.Response{Score: intp(6)}, nps, true},
		{"just above", detractors, cx.Response{Score: intp(7)}, nps, false},
		{"promoter", detractors, cx.Response{Score: intp(10)}, nps, false},
		{"other survey", detractors, cx.Response{Score: intp(1)}, csat, false},
		{"any survey", any2, cx.Response{Score: intp(1)}, csat, true},
		{"inactive", Rule{Kind: KindScore, MaxScore: 6}, cx.Response{Score: intp(0)}, nps, false},
		{"no score", detractors, cx.Response{}, nps, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Match(c.rule, c.resp, c.s); got != c.want {
				t.Errorf("Match = %v, want %v", got, c.want)
			}
		})
	}
}

func TestValueQualifies(t *testing.T) {
	t.Parallel()
	r := Rule{MinCustomerValue: floatp(1000)}
	for _, c := range []struct {
		name  string
		rule  Rule
		known bool
		attrs cx.Attributes
		want  bool
	}{
		{"no condition", Rule{}, false, nil, true},
		{"anonymous", r, false, nil, false},
		{"no attribute", r, true, cx.Attributes{"plan": "pro"}, false},
		{"above", r, true, cx.Attributes{"value": 1500.0}, true},
		{"equal is not above", r, true, cx.Attributes{"value": 1000.0}, false},
		{"numeric string", r, true, cx.Attributes{"value": " 2000 "}, true},
		{"text", r, true, cx.Attributes{"value": "high"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := ValueQualifies(c.rule, c.known, c.attrs); got != c.want {
				t.Errorf("ValueQualifies = %v, want %v", got, c.want)
			}
		})
	}
}

func TestDedupKey(t *testing.T) {
	t.Parallel()
	morning := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	evening := time.Date(2026, 3, 1, 23, 59, 0, 0, time.UTC)
	next := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	if DedupKey(1, 7, 10, morning) != DedupKey(1, 7, 11, evening) {
		t.Error("one customer, one rule, one day: keys differ")
	}
	if DedupKey(1, 7, 10, evening) == DedupKey(1, 7, 11, next) {
		t.Error("the next day shares the key")
	}
	if DedupKey(1, 7, 10, morning) == DedupKey(2, 7, 10, morning) || DedupKey(1, 7, 10, morning) == DedupKey(1, 8, 10, morning) {
		t.Error("another rule or customer shares the key")
	}
	if DedupKey(1, 0, 10, morning) == DedupKey(1, 0, 11, morning) {
		t.Error("anonymous responses share a key")
	}
}

func TestInCooldown(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	hour := Rule{CooldownSeconds: 3600}
	for _, c := range []struct {
		name string
		rule Rule
		last time.Time
		want bool
	}{
		{"never fired", hour, time.Time{}, false},
		{"within", hour, now.Add(-59 * time.Minute), true},
		{"exactly over", hour, now.Add(-time.Hour), false},
		{"no cooldown", Rule{}, now.Add(-time.Second), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := InCooldown(c.rule, c.last, now); got != c.want {
				t.Errorf("InCooldown = %v, want %v", got, c.want)
			}
		})
	}
}
