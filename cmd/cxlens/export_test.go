package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cxlens/cxlens/internal/store"
)

// TestExportFeedback: export feedback to a file, import it into another
// workspace, and both workspaces export the same items; --from/--to select
// by occurred_at.
func TestExportFeedback(t *testing.T) {
	t.Parallel()
	const src = "source,text,occurred_at,rating,rating_scale,author,url,language,customer,idempotency_key\n" +
		"app_store,\"Crashes at checkout, \"\"every\"\" time\nplease fix\",2026-01-05T10:00:00.5Z,1.5,5,@ana,https://apps.example/r/1,en,c1,\n" +
		"twitter,Livrarea a întârziat.,2026-02-02T00:00:00Z,,,@ion,,ro,,fb-2\n" +
		"forum,很慢,2026-02-20T09:00:00Z,9,10,,,,c2,\n"
	for _, c := range []struct{ dialect, format string }{
		{store.SQLite, "csv"}, {store.SQLite, "ndjson"}, {store.Postgres, "csv"},
	} {
		t.Run(c.dialect+"/"+c.format, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, c.dialect)
			ws := e.setup(t)
			dir := t.TempDir()
			in := filepath.Join(dir, "in.csv")
			if err := os.WriteFile(in, []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
			e.must(t, "import", "--workspace", ws, "--type", "feedback", in)
			file := filepath.Join(dir, "feedback."+c.format)
			if r := e.must(t, "export", "--workspace", ws, "--type", "feedback", "--out", file); !strings.Contains(r.stderr, "exported 3 feedback") {
				t.Errorf("export stderr: %q", r.stderr)
			}

			ws2 := strings.TrimSpace(e.must(t, "workspace", "create", "Copy").stdout)
			e.must(t, "import", "--workspace", ws2, "--type", "feedback", file)
			want := e.must(t, "export", "--workspace", ws, "--type", "feedback").stdout
			got := e.must(t, "export", "--workspace", ws2, "--type", "feedback").stdout
			if got != want || !strings.HasPrefix(want, "source,text,occurred_at,rating,rating_scale,author,url,language,customer,idempotency_key\n") {
				t.Errorf("feedback differs after the round trip:\ngot:\n%s\nwant:\n%s", got, want)
			}
			if !strings.Contains(want, "1.5,5,@ana,https://apps.example/r/1,en,c1,imp:") || !strings.Contains(want, ",fb-2\n") {
				t.Errorf("export lost fields:\n%s", want)
			}
			out := e.must(t, "export", "--workspace", ws2, "--type", "feedback", "--format", "ndjson", "--from", "2026-02-01", "--to", "2026-02-20").stdout
			if n := strings.Count(out, "\n"); n != 1 || !strings.Contains(out, `"idempotency_key":"fb-2"`) {
				t.Errorf("February export has %d rows, want 1 (fb-2):\n%s", n, out)
			}
		})
	}
}
