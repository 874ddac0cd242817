package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/cxlens/cxlens/internal/transfer"
)

const exportHelp = `Export a workspace's responses, customers, events or tickets as CSV or NDJSON,
in the format import reads: export, then import into another workspace,
reproduces the data. CSV columns are the field names followed by one
attributes.NAME column per attribute in use. --from and --to bound the
record's time (submitted_at, occurred_at, opened_at; first_seen for customers).`

// export writes records to --out or standard output; see exportHelp.
func (a *app) export(ctx context.Context, args []string) error {
	fs := a.newFlagSet("export", "--workspace ID --type TYPE [flags]", exportHelp)
	var ws, typ, format, from, to, out string
	a.workspaceVar(fs, &ws)
	fs.StringVar(&typ, "type", "", "record `type`: responses, customers, events or tickets")
	fs.StringVar(&format, "format", "", "file `format`: csv or ndjson (default: from --out's extension, else csv)")
	fs.StringVar(&from, "from", "", "only records at or after this `time` (RFC 3339 or 2006-01-02)")
	fs.StringVar(&to, "to", "", "only records before this `time` (RFC 3339 or 2006-01-02)")
	fs.StringVar(&out, "out", "-", "output `file`; - is standard output. A file is written whole or not at all")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	id, err := workspaceID(ws)
	if err != nil {
		return err
	}
	if typ == "" {
		return usageErrorf("--type is required (responses, customers, events or tickets)")
	}
	e := &transfer.Exporter{Workspace: id, Format: transfer.CSV}
	if e.Type, err = transfer.ParseType(typ); err != nil {
		return usageErrorf("--type: %q is not responses, customers, events or tickets", typ)
	}
	switch {
	case format != "":
		if e.Format, err = transfer.ParseFormat(format); err != nil {
			return usageErrorf("--format: %q is not csv or ndjson", format)
		}
	case out != "-":
		if e.Format, err = transfer.FormatFromPath(out); err != nil {
			return usageErrorf("--format is required: cannot tell the format of %q from its extension (.csv, .ndjson, .jsonl)", out)
		}
	}
	if e.From, err = timeFlag("from", from); err != nil {
		return err
	}
	if e.To, err = timeFlag("to", to); err != nil {
		return err
	}
	if !e.From.IsZero() && !e.To.IsZero() && !e.To.After(e.From) {
		return usageErrorf("--to must be after --from")
	}

	db, err := a.openDB(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	e.DB = db

	if out == "-" {
		n, err := e.Export(ctx, a.stdout)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "exported %d %s\n", n, e.Type)
		return nil
	}
	n, err := writeFileAtomic(out, func(w io.Writer) (int, error) { return e.Export(ctx, w) })
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "exported %d %s to %s\n", n, e.Type, out)
	return nil
}

// timeFlag parses an optional time flag.
func timeFlag(name, text string) (time.Time, error) {
	if text == "" {
		return time.Time{}, nil
	}
	t, ok := transfer.ParseTime(text)
	if !ok {
		return time.Time{}, usageErrorf("--%s: %q is not a time (RFC 3339, e.g. 2026-01-31T00:00:00Z, or 2026-01-31)", name, text)
	}
	return t, nil
}

// writeFileAtomic writes path through a temporary file in the same
// directory, renamed into place only when write succeeds.
func writeFileAtomic(path string, write func(io.Writer) (int, error)) (int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	n, err := write(tmp)
	if err != nil {
		tmp.Close()
		return n, err
	}
	if err := tmp.Close(); err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	return n, nil
}
