package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/transfer"
)

const importHelp = `Import a CSV or NDJSON file of responses, customers, events, tickets or feedback into a
workspace. FILE "-" reads standard input (then --format is required).

CSV files need a header row naming the columns with the API's field names:
  responses  survey, customer, score, comment, submitted_at, language, channel,
             touchpoint, idempotency_key
  events     customer, type, occurred_at, value, currency, idempotency_key
  tickets    external_id, customer, agent, channel, opened_at, first_response_at,
             resolved_at, handle_seconds, reopened, idempotency_key
  customers  external_id, email, name, first_seen
  feedback   source, text, occurred_at, rating, rating_scale, author, url,
             language, customer, idempotency_key (reviews, social posts, chats,
             tickets, call notes: source is app_store, review_site, twitter,
             social, chat, ticket, call_note or another lowercase word; rating
             needs rating_scale, e.g. 4 of 5 stars; each item is analysed for
             language, sentiment and themes as it is stored)
Other columns become attributes ("attributes.plan" or just "plan"); empty cells
set nothing; true/false become booleans and numbers in canonical form (42, -1.5)
become numbers, everything else stays text. NDJSON has one JSON object per line
with the same names and keeps JSON types. Times are RFC 3339 (or
"2006-01-02 15:04:05" / "2006-01-02", read as UTC).

Rows without an idempotency_key get one derived from their content, so
importing the same file twice adds nothing. Bad rows are reported with their
line number and field and skipped; the exit status is then 2.`

// importFile imports a file; see importHelp.
func (a *app) importFile(ctx context.Context, args []string) error {
	fs := a.newFlagSet("import", "--workspace ID --type TYPE [flags] FILE", importHelp)
	var ws, typ, format string
	var maps stringList
	a.workspaceVar(fs, &ws)
	fs.StringVar(&typ, "type", "", "record `type`: responses, customers, events, tickets or feedback")
	fs.StringVar(&format, "format", "", "file `format`: csv or ndjson (default: from the file extension)")
	fs.Var(&maps, "map", "rename a source column, `column=field` (repeatable): --map Score=score --map Plan=attributes.plan --map Notes=- drops Notes")
	dryRun := fs.Bool("dry-run", false, "validate every row and report, without writing anything")
	batch := fs.Int("batch", transfer.DefaultBatch, fmt.Sprintf("rows written per transaction, 1–%d", store.MaxBatch))
	maxErrors := fs.Int("max-errors", 100, "print at most `N` rejected rows (0: all); all are counted")
	rest, err := a.parse(fs, args, false)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, rest, 1); err != nil {
		return err
	}
	id, err := workspaceID(ws)
	if err != nil {
		return err
	}
	if typ == "" {
		return usageErrorf("--type is required (responses, customers, events, tickets or feedback)")
	}
	t, err := transfer.ParseType(typ)
	if err != nil {
		return usageErrorf("--type: %q is not responses, customers, events, tickets or feedback", typ)
	}
	path := rest[0]
	var f transfer.Format
	switch {
	case format != "":
		if f, err = transfer.ParseFormat(format); err != nil {
			return usageErrorf("--format: %q is not csv or ndjson", format)
		}
	case path == "-":
		return usageErrorf("--format is required when reading standard input")
	default:
		if f, err = transfer.FormatFromPath(path); err != nil {
			return usageErrorf("--format is required: cannot tell the format of %q from its extension (.csv, .ndjson, .jsonl)", path)
		}
	}
	if *batch < 1 || *batch > store.MaxBatch {
		return usageErrorf("--batch: %d is out of range 1–%d", *batch, store.MaxBatch)
	}
	if *maxErrors < 0 {
		return usageErrorf("--max-errors: must not be negative")
	}
	mapping, err := transfer.ParseMapping(maps)
	if err != nil {
		return usageErrorf("--map: %v", err)
	}

	var in io.Reader = a.stdin
	var size int64
	if path != "-" {
		file, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer file.Close()
		if st, err := file.Stat(); err == nil && st.Mode().IsRegular() {
			size = st.Size()
		}
		in = file
	}
	counted := &countingReader{r: in}

	db, err := a.openDB(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()

	var bar *progressBar
	if isTerminal(a.stderr) {
		bar = &progressBar{w: a.stderr, total: size, read: &counted.n}
	}
	printed := 0
	im := &transfer.Importer{
		DB: db, Workspace: id, Type: t, Format: f, Mapping: mapping, BatchSize: *batch, DryRun: *dryRun,
		OnReject: func(line int, errs []cx.FieldError) {
			if *maxErrors > 0 && printed >= *maxErrors {
				return
			}
			printed++
			bar.clear()
			msgs := make([]string, len(errs))
			for i, e := range errs {
				msgs[i] = e.Field + ": " + e.Reason
			}
			fmt.Fprintf(a.stderr, "line %d: %s\n", line, strings.Join(msgs, "; "))
		},
		OnProgress: func(s transfer.Summary) { bar.update(s, false) },
	}
	sum, err := im.Import(ctx, counted)
	bar.update(sum, true)
	bar.clear()
	if err != nil {
		return err
	}
	if sum.Rejected > printed {
		fmt.Fprintf(a.stderr, "... and %d more rejected rows (see --max-errors)\n", sum.Rejected-printed)
	}
	what := "imported"
	if sum.DryRun {
		what = "dry run, nothing written:"
	}
	fmt.Fprintf(a.stderr, "%s %s from %s: %d rows, %d valid, %d inserted, %d updated, %d duplicates, %d rejected in %s (%.0f rows/s)\n",
		what, t, path, sum.Rows, sum.Valid, sum.Inserted, sum.Updated, sum.Duplicates, sum.Rejected,
		sum.Elapsed.Round(time.Millisecond), sum.RowsPerSecond())
	if sum.Rejected > 0 {
		return fmt.Errorf("import: %d of %d rows rejected: %w", sum.Rejected, sum.Rows, cx.ErrInvalid)
	}
	return nil
}

// countingReader counts the bytes read through it, for the progress bar.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// progressBar draws one self-overwriting line on a terminal, at most five
// times a second. A nil *progressBar draws nothing.
type progressBar struct {
	w     io.Writer
	total int64 // bytes; 0 when unknown (standard input)
	read  *atomic.Int64
	last  time.Time
	shown bool
}

func (p *progressBar) update(s transfer.Summary, final bool) {
	if p == nil || (!final && time.Since(p.last) < 200*time.Millisecond) {
		return
	}
	p.last = time.Now()
	line := fmt.Sprintf("%d rows, %d rejected, %.0f rows/s", s.Rows, s.Rejected, s.RowsPerSecond())
	if p.total > 0 {
		frac := min(1, float64(p.read.Load())/float64(p.total))
		const width = 30
		done := int(frac * width)
		line = fmt.Sprintf("[%s%s] %3.0f%% %s", strings.Repeat("#", done), strings.Repeat(".", width-done), frac*100, line)
	}
	fmt.Fprintf(p.w, "\r\033[K%s", line)
	p.shown = true
}

// clear erases the bar so a message can take its line.
func (p *progressBar) clear() {
	if p == nil || !p.shown {
		return
	}
	fmt.Fprint(p.w, "\r\033[K")
	p.shown = false
}
