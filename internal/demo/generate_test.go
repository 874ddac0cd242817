package demo

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

func encode(t *testing.T, ds Dataset) []byte {
	t.Helper()
	b, err := json.Marshal(ds)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	base := Options{Seed: 42, Customers: 400, Months: 12, Now: testNow}
	with := func(f func(*Options)) Options { o := base; f(&o); return o }
	tests := []struct {
		name string
		a, b Options
		same bool
	}{
		{"same seed", base, base, true},
		{"zero seed is the default seed", with(func(o *Options) { o.Seed = 0 }), with(func(o *Options) { o.Seed = DefaultSeed }), true},
		{"different seed", base, with(func(o *Options) { o.Seed = 43 }), false},
		{"different end", base, with(func(o *Options) { o.Now = testNow.Add(24 * time.Hour) }), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, b := encode(t, Generate(tc.a)), encode(t, Generate(tc.b))
			if same := bytes.Equal(a, b); same != tc.same {
				t.Errorf("identical = %v, want %v (%d and %d bytes)", same, tc.same, len(a), len(b))
			}
		})
	}
}

func TestGenerateCounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts Options
		ds   func() Dataset
	}{
		{"small", Options{Seed: 3, Customers: 300, Months: 6, Now: testNow}, nil},
		{"default", Options{Seed: 1, Now: testNow}, sharedDefault},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var ds Dataset
			if tc.ds != nil {
				ds = tc.ds()
			} else {
				ds = Generate(tc.opts)
			}
			o := tc.opts.withDefaults()
			s := ds.Summary()
			n := o.Customers
			if s.Customers != n {
				t.Errorf("customers = %d, want %d", s.Customers, n)
			}
			if want := o.Now.AddDate(0, -o.Months, 0); !ds.Start.Equal(want) || !ds.End.Equal(o.Now) {
				t.Errorf("period %v – %v, want %v – %v", ds.Start, ds.End, want, o.Now)
			}
			in := func(what string, got, lo, hi float64) {
				t.Helper()
				if got < lo || got > hi {
					t.Errorf("%s = %.2f, want %.2f–%.2f", what, got, lo, hi)
				}
			}
			perCustomer := func(k int) float64 { return float64(k) / float64(n) }
			in("events per customer", perCustomer(s.TotalEvents()), 3, 15)
			in("purchases per customer", perCustomer(s.Events[cx.Purchase]), 0.5, 4)
			in("churn events per customer", perCustomer(s.Events[cx.Churn]), 0.02, 0.4)
			in("tickets per customer", perCustomer(s.Tickets), 0.5, 5)
			in("CSAT answers per resolved ticket", float64(s.Responses[surveyCSAT])/float64(s.Tickets), 0.2, 0.45)
			in("relationship NPS answers per customer", perCustomer(s.Responses[surveyNPS]), 0.1, 0.8)
			for _, typ := range []cx.EventType{cx.Purchase, cx.Refund, cx.SubscriptionChange, cx.LoyaltyEarn, cx.LoyaltyRedeem, cx.Referral, cx.Churn, cx.CustomEvent} {
				if s.Events[typ] == 0 {
					t.Errorf("no %s events", typ)
				}
			}
			if s.Agents < 12 {
				t.Errorf("%d agents handled tickets, want at least 12", s.Agents)
			}
			if tc.name == "default" {
				in("subscription MRR values", float64(s.Events[cx.SubscriptionChange]), float64(n), 3*float64(n))
				if s.Events[cx.Reactivate] == 0 {
					t.Error("no reactivations")
				}
				// Customers join on a growth curve: the last quarter of the
				// period brings far more of them than the first.
				q := ds.End.Sub(ds.Start) / 4
				first, last := 0, 0
				for _, c := range ds.Customers {
					switch {
					case c.FirstSeen.Before(ds.Start.Add(q)):
						first++
					case !c.FirstSeen.Before(ds.End.Add(-q)):
						last++
					}
				}
				if last < 2*first {
					t.Errorf("signups: first quarter %d, last quarter %d; want growth", first, last)
				}
			}
		})
	}
}

// TestGenerateValid checks every item against cx validation, and that
// nothing happens to a customer before they are first seen or after the end.
func TestGenerateValid(t *testing.T) {
	t.Parallel()
	ds := Generate(Options{Seed: 5, Customers: 1000, Now: testNow})
	surveys := map[string]*cx.Survey{}
	for i := range ds.Surveys {
		s := ds.Surveys[i]
		if err := s.Validate(); err != nil {
			t.Errorf("survey %s: %v", s.Key, err)
		}
		surveys[s.Key] = &ds.Surveys[i]
	}
	for _, k := range []string{surveyNPS, surveyOnboarding, surveyCSAT, surveyCES} {
		if surveys[k] == nil {
			t.Errorf("no survey %q", k)
		}
	}
	if err := ds.Workspace.Validate(); err != nil {
		t.Errorf("workspace: %v", err)
	}
	first := map[string]time.Time{}
	for i, c := range ds.Customers {
		if errs := c.Validate(); len(errs) > 0 {
			t.Fatalf("customer %d: %v", i, errs)
		}
		if _, dup := first[c.ExternalID]; dup {
			t.Fatalf("customer %s twice", c.ExternalID)
		}
		first[c.ExternalID] = c.FirstSeen
	}
	when := func(what, ext string, at time.Time) {
		t.Helper()
		f, ok := first[ext]
		if !ok {
			t.Fatalf("%s names unknown customer %q", what, ext)
		}
		if at.Before(f) || at.After(ds.End) {
			t.Fatalf("%s of %s at %v: outside %v – %v", what, ext, at, f, ds.End)
		}
	}
	for i, e := range ds.Events {
		if errs := e.Validate(ds.End); len(errs) > 0 {
			t.Fatalf("event %d: %v", i, errs)
		}
		when(string(e.Type), e.Customer, e.OccurredAt)
	}
	for i, tk := range ds.Tickets {
		if errs := tk.Validate(ds.End); len(errs) > 0 {
			t.Fatalf("ticket %d: %v", i, errs)
		}
		when("ticket", tk.Customer, tk.OpenedAt)
		if tk.ResolvedAt != nil && (tk.FirstResponseAt == nil || tk.ResolvedAt.Before(*tk.FirstResponseAt)) {
			t.Fatalf("ticket %s resolved before its first response", tk.ExternalID)
		}
	}
	for i, r := range ds.Responses {
		if errs := r.Validate(surveys[r.Survey], ds.End); len(errs) > 0 {
			t.Fatalf("response %d: %v", i, errs)
		}
		when("response", r.Customer, r.SubmittedAt)
	}
}

func TestOptionsValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opts  Options
		field string // "" for valid
	}{
		{"zero", Options{}, ""},
		{"explicit", Options{Seed: 9, Customers: 300, Months: 6, WorkspaceName: "Acme"}, ""},
		{"negative customers", Options{Customers: -1}, "customers"},
		{"too many customers", Options{Customers: MaxCustomers + 1}, "customers"},
		{"too many months", Options{Months: MaxMonths + 1}, "months"},
		{"long name", Options{WorkspaceName: string(bytes.Repeat([]byte("x"), 300))}, "workspace_name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.opts.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			var ve *cx.ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != tc.field {
				t.Fatalf("Validate() = %v, want an error on %s", err, tc.field)
			}
		})
	}
}
