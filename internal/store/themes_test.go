package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
	"github.com/cxlens/cxlens/internal/text/themes"
)

// themesOf returns the effective themes of an item (manual removals left
// out) keyed by theme, with their source.
func themesOf(t *testing.T, db *store.DB, ws int64, kind string, id int64) (map[string]store.ItemTheme, *store.ItemText) {
	t.Helper()
	m, err := db.ItemTexts(context.Background(), ws, kind, []int64{id})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.ItemTheme{}
	it := m[id]
	if it == nil {
		return out, nil
	}
	for _, th := range it.Themes {
		if th.Source != store.TagRemoved {
			out[th.Theme] = th
		}
	}
	return out, it
}

func TestTagAtIngest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws, other := setup(t, db), setup(t, db)
		at := time.Now().Add(-time.Hour)
		comment := "Great product. The delivery was late and the courier was rude."
		res, err := db.InsertResponses(ctx, ws, []cx.Response{
			{Survey: "nps", Score: intp(3), SubmittedAt: at, Comment: comment},
			{Survey: "nps", Score: intp(9), SubmittedAt: at, Comment: "送餐太慢了，等了两个小时。"},
			{Survey: "nps", Score: intp(9), SubmittedAt: at},
		}, store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		en, zh, empty := res.Items[0].ID, res.Items[1].ID, res.Items[2].ID
		got, it := themesOf(t, db, ws, store.TextResponse, en)
		if it == nil || it.Language != "en" || it.Sentiment == nil || it.Sentiment.Model != "builtin" {
			t.Fatalf("analysis of %q = %+v", comment, it)
		}
		d, ok := got["delivery"]
		if !ok || d.Source != store.TagAuto {
			t.Fatalf("themes of %q = %+v, want delivery (auto)", comment, got)
		}
		if len(d.Sentences) != 1 || comment[d.Sentences[0][0]:d.Sentences[0][1]] != "The delivery was late and the courier was rude." {
			t.Errorf("delivery sentences = %v", d.Sentences)
		}
		if _, ok := got["price"]; ok {
			t.Errorf("price tagged on %q (no price term)", comment)
		}
		if got, it := themesOf(t, db, ws, store.TextResponse, zh); it == nil || it.Language != "zh-Hans" || got["delivery"].Source != store.TagAuto {
			t.Errorf("zh analysis = %+v themes %+v, want zh-Hans with delivery", it, got)
		}
		if _, it := themesOf(t, db, ws, store.TextResponse, empty); it != nil {
			t.Errorf("response without comment analysed: %+v", it)
		}
		// Another workspace sees nothing of it.
		if _, it := themesOf(t, db, other, store.TextResponse, en); it != nil {
			t.Errorf("workspace %d sees the analysis of workspace %d: %+v", other, ws, it)
		}

		// A comment added later (survey page second step) is tagged too.
		if err := db.UpdateResponseComment(ctx, ws, empty, "The app keeps crashing on login."); err != nil {
			t.Fatal(err)
		}
		if got, _ := themesOf(t, db, ws, store.TextResponse, empty); got["app"].Source != store.TagAuto {
			t.Errorf("themes after UpdateResponseComment = %+v, want app", got)
		}
	})
}

