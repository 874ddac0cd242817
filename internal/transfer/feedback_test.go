package transfer

import (
	"context"
	"testing"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

func TestImportFeedback(t *testing.T) {
	t.Parallel()
	csv := "source,text,occurred_at,rating,rating_scale,author,url\n" +
		"app_store,The app crashes at checkout.,2026-05-01T10:00:00Z,1,5,@ana,https://apps.example/r/1\n" +
		"twitter,Livrarea a întârziat.,2026-05-02,,,@ion,\n" +
		",no source,2026-05-02,7,5,,\n"
	nd := `{"source":"review_site","text":"Room was dirty.","occurred_at":"2026-05-03T00:00:00Z","rating":2,"rating_scale":5}` + "\n"
	db := storetest.New(t, store.SQLite, store.Options{})
	ws := newWorkspace(t, db)
	sum, rej := load(t, Importer{DB: db, Workspace: ws, Type: Feedback, Format: CSV}, csv)
	if sum.Inserted != 2 || len(rej) != 1 || rej[0].line != 4 || rej[0].fields != "source,rating" {
		t.Fatalf("CSV import: %+v, rejected %v", sum, rej)
	}
	if sum, rej := load(t, Importer{DB: db, Workspace: ws, Type: Feedback, Format: NDJSON}, nd); sum.Inserted != 1 || len(rej) != 0 {
		t.Fatalf("NDJSON import: %+v, rejected %v", sum, rej)
	}
	// Importing the same file again adds nothing (derived keys).
	if sum, _ := load(t, Importer{DB: db, Workspace: ws, Type: Feedback, Format: CSV}, csv); sum.Inserted != 0 || sum.Duplicates != 2 {
		t.Errorf("re-import: %+v", sum)
	}
	page, err := db.Feedback(context.Background(), ws, store.FeedbackFilter{Source: "app_store"})
	if err != nil || len(page.Items) != 1 || *page.Items[0].Rating != 1 || page.Items[0].RatingScale != 5 || page.Items[0].Author != "@ana" {
		t.Errorf("stored app_store feedback: %+v, %v", page.Items, err)
	}
	if _, err := ParseType("feedback"); err != nil {
		t.Errorf("ParseType(feedback): %v", err)
	}
}
