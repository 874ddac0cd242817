package demo

import (
	"context"
	"testing"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/report"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// TestInvitations loads the demo's send history on both databases and
// checks that it hangs together: every answered invitation points at the
// response it got (same customer and survey, answered when submitted), and
// the response rate is that of real email surveys (Qualtrics and
// SurveyMonkey put typical external surveys at 10–40%), with every NPS and
// CSAT answer behind an invitation.
func TestInvitations(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := storetest.New(t, d, store.Options{})
			ws, sum, err := Create(ctx, db, Options{Seed: 5, Customers: 300, Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			invs := all(t, func(c string) (store.Page[cx.Invitation], error) {
				return db.ListInvitations(ctx, ws.ID, store.InvitationFilter{Cursor: c, Limit: store.MaxLimit})
			})
			if len(invs) != sum.Invitations || len(invs) == 0 {
				t.Fatalf("%d invitations stored, summary says %d", len(invs), sum.Invitations)
			}
			answered := 0
			for _, in := range invs {
				if in.SentAt == nil || in.Status != cx.InvitationSent {
					t.Fatalf("invitation %+v not sent", in)
				}
				if in.AnsweredAt == nil {
					if in.ResponseID != 0 {
						t.Errorf("unanswered invitation %d has response %d", in.ID, in.ResponseID)
					}
					continue
				}
				answered++
				r, err := db.Response(ctx, ws.ID, in.ResponseID)
				if err != nil {
					t.Fatalf("invitation %d: response %d: %v", in.ID, in.ResponseID, err)
				}
				if r.Customer != in.Customer || r.Survey != in.Survey || !r.SubmittedAt.Equal(*in.AnsweredAt) || in.SentAt.After(r.SubmittedAt) {
					t.Errorf("invitation %+v answered by response %+v", in, r)
				}
			}
			if want := sum.Responses["nps"] + sum.Responses["nps-onboarding"] + sum.Responses["csat"]; answered != want {
				t.Errorf("%d answered invitations, want one per NPS and CSAT response (%d)", answered, want)
			}
			rr, err := report.LoadResponseRate(ctx, db, ws.ID, "", "", testNow.AddDate(-1, 0, 0), testNow)
			if err != nil {
				t.Fatal(err)
			}
			if v := rr.Figure.Value; v == nil || *v < 0.1 || *v > 0.4 {
				t.Errorf("response rate %+v, want 10–40%%", rr.Figure)
			}
		})
	}
}