func TestManualTagsSurviveRetag(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		res, err := db.InsertResponses(ctx, ws, []cx.Response{
			{Survey: "nps", Score: intp(2), SubmittedAt: time.Now().Add(-time.Hour), Comment: "The delivery was late and the price too high."},
		}, store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		id := res.Items[0].ID
		if got, _ := themesOf(t, db, ws, store.TextResponse, id); got["price"].Source != store.TagAuto || got["delivery"].Source != store.TagAuto {
			t.Fatalf("themes = %+v, want price and delivery", got)
		}
		if err := db.SetItemTheme(ctx, ws, store.TextResponse, id, "staff", true); err != nil {
			t.Fatal(err)
		}
		if err := db.SetItemTheme(ctx, ws, store.TextResponse, id, "price", false); err != nil {
			t.Fatal(err)
		}
		if err := db.SetItemTheme(ctx, ws, store.TextResponse, id, "nope", true); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("unknown theme: err = %v, want not found", err)
		}
		if err := db.SetItemTheme(ctx, ws, store.TextResponse, id+100, "staff", true); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("unknown response: err = %v, want not found", err)
		}
		if n, err := db.Retag(ctx, ws); err != nil || n != 1 {
			t.Fatalf("Retag = %d, %v", n, err)
		}
		got, _ := themesOf(t, db, ws, store.TextResponse, id)
		if got["staff"].Source != store.TagManual {
			t.Errorf("manual staff tag lost on retag: %+v", got)
		}
		if _, ok := got["price"]; ok {
			t.Errorf("manually removed price came back on retag: %+v", got)
		}
		if got["delivery"].Source != store.TagAuto {
			t.Errorf("delivery lost on retag: %+v", got)
		}
	})
}

