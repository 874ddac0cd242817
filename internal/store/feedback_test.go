package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
	"github.com/cxlens/cxlens/internal/text"
)

func TestInsertFeedback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws, other := setup(t, db), setup(t, db)
		at := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Millisecond)
		four := 4.0
		items := []text.Feedback{
			{Source: "app_store", Rating: &four, RatingScale: 5, Author: "@ana", URL: "https://apps.example/r/1",
				Text: "The app crashes every time I pay.", OccurredAt: at, Customer: "c-1", IdempotencyKey: "fb-1"},
			{Source: "Twitter", Text: "Livrarea a întârziat trei zile.", OccurredAt: at},
		}
		res, err := db.InsertFeedback(ctx, ws, items, store.BatchOptions{})
		if err != nil || res.Inserted != 2 {
			t.Fatalf("InsertFeedback = %+v, %v", res, err)
		}
		// Replaying the keyed item is a duplicate.
		if res2, err := db.InsertFeedback(ctx, ws, items[:1], store.BatchOptions{}); err != nil || res2.Duplicates != 1 || res2.Items[0].ID != res.Items[0].ID {
			t.Errorf("replay = %+v, %v", res2, err)
		}
		got, err := db.FeedbackItem(ctx, ws, res.Items[0].ID)
		if err != nil || got.Source != "app_store" || *got.Rating != 4 || got.RatingScale != 5 || got.Customer != "c-1" || !got.OccurredAt.Equal(at) {
			t.Errorf("FeedbackItem = %+v, %v", got, err)
		}
		if _, err := db.FeedbackItem(ctx, other, res.Items[0].ID); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("other workspace reads feedback: %v", err)
		}
		page, err := db.Feedback(ctx, ws, store.FeedbackFilter{Source: "twitter"})
		if err != nil || len(page.Items) != 1 || page.Items[0].Text != items[1].Text {
			t.Errorf("Feedback(source=twitter) = %+v, %v", page.Items, err)
		}
		if th, it := themesOf(t, db, ws, store.TextFeedback, res.Items[0].ID); it == nil || th["app"].Source != store.TagAuto || it.Sentiment == nil {
			t.Errorf("app_store item analysis = %+v %+v, want app theme and sentiment", it, th)
		}
		if th, it := themesOf(t, db, ws, store.TextFeedback, res.Items[1].ID); it == nil || it.Language != "ro" || th["delivery"].Source != store.TagAuto {
			t.Errorf("ro item analysis = %+v %+v, want ro with delivery", it, th)
		}

		// An atomic batch with a bad item stores nothing and names the fields.
		bad := []text.Feedback{
			{Source: "chat", Text: "fine", OccurredAt: at},
			{Source: "", Text: "", Rating: &four, OccurredAt: at, URL: "ftp://x"},
		}
		_, err = db.InsertFeedback(ctx, ws, bad, store.BatchOptions{})
		var ve *cx.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("bad batch: err = %v, want validation error", err)
		}
		fields := map[string]bool{}
		for _, f := range ve.Fields {
			if f.Index != 1 {
				t.Errorf("error on item %d: %v", f.Index, f)
			}
			fields[f.Field] = true
		}
		for _, want := range []string{"source", "text", "rating_scale", "url"} {
			if !fields[want] {
				t.Errorf("errors %v do not name %s", ve.Fields, want)
			}
		}
		if page, _ := db.Feedback(ctx, ws, store.FeedbackFilter{Source: "chat"}); len(page.Items) != 0 {
			t.Errorf("half-written batch: %+v", page.Items)
		}
	})
}

func TestEraseCustomerText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		at := time.Now().Add(-time.Hour)
		fb, err := db.InsertFeedback(ctx, ws, []text.Feedback{{Source: "chat", Text: "The courier was late, call me on 0722", Author: "Ana", OccurredAt: at, Customer: "c-9"}}, store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rs, err := db.InsertResponses(ctx, ws, []cx.Response{{Survey: "nps", Score: intp(3), SubmittedAt: at, Customer: "c-9", Comment: "Late delivery"}}, store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := store.EraseCustomerTextForTest(ctx, db, ws, "c-9"); err != nil {
			t.Fatal(err)
		}
		f, err := db.FeedbackItem(ctx, ws, fb.Items[0].ID)
		if err != nil || f.Text != "" || f.Author != "" || f.Source != "chat" {
			t.Errorf("feedback after erasure: %+v, %v", f, err)
		}
		for _, k := range []struct {
			kind string
			id   int64
		}{{store.TextFeedback, fb.Items[0].ID}, {store.TextResponse, rs.Items[0].ID}} {
			if _, it := themesOf(t, db, ws, k.kind, k.id); it != nil {
				t.Errorf("%s %d keeps its analysis after erasure: %+v", k.kind, k.id, it)
			}
		}
	})
}
