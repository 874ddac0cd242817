package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// TestTextCommands: import feedback, re-tag, evaluate and discover through
// the CLI; bad flags exit 2.
func TestTextCommands(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	ws := e.setup(t)
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("source,text,occurred_at,rating,rating_scale,author\n")
	for i := range 40 {
		text := "The delivery was late and the courier rude"
		if i%2 == 1 {
			text = "Great price and very cheap shipping"
		}
		fmt.Fprintf(&b, "review_site,%s %d,2026-01-%02dT10:00:00Z,%d,5,@u%d\n", text, i, 1+i%28, 1+i%5, i)
	}
	file := filepath.Join(dir, "feedback.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.must(t, "import", "--workspace", ws, "--type", "feedback", file)
	if !strings.Contains(r.stdout+r.stderr, "40") {
		t.Errorf("import feedback output: %q %q", r.stdout, r.stderr)
	}
	if r := e.must(t, "text", "tag", "--workspace", ws); !strings.Contains(r.stdout, "40 comments analysed; sentiment model: builtin") {
		t.Errorf("text tag: %q", r.stdout)
	}
	r = e.must(t, "text", "discover", "--workspace", ws, "--themes", "2", "--format", "json")
	if !strings.Contains(r.stdout, `"comments": 40`) || !strings.Contains(r.stdout, `"themes"`) {
		t.Errorf("text discover: %s", r.stdout)
	}
	// eval needs scored comments; the workspace has none.
	if r := e.cxlens(t, "text", "eval", "--workspace", ws); r.code == 0 || !strings.Contains(r.err.Error(), "nothing to evaluate") {
		t.Errorf("text eval without scores: code %d err %v", r.code, r.err)
	}
	for _, args := range [][]string{
		{"text", "discover", "--workspace", ws, "--themes", "0"},
		{"text", "eval", "--workspace", ws, "--format", "xml"},
		{"text", "tag"},
	} {
		if r := e.cxlens(t, args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%v)", args, r.code, r.err)
		}
	}
}

func TestMaintainText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t, store.SQLite, store.Options{})
	w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateSurvey(ctx, w.ID, cx.Survey{Key: "nps", Kind: cx.NPS}); err != nil {
		t.Fatal(err)
	}
	score := 2
	if _, err := db.InsertResponses(ctx, w.ID, []cx.Response{{Survey: "nps", Score: &score, SubmittedAt: time.Now().Add(-time.Hour), Comment: "slow"}}, store.BatchOptions{}); err != nil {
		t.Fatal(err)
	}
	a := &app{logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	a.maintainText(ctx, db, 0) // one pass
	info, err := db.SentimentModel(ctx, w.ID)
	if err != nil || info.TrainedAt == nil || info.Model != "builtin" || info.Comments != 1 {
		t.Errorf("after maintainText: %+v, %v; want a recorded (builtin) training", info, err)
	}
}