func TestSaveCodeframe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws, other := setup(t, db), setup(t, db)
		res, err := db.InsertResponses(ctx, ws, []cx.Response{
			{Survey: "nps", Score: intp(2), SubmittedAt: time.Now().Add(-time.Hour), Comment: "My luggage was lost and the flight delayed."},
		}, store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		id := res.Items[0].ID
		cf, err := db.Codeframe(ctx, ws)
		if err != nil || cf.Own {
			t.Fatalf("Codeframe = %+v, %v; want the starter", cf, err)
		}
		c, err := themes.New("mine", []themes.Theme{
			{ID: "travel", Name: "Travel"},
			{ID: "bags", Name: "Bags", Parent: "travel", Terms: map[string][]string{"en": {"luggage", "bag*"}}},
			{ID: "delays", Name: "Delays", Parent: "travel", Terms: map[string][]string{"en": {"delayed", "late"}}},
			{ID: "old", Name: "Old", Terms: map[string][]string{"en": {"flight"}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := db.SaveCodeframe(ctx, ws, store.CodeframeChange{Codeframe: c, Excluded: []string{"old"}}); err != nil || n != 1 {
			t.Fatalf("SaveCodeframe = %d, %v", n, err)
		}
		got, _ := themesOf(t, db, ws, store.TextResponse, id)
		for _, want := range []string{"bags", "delays", "travel"} {
			if got[want].Source != store.TagAuto {
				t.Errorf("themes = %+v, want %s (parents roll up)", got, want)
			}
		}
		if _, ok := got["old"]; ok {
			t.Errorf("excluded theme tagged: %+v", got)
		}
		if err := db.SetItemTheme(ctx, ws, store.TextResponse, id, "old", true); err != nil {
			t.Fatal(err)
		}
		// Merge bags into delays: the manual tag on old is dropped with its
		// theme, the tags move.
		merged, err := themes.Merge(c, "delays", "bags")
		if err != nil {
			t.Fatal(err)
		}
		merged, err = themes.Merge(merged, "travel", "old")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveCodeframe(ctx, ws, store.CodeframeChange{Codeframe: merged, Rewrite: map[string]string{"bags": "delays", "old": "travel"}}); err != nil {
			t.Fatal(err)
		}
		got, _ = themesOf(t, db, ws, store.TextResponse, id)
		if _, ok := got["bags"]; ok || got["delays"].Source != store.TagAuto || len(got) != 2 {
			t.Errorf("themes after merge = %+v, want delays and travel", got)
		}
		cf, err = db.Codeframe(ctx, ws)
		if err != nil || !cf.Own || len(cf.Codeframe.Themes) != 2 || cf.Hash == "" {
			t.Errorf("Codeframe after merge = %+v, %v", cf, err)
		}
		if cf, err := db.Codeframe(ctx, other); err != nil || cf.Own {
			t.Errorf("other workspace codeframe = %+v, %v; want the starter", cf, err)
		}
		bad := themes.Codeframe{Themes: []themes.Theme{{ID: "a", Name: "A", Parent: "zz"}}}
		if _, err := db.SaveCodeframe(ctx, ws, store.CodeframeChange{Codeframe: bad}); !errors.Is(err, cx.ErrInvalid) {
			t.Errorf("invalid codeframe: err = %v, want invalid", err)
		}
		if _, err := db.SaveCodeframe(ctx, ws, store.CodeframeChange{}); !errors.Is(err, cx.ErrInvalid) {
			t.Errorf("empty codeframe: err = %v, want invalid", err)
		}
		if _, err := db.ResetCodeframe(ctx, ws); err != nil {
			t.Fatal(err)
		}
		if got, _ := themesOf(t, db, ws, store.TextResponse, id); got["delivery"].Source != store.TagAuto {
			t.Errorf("themes after reset = %+v, want starter delivery", got)
		}
	})
}

func TestTrainSentimentTooFew(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		if _, err := db.InsertResponses(ctx, ws, []cx.Response{
			{Survey: "nps", Score: intp(2), SubmittedAt: time.Now().Add(-time.Hour), Comment: "awful"},
		}, store.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
		info, n, err := db.RebuildText(ctx, ws)
		if err != nil || info.Model != "builtin" || info.Reason == "" || n != 1 {
			t.Errorf("RebuildText = %+v, %d, %v; want builtin with a reason", info, n, err)
		}
		if info, err := db.SentimentModel(ctx, ws); err != nil || info.Model != "builtin" {
			t.Errorf("SentimentModel = %+v, %v", info, err)
		}
	})
}

func TestRefreshTextTrainsWorkspaceModel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := setup(t, db)
		good := []string{"great", "friendly", "fast", "helpful", "lovely", "excellent"}
		bad := []string{"terrible", "rude", "slow", "broken", "awful", "useless"}
		var rs []cx.Response
		at := time.Now().Add(-time.Hour)
		for i := range 300 {
			w, score := good, 10
			if i%2 == 1 {
				w, score = bad, 1
			}
			comment := "the staff was " + w[i%6] + " and the service " + w[(i/6)%6] + " today"
			rs = append(rs, cx.Response{Survey: "nps", Score: intp(score), SubmittedAt: at, Comment: comment, Language: "en"})
		}
		res, err := db.InsertResponses(ctx, ws, rs, store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, it := themesOf(t, db, ws, store.TextResponse, res.Items[0].ID); it.Sentiment.Model != "builtin" {
			t.Fatalf("before training: model %q, want builtin", it.Sentiment.Model)
		}
		if ok, err := db.RefreshText(ctx, ws); err != nil || !ok {
			t.Fatalf("RefreshText = %v, %v; want a training", ok, err)
		}
		info, err := db.SentimentModel(ctx, ws)
		if err != nil || info.Model != "workspace" || info.Examples != 300 || info.Comments != 300 {
			t.Fatalf("SentimentModel = %+v, %v", info, err)
		}
		_, pos := themesOf(t, db, ws, store.TextResponse, res.Items[0].ID)
		_, neg := themesOf(t, db, ws, store.TextResponse, res.Items[1].ID)
		if pos.Sentiment.Model != "workspace" || pos.Sentiment.Label != "positive" || neg.Sentiment.Label != "negative" {
			t.Errorf("after training: %+v / %+v", pos.Sentiment, neg.Sentiment)
		}
		// Nothing new: no re-training.
		if ok, err := db.RefreshText(ctx, ws); err != nil || ok {
			t.Errorf("second RefreshText = %v, %v; want none", ok, err)
		}
		// New comments are scored with the workspace model at ingest.
		res, err = db.InsertResponses(ctx, ws, []cx.Response{{Survey: "nps", Score: intp(9), SubmittedAt: at, Comment: "friendly and fast", Language: "en"}}, store.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, it := themesOf(t, db, ws, store.TextResponse, res.Items[0].ID); it.Sentiment.Model != "workspace" {
			t.Errorf("new comment scored by %q, want workspace", it.Sentiment.Model)
		}
	})
}
