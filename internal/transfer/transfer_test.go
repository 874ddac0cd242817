package transfer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

// now is the clock of every test: fixtures are in early 2026.
var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// newWorkspace returns a fresh SQLite database and a workspace with an
// NPS survey "nps" and a CSAT survey "csat".
func newWorkspace(t testing.TB, db *store.DB) int64 {
	t.Helper()
	ctx := context.Background()
	w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []cx.Survey{{Key: "nps", Kind: cx.NPS}, {Key: "csat", Kind: cx.CSAT}} {
		if _, err := db.CreateSurvey(ctx, w.ID, s); err != nil {
			t.Fatal(err)
		}
	}
	return w.ID
}

type rejection struct {
	line   int
	fields string
}

// load imports src and returns the summary and the rejected rows.
func load(t *testing.T, im Importer, src string) (Summary, []rejection) {
	t.Helper()
	var rej []rejection
	im.Now = func() time.Time { return now }
	im.OnReject = func(line int, errs []cx.FieldError) {
		var names []string
		for _, e := range errs {
			if e.Line != line {
				t.Errorf("error %v has line %d, want %d", e, e.Line, line)
			}
			names = append(names, e.Field)
		}
		rej = append(rej, rejection{line, strings.Join(names, ",")})
	}
	sum, err := im.Import(context.Background(), strings.NewReader(src))
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return sum, rej
}

func exportString(t *testing.T, db *store.DB, ws int64, typ Type, f Format) string {
	t.Helper()
	var b bytes.Buffer
	e := &Exporter{DB: db, Workspace: ws, Type: typ, Format: f}
	if _, err := e.Export(context.Background(), &b); err != nil {
		t.Fatalf("export: %v", err)
	}
	return b.String()
}

func TestClassify(t *testing.T) {
	t.Parallel()
	m := Mapping{"Score": "score", "Plan": "attributes.plan", "Notes": "-", "When": "submitted_at"}
	tests := []struct {
		source string
		want   column
	}{
		{"score", column{kind: fieldColumn, name: "score"}},
		{" Comment ", column{kind: fieldColumn, name: "comment"}},
		{"Score", column{kind: fieldColumn, name: "score"}},
		{"When", column{kind: fieldColumn, name: "submitted_at"}},
		{"Plan", column{kind: attrColumn, name: "plan"}},
		{"attributes.Region", column{kind: attrColumn, name: "Region"}},
		{"region", column{kind: attrColumn, name: "region"}},
		{"attributes", column{kind: attrsColumn}},
		{"Notes", column{kind: skipColumn}},
		{"id", column{kind: skipColumn}},
		{"created_at", column{kind: skipColumn}},
		{"type", column{kind: attrColumn, name: "type"}}, // a field of events, not of responses
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			got := classify(Responses, m, tt.source)
			got.label = ""
			if got != tt.want {
				t.Errorf("classify(%q) = %+v, want %+v", tt.source, got, tt.want)
			}
		})
	}
}

func TestInferValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want any
	}{
		{"pro", "pro"},
		{"42", 42.0},
		{"-1.5", -1.5},
		{"0", 0.0},
		{"007", "007"}, // leading zeros: an identifier, not a number
		{"1e3", "1e3"},
		{"+1", "+1"},
		{"1.50", "1.50"},
		{"true", true},
		{"false", false},
		{"True", "True"},
		{"NaN", "NaN"},
	}
	for _, tt := range tests {
		if got := inferValue(tt.in); got != tt.want {
			t.Errorf("inferValue(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      []string
		want    Mapping
		wantErr bool
	}{
		{"empty", nil, Mapping{}, false},
		{"pairs", []string{"Score=score", " NPS Comment = comment"}, Mapping{"Score": "score", "NPS Comment": "comment"}, false},
		{"no equals", []string{"score"}, nil, true},
		{"empty target", []string{"score="}, nil, true},
		{"twice", []string{"a=score", "a=comment"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMapping(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFormatFromPath(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]Format{"a.csv": CSV, "A.CSV": CSV, "x.ndjson": NDJSON, "x.jsonl": NDJSON, "x.json": NDJSON, "x.txt": ""} {
		got, err := FormatFromPath(path)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("FormatFromPath(%q) = %q, %v; want %q", path, got, err, want)
		}
	}
}

func TestImportCSV(t *testing.T) {
	t.Parallel()
	db := storetest.New(t, store.SQLite, store.Options{})
	ws := newWorkspace(t, db)
	// Line 3 holds a quoted comment spanning two lines, so later rows'
	// line numbers are file lines, not record numbers.
	src := "\ufeffsurvey,customer,Rating,comment,submitted_at,channel,plan,seats,attributes.vip,Internal\n" +
		"nps,c1,9,fine,2026-01-05T10:00:00Z,email,pro,12,true,x\n" +
		"nps,c2,3,\"slow,\nvery slow\",2026-01-06 11:00:00,web,free,007,,x\n" +
		"nps,c3,11,too high,2026-01-07,web,free,1,,x\n" +
		"csat,c4,4,,2026-01-08,web,,,,x\n" +
		"nps,c5,abc,,yesterday,web,,,,x\n" +
		"\n" +
		"nps,,10,anonymous,2026-01-09T00:00:00+02:00,,,,,x\n" +
		"nps,c6,10,short row\n" +
		"unknown,c7,5,,2026-01-10,,,,,x\n"
	im := Importer{DB: db, Workspace: ws, Type: Responses, Format: CSV, Mapping: Mapping{"Rating": "score", "Internal": "-"}, BatchSize: 2}
	sum, rej := load(t, im, src)

	wantRej := []rejection{{5, "score"}, {7, "score,submitted_at"}, {10, "row"}, {11, "survey"}}
	if !reflect.DeepEqual(rej, wantRej) {
		t.Errorf("rejected %v, want %v", rej, wantRej)
	}
	want := Summary{Rows: 8, Valid: 4, Inserted: 4, Rejected: 4}
	sum.Elapsed = 0
	if sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}

	page, err := db.Responses(context.Background(), ws, store.ResponseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]cx.Response{}
	for _, r := range page.Items {
		got[r.Customer] = r
		if !strings.HasPrefix(r.IdempotencyKey, "imp:") {
			t.Errorf("response %s has key %q, want a derived one", r.Customer, r.IdempotencyKey)
		}
	}
	c1 := got["c1"]
	if want := (cx.Attributes{"plan": "pro", "seats": 12.0, "vip": true}); !reflect.DeepEqual(c1.Attributes, want) {
		t.Errorf("c1 attributes %v, want %v", c1.Attributes, want)
	}
	if c2 := got["c2"]; c2.Comment != "slow,\nvery slow" || c2.Attributes["seats"] != "007" ||
		!c2.SubmittedAt.Equal(time.Date(2026, 1, 6, 11, 0, 0, 0, time.UTC)) {
		t.Errorf("c2 = %+v", c2)
	}
	if anon := got[""]; !anon.SubmittedAt.Equal(time.Date(2026, 1, 8, 22, 0, 0, 0, time.UTC)) || anon.Comment != "anonymous" {
		t.Errorf("anonymous response = %+v", anon)
	}
}

func TestReimportAddsNothing(t *testing.T) {
	t.Parallel()
	db := storetest.New(t, store.SQLite, store.Options{})
	ws := newWorkspace(t, db)
	src := "survey,customer,score,submitted_at\n" +
		"nps,c1,9,2026-01-05T10:00:00Z\n" +
		"nps,c2,9,2026-01-05T10:00:00Z\n" +
		"nps,c1,9,2026-01-05T10:00:00.000Z\n" // the same as line 2, written differently
	im := Importer{DB: db, Workspace: ws, Type: Responses, Format: CSV}
	first, _ := load(t, im, src)
	if first.Inserted != 2 || first.Duplicates != 1 {
		t.Errorf("first import %+v, want 2 inserted, 1 duplicate", first)
	}
	second, _ := load(t, im, src)
	if second.Inserted != 0 || second.Duplicates != 3 {
		t.Errorf("second import %+v, want 0 inserted, 3 duplicates", second)
	}
	// The same rows as NDJSON derive the same keys.
	nd := `{"survey":"nps","customer":"c2","score":9,"submitted_at":"2026-01-05T10:00:00Z"}` + "\n"
	third, _ := load(t, Importer{DB: db, Workspace: ws, Type: Responses, Format: NDJSON}, nd)
	if third.Inserted != 0 || third.Duplicates != 1 {
		t.Errorf("NDJSON import %+v, want 1 duplicate", third)
	}
}

func TestDeriveKey(t *testing.T) {
	t.Parallel()
	score := 9
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	a := cx.Response{Survey: "nps", Customer: "c1", Score: &score, SubmittedAt: at, Attributes: cx.Attributes{"a": "1", "b": 2.0}}
	b := a
	b.Attributes = cx.Attributes{"b": 2.0, "a": "1"}
	c := a
	c.Comment = "x"
	ka, kb, kc := DeriveKey(Responses, &a), DeriveKey(Responses, &b), DeriveKey(Responses, &c)
	if ka != kb {
		t.Errorf("same content, different keys: %s %s", ka, kb)
	}
	if ka == kc {
		t.Errorf("different content, same key %s", ka)
	}
	if !strings.HasPrefix(ka, "imp:") || len(ka) != len("imp:")+22 {
		t.Errorf("key %q, want import: and 64 hex digits", ka)
	}
	if DeriveKey(Events, &a) == ka {
		t.Error("the type is not part of the key")
	}
}

func TestImportNDJSON(t *testing.T) {
	t.Parallel()
	db := storetest.New(t, store.SQLite, store.Options{})
	ws := newWorkspace(t, db)
	src := `{"customer":"c1","type":"purchase","occurred_at":"2026-02-01T09:00:00Z","value":120.5,"currency":"eur","attributes":{"sku":"A-1","qty":2,"gift":false},"channel":"web"}
{"customer":"c1","type":"purchase","occurred_at":"2026-02-01T09:00:00Z","value":-3}

{"customer":"c2","type":"teleport","occurred_at":"2026-02-02T09:00:00Z"}
not json
{"customer":"c3","type":"refund","occurred_at":"2026-02-03T09:00:00Z","value":"12","idempotency_key":"r-1","id":99,"created_at":"2020-01-01T00:00:00Z"}
{"customer":["x"],"type":"churn","occurred_at":"2026-02-03T09:00:00Z"}
`
	sum, rej := load(t, Importer{DB: db, Workspace: ws, Type: Events, Format: NDJSON}, src)
	wantRej := []rejection{{2, "value"}, {4, "type"}, {5, "json"}, {7, "customer"}}
	if !reflect.DeepEqual(rej, wantRej) {
		t.Errorf("rejected %v, want %v", rej, wantRej)
	}
	if sum.Rows != 6 || sum.Inserted != 2 || sum.Rejected != 4 {
		t.Errorf("summary %+v", sum)
	}
	page, err := db.Events(context.Background(), ws, store.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 {
		t.Fatalf("%d events stored, want 2", len(page.Items))
	}
	e := page.Items[0]
	if want := (cx.Attributes{"sku": "A-1", "qty": 2.0, "gift": false, "channel": "web"}); !reflect.DeepEqual(e.Attributes, want) || e.Currency != "EUR" || e.Value != 120.5 {
		t.Errorf("event %+v, want attributes %v", e, want)
	}
	if r := page.Items[1]; r.IdempotencyKey != "r-1" || r.Value != 12 {
		t.Errorf("refund %+v", r)
	}
}

func TestImportNDJSONMapping(t *testing.T) {
	t.Parallel()
	db := storetest.New(t, store.SQLite, store.Options{})
	ws := newWorkspace(t, db)
	src := `{"email":"ana@example.com","id":"c1","Plan":"pro","secret":"x","attributes":{"seats":3}}` + "\n"
	im := Importer{DB: db, Workspace: ws, Type: Customers, Format: NDJSON,
		Mapping: Mapping{"id": "external_id", "Plan": "attributes.plan", "secret": "-"}}
	if sum, rej := load(t, im, src); sum.Inserted != 1 || len(rej) > 0 {
		t.Fatalf("summary %+v, rejected %v", sum, rej)
	}
	c, err := db.Customer(context.Background(), ws, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if want := (cx.Attributes{"plan": "pro", "seats": 3.0}); c.Email != "ana@example.com" || !reflect.DeepEqual(c.Attributes, want) {
		t.Errorf("customer %+v, want attributes %v", c, want)
	}
	// Customers upsert: importing again updates, adds nothing.
	if sum, _ := load(t, im, src); sum.Inserted != 0 || sum.Updated != 1 {
		t.Errorf("second import %+v, want 1 updated", sum)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	db := storetest.New(t, store.SQLite, store.Options{})
	ws := newWorkspace(t, db)
	src := "survey,customer,score,submitted_at\nnps,c1,9,2026-01-05\nnps,c2,19,2026-01-05\nnope,c3,1,2026-01-05\n"
	sum, rej := load(t, Importer{DB: db, Workspace: ws, Type: Responses, Format: CSV, DryRun: true}, src)
	if sum.Valid != 1 || sum.Rejected != 2 || sum.Inserted != 0 || !sum.DryRun {
		t.Errorf("summary %+v", sum)
	}
	if want := []rejection{{3, "score"}, {4, "survey"}}; !reflect.DeepEqual(rej, want) {
		t.Errorf("rejected %v, want %v", rej, want)
	}
	page, err := db.Responses(context.Background(), ws, store.ResponseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 0 {
		t.Errorf("dry run stored %d responses", len(page.Items))
	}
}

func TestImportFileErrors(t *testing.T) {
	t.Parallel()
	db := storetest.New(t, store.SQLite, store.Options{})
	ws := newWorkspace(t, db)
	tests := []struct {
		name string
		typ  Type
		src  string
		want string
	}{
		{"empty file", Responses, "", "header"},
		{"duplicate columns", Responses, "survey,submitted_at,score,Score\n", "both set score"},
		{"mapped onto an existing column", Responses, "survey,submitted_at,score,rating\n", "both set score"},
		{"nameless column", Customers, "external_id,,name\n", "column 2 has no name"},
		{"missing columns", Responses, "survey,customer,comment\n", "no score, submitted_at column"},
		{"missing event columns", Events, "customer,value\n", "no type, occurred_at column"},
		{"bare quote", Customers, "external_id,name\nc1,a\"b\n", "line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im := Importer{DB: db, Workspace: ws, Type: tt.typ, Format: CSV, Mapping: Mapping{"rating": "score"}}
			_, err := im.Import(context.Background(), strings.NewReader(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			if !errors.Is(err, cx.ErrInvalid) {
				t.Errorf("err = %v does not match cx.ErrInvalid", err)
			}
		})
	}
	im := Importer{DB: db, Workspace: ws + 100, Type: Customers, Format: CSV}
	if _, err := im.Import(context.Background(), strings.NewReader("external_id\nc1\n")); err == nil {
		t.Error("import into a missing workspace succeeded")
	}
}

// fixtures are small files of every type with attributes, optional fields
// and awkward text, for the round-trip tests.
var fixtures = map[Type]string{
	Responses: "survey,customer,score,comment,submitted_at,language,channel,touchpoint,idempotency_key,plan,seats,vip\n" +
		"nps,c1,9,\"Great, \"\"really\"\"\nfast\",2026-01-05T10:00:00.123Z,en,email,checkout,,pro,12,true\n" +
		"csat,c2,2,很慢,2026-01-06T11:00:00Z,zh,web,,k-2,free,,false\n" +
		"nps,,0,,2026-01-07T00:00:00Z,ro,,,,,-1.5,\n",
	Events: "customer,type,occurred_at,value,currency,idempotency_key,sku\n" +
		"c1,purchase,2026-02-01T09:00:00Z,120.5,EUR,,A-1\n" +
		"c1,refund,2026-02-02T09:00:00Z,20,EUR,ref-1,\n" +
		"c2,loyalty_earn,2026-02-03T09:00:00Z,300,,,B\n",
	Tickets: "external_id,customer,agent,channel,opened_at,first_response_at,resolved_at,handle_seconds,reopened,idempotency_key,priority\n" +
		"T-1,c1,ana,email,2026-03-01T08:00:00Z,2026-03-01T08:30:00Z,2026-03-01T10:00:00Z,900.5,false,,high\n" +
		"T-2,c2,bob,chat,2026-03-02T08:00:00Z,,,,true,t-2,\n",
	Feedback: "source,text,occurred_at,rating,rating_scale,author,url,language,customer,idempotency_key\n" +
		"app_store,\"Crashes at checkout, \"\"every\"\" time\nplease fix\",2026-04-01T10:00:00.123Z,1.5,5,@ana,https://apps.example/r/1?x=1&y=2,en,c1,\n" +
		"twitter,Livrarea a întârziat.,2026-04-02T00:00:00Z,,,@ion,,ro,,fb-2\n" +
		"forum,很慢,2026-04-03T09:00:00Z,9,10,,,,c2,\n",
	Customers: "external_id,email,name,first_seen,plan,mrr\n" +
		"c1,ana@example.com,Ana Pop,2025-12-01T00:00:00Z,pro,99.5\n" +
		"c2,,李雷,2025-11-01T00:00:00Z,free,\n",
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, typ := range ImportTypes {
		for _, f := range []Format{CSV, NDJSON} {
			t.Run(fmt.Sprintf("%s/%s", typ, f), func(t *testing.T) {
				t.Parallel()
				db := storetest.New(t, store.SQLite, store.Options{})
				src := newWorkspace(t, db)
				sum, rej := load(t, Importer{DB: db, Workspace: src, Type: typ, Format: CSV}, fixtures[typ])
				if len(rej) > 0 || sum.Rejected > 0 {
					t.Fatalf("fixture rejected: %v", rej)
				}
				want := exportString(t, db, src, typ, CSV)
				if strings.Count(want, "\n") < 3 {
					t.Fatalf("export too short:\n%s", want)
				}
				file := exportString(t, db, src, typ, f)

				dst := newWorkspace(t, db)
				sum, rej = load(t, Importer{DB: db, Workspace: dst, Type: typ, Format: f}, file)
				if len(rej) > 0 || sum.Rejected > 0 {
					t.Fatalf("re-import rejected %v from:\n%s", rej, file)
				}
				if got := exportString(t, db, dst, typ, CSV); got != want {
					t.Errorf("round trip through %s changed the data:\ngot:\n%s\nwant:\n%s", f, got, want)
				}
				// And importing the export again into the first workspace adds nothing.
				again, _ := load(t, Importer{DB: db, Workspace: src, Type: typ, Format: f}, file)
				if again.Inserted != 0 {
					t.Errorf("re-import into the source inserted %d", again.Inserted)
				}
			})
		}
	}
}

func TestExportTimeRange(t *testing.T) {
	t.Parallel()
	db := storetest.New(t, store.SQLite, store.Options{})
	ws := newWorkspace(t, db)
	load(t, Importer{DB: db, Workspace: ws, Type: Customers, Format: CSV}, fixtures[Customers])
	load(t, Importer{DB: db, Workspace: ws, Type: Events, Format: CSV}, fixtures[Events])
	load(t, Importer{DB: db, Workspace: ws, Type: Feedback, Format: CSV}, fixtures[Feedback])
	tests := []struct {
		typ      Type
		from, to time.Time
		want     int
	}{
		{Events, time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC), time.Time{}, 2},
		{Events, time.Time{}, time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC), 1},
		{Feedback, time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC), time.Time{}, 2},
		{Feedback, time.Time{}, time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC), 1},
		{Feedback, time.Date(2026, 4, 1, 10, 0, 0, 124e6, time.UTC), time.Date(2026, 4, 3, 9, 0, 0, 0, time.UTC), 1},
		{Customers, time.Date(2025, 11, 15, 0, 0, 0, 0, time.UTC), time.Time{}, 1},
		{Customers, time.Time{}, time.Date(2025, 11, 15, 0, 0, 0, 0, time.UTC), 1},
	}
	for _, tt := range tests {
		e := &Exporter{DB: db, Workspace: ws, Type: tt.typ, Format: NDJSON, From: tt.from, To: tt.to}
		n, err := e.Export(context.Background(), io.Discard)
		if err != nil || n != tt.want {
			t.Errorf("export %s %v–%v = %d, %v; want %d", tt.typ, tt.from, tt.to, n, err, tt.want)
		}
	}
}

// TestImportStreams imports more rows than fit in one batch from a reader
// that generates them, checking batching and counts.
func TestImportStreams(t *testing.T) {
	t.Parallel()
	db := storetest.New(t, store.SQLite, store.Options{})
	ws := newWorkspace(t, db)
	const n = 5000
	pr, pw := io.Pipe()
	go func() {
		fmt.Fprintln(pw, "survey,customer,score,submitted_at")
		for i := range n {
			fmt.Fprintf(pw, "nps,c%d,%d,2026-01-01T00:00:%02dZ\n", i%300, i%11, i%60)
		}
		pw.Close()
	}()
	var batches int
	im := Importer{DB: db, Workspace: ws, Type: Responses, Format: CSV, BatchSize: 700, Now: func() time.Time { return now },
		OnProgress: func(Summary) { batches++ }}
	sum, err := im.Import(context.Background(), pr)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != n || sum.Inserted+sum.Duplicates != n || sum.Rejected != 0 {
		t.Errorf("summary %+v", sum)
	}
	if batches != n/700+1 {
		t.Errorf("%d batches, want %d", batches, n/700+1)
	}
}

func TestImportCancelled(t *testing.T) {
	t.Parallel()
	db := storetest.New(t, store.SQLite, store.Options{})
	ws := newWorkspace(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	im := Importer{DB: db, Workspace: ws, Type: Responses, Format: CSV, BatchSize: 1,
		OnProgress: func(Summary) { cancel() }}
	src := "survey,customer,score,submitted_at\nnps,c1,9,2026-01-05\nnps,c2,9,2026-01-05\nnps,c3,9,2026-01-05\n"
	sum, err := im.Import(ctx, strings.NewReader(src))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if sum.Inserted != 1 {
		t.Errorf("inserted %d before the cancel, want 1", sum.Inserted)
	}
}
