package transfer

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
	"github.com/cxlens/cxlens/internal/text"
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

// TestExportFeedbackRoundTrip checks the stored items themselves, not only
// the export: an exporter that dropped a field would also drop it from the
// export TestRoundTrip compares against.
func TestExportFeedbackRoundTrip(t *testing.T) {
	t.Parallel()
	db := storetest.New(t, store.SQLite, store.Options{})
	src := newWorkspace(t, db)
	if sum, rej := load(t, Importer{DB: db, Workspace: src, Type: Feedback, Format: CSV}, fixtures[Feedback]); sum.Inserted != 3 || len(rej) > 0 {
		t.Fatalf("fixture: %+v, rejected %v", sum, rej)
	}
	items := func(ws int64) []text.Feedback {
		t.Helper()
		all, err := store.All(func(cursor string) (store.Page[text.Feedback], error) {
			return db.Feedback(context.Background(), ws, store.FeedbackFilter{ListFilter: store.ListFilter{Cursor: cursor}})
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := range all {
			all[i].ID, all[i].CreatedAt = 0, time.Time{}
		}
		return all
	}
	want := items(src)
	for _, f := range []Format{CSV, NDJSON} {
		file := exportString(t, db, src, Feedback, f)
		if f == CSV && !strings.HasPrefix(file, strings.Join(Fields(Feedback), ",")+"\n") {
			t.Errorf("CSV header: %q", strings.SplitN(file, "\n", 2)[0])
		}
		dst := newWorkspace(t, db)
		if sum, rej := load(t, Importer{DB: db, Workspace: dst, Type: Feedback, Format: f}, file); sum.Inserted != 3 || len(rej) > 0 {
			t.Fatalf("%s re-import: %+v, rejected %v from:\n%s", f, sum, rej, file)
		}
		if got := items(dst); !reflect.DeepEqual(got, want) {
			t.Errorf("%s round trip:\ngot  %+v\nwant %+v", f, got, want)
		}
	}
	if want[0].Language != "en" || want[0].Customer != "c1" || *want[0].Rating != 1.5 || want[1].IdempotencyKey != "fb-2" {
		t.Errorf("fixture stored as %+v", want)
	}
}

// TestExportFeedbackPages exports more items than fit in one store page.
func TestExportFeedbackPages(t *testing.T) {
	t.Parallel()
	db := storetest.New(t, store.SQLite, store.Options{})
	ws := newWorkspace(t, db)
	const n = 2*store.MaxLimit + 1
	var b strings.Builder
	b.WriteString("source,text,occurred_at\n")
	for i := range n {
		fmt.Fprintf(&b, "chat,message %d,2026-01-01T00:00:%02d.%03dZ\n", i, i/1000, i%1000)
	}
	if sum, rej := load(t, Importer{DB: db, Workspace: ws, Type: Feedback, Format: CSV}, b.String()); sum.Inserted != n || len(rej) > 0 {
		t.Fatalf("import: %+v, rejected %v", sum, rej)
	}
	for _, f := range []Format{CSV, NDJSON} {
		var out strings.Builder
		e := &Exporter{DB: db, Workspace: ws, Type: Feedback, Format: f}
		got, err := e.Export(context.Background(), &out)
		lines := strings.Count(out.String(), "\n")
		if f == CSV {
			lines-- // header
		}
		if err != nil || got != n || lines != n || !strings.Contains(out.String(), fmt.Sprintf("message %d", n-1)) {
			t.Errorf("%s export: %d items, %d lines, %v; want %d", f, got, lines, err, n)
		}
	}
}
