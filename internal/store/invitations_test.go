package store_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

func TestInvitations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws, other := setup(t, db), setup(t, db)
		batch := []cx.Invitation{
			{Survey: "nps", Customer: "ana", Email: "ana@example.com", Language: "ro", Touchpoint: "support", TouchpointRef: "T-1",
				Attributes: cx.Attributes{"agent": "bob", "channel": "chat"}, IdempotencyKey: "k1"},
			{Survey: "nps", Channel: cx.ChannelLink},
			{Survey: "nps", Customer: "ana", Email: "ana@example.com", IdempotencyKey: "k1"}, // repeat within the batch
		}
		got, err := db.CreateInvitations(ctx, ws, batch)
		if err != nil {
			t.Fatal(err)
		}
		if got[0].ID == 0 || got[1].ID == 0 || got[0].ID == got[1].ID || got[2].ID != got[0].ID {
			t.Fatalf("ids %d %d %d", got[0].ID, got[1].ID, got[2].ID)
		}
		// The same key again: no new invitation.
		again, err := db.CreateInvitations(ctx, ws, batch[:1])
		if err != nil || again[0].ID != got[0].ID {
			t.Fatalf("retry = %+v, %v; want id %d", again, err, got[0].ID)
		}
		// A bad item rejects the whole batch and names the field.
		_, err = db.CreateInvitations(ctx, ws, []cx.Invitation{{Survey: "nps", Email: "x@example.com", IdempotencyKey: "k9"}, {Survey: "nope", Email: "bad"}})
		var ve *cx.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) != 2 || ve.Fields[0].Index != 1 {
			t.Fatalf("bad batch error = %v", err)
		}
		if again, _ := db.CreateInvitations(ctx, ws, []cx.Invitation{{Survey: "nps", Email: "x@example.com", IdempotencyKey: "k9"}}); again[0].ID != got[1].ID+1 {
			t.Errorf("k9 id %d: the rejected batch left a row behind", again[0].ID)
		}

		in, err := db.Invitation(ctx, ws, got[0].ID)
		if err != nil || in.Customer != "ana" || in.Survey != "nps" || in.TouchpointRef != "T-1" || in.Status != cx.InvitationScheduled || in.Attributes["agent"] != "bob" {
			t.Fatalf("Invitation = %+v, %v", in, err)
		}
		if _, err := db.Invitation(ctx, other, got[0].ID); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("other workspace reads invitation: %v", err)
		}
		first, err := db.MarkInvitationOpened(ctx, ws, in.ID, time.Now())
		if err != nil || !first {
			t.Fatalf("first open = %v, %v", first, err)
		}
		if first, err := db.MarkInvitationOpened(ctx, ws, in.ID, time.Now()); err != nil || first {
			t.Fatalf("second open = %v, %v", first, err)
		}
		if _, err := db.MarkInvitationOpened(ctx, other, in.ID, time.Now()); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("open in other workspace: %v", err)
		}

		// Two concurrent clicks, then a third with another score: one response.
		var wg sync.WaitGroup
		ids := make([]int64, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, _, err := db.AnswerInvitation(ctx, ws, in.ID, store.Answer{Score: 3})
				if err != nil {
					t.Error(err)
				}
				ids[i] = r.ID
			}()
		}
		wg.Wait()
		r, created, err := db.AnswerInvitation(ctx, ws, in.ID, store.Answer{Score: 9, Attributes: cx.Attributes{"rating_support": 4}})
		if err != nil || created || r.ID != ids[0] || ids[0] != ids[1] || *r.Score != 9 {
			t.Fatalf("third answer = %+v created=%v %v; ids %v", r, created, err, ids)
		}
		if r.Channel != "email" || r.Touchpoint != "support" || r.Language != "ro" || r.Customer != "ana" ||
			r.Attributes["touchpoint_ref"] != "T-1" || r.Attributes["agent"] != "bob" || r.Attributes["rating_support"] != float64(4) {
			t.Errorf("response = %+v", r)
		}
		if err := db.UpdateResponseComment(ctx, ws, r.ID, "  quick and kind  "); err != nil {
			t.Fatal(err)
		}
		if err := db.UpdateResponseComment(ctx, other, r.ID, "x"); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("comment in other workspace: %v", err)
		}
		list, err := db.Responses(ctx, ws, store.ResponseFilter{})
		if err != nil || len(list.Items) != 1 || list.Items[0].Comment != "quick and kind" {
			t.Fatalf("responses = %+v, %v", list.Items, err)
		}
		in, _ = db.Invitation(ctx, ws, in.ID)
		if in.ResponseID != r.ID || in.AnsweredAt == nil || in.OpenedAt == nil {
			t.Errorf("invitation after answer = %+v", in)
		}
		if _, _, err := db.AnswerInvitation(ctx, ws, in.ID, store.Answer{Score: 11}); !errors.Is(err, cx.ErrInvalid) {
			t.Errorf("score 11: %v", err)
		}
		exp, err := db.CreateInvitations(ctx, ws, []cx.Invitation{{Survey: "nps", Channel: cx.ChannelLink,
			ScheduledAt: time.Now().Add(-2 * time.Hour), ExpiresAt: time.Now().Add(-time.Hour)}})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.AnswerInvitation(ctx, ws, exp[0].ID, store.Answer{Score: 5}); !errors.Is(err, store.ErrInvitationExpired) {
			t.Errorf("expired: %v", err)
		}
	})
}

func TestSecret(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		got := make([][]byte, 8)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b, err := db.Secret(ctx, "invitation-token")
				if err != nil {
					t.Error(err)
				}
				got[i] = b
			}()
		}
		wg.Wait()
		for _, b := range got {
			if len(b) != 32 || !bytes.Equal(b, got[0]) {
				t.Fatalf("secrets differ or wrong length: %x vs %x", b, got[0])
			}
		}
		other, err := db.Secret(ctx, "unsubscribe")
		if err != nil || bytes.Equal(other, got[0]) {
			t.Errorf("second secret = %x, %v", other, err)
		}
		if _, err := db.Secret(ctx, ""); err == nil {
			t.Error("empty name accepted")
		}
	})
}

func TestInsertSurveyAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		at := time.Now().Add(-time.Minute)
		batch := []cx.Response{
			{Survey: "nps", Score: intp(9), SubmittedAt: at, Channel: "widget", IdempotencyKey: "widget:a"},
			{Survey: "nps", Score: intp(11), SubmittedAt: at, IdempotencyKey: "widget:b"}, // off the scale
			{Survey: "nps", Customer: "eve", Score: intp(4), SubmittedAt: at, IdempotencyKey: "widget:c"},
		}
		res, err := db.InsertSurveyAnswers(ctx, ws, batch)
		if err != nil {
			t.Fatal(err)
		}
		if !res[0].Created || res[0].Err != nil || !errors.Is(res[1].Err, cx.ErrInvalid) || !res[2].Created {
			t.Fatalf("results %+v", res)
		}
		// The first answer again, with another score: updated, not added.
		again, err := db.InsertSurveyAnswers(ctx, ws, []cx.Response{{Survey: "nps", Score: intp(2), SubmittedAt: at, IdempotencyKey: "widget:a"}})
		if err != nil || again[0].Created || again[0].ID != res[0].ID || again[0].Err != nil {
			t.Fatalf("again %+v %v", again, err)
		}
		list, _ := db.Responses(ctx, ws, store.ResponseFilter{})
		if len(list.Items) != 2 || *list.Items[0].Score != 2 {
			t.Fatalf("responses %+v", list.Items)
		}
	})
}
