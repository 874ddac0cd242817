package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/cxlens/cxlens/internal/report"
	"github.com/cxlens/cxlens/internal/transfer"
	"github.com/cxlens/cxlens/internal/value"
)

const exportHelp = `Export a workspace's responses, customers, events, tickets or feedback as CSV or
NDJSON, in the format import reads: export, then import into another
workspace, reproduces the data. CSV columns are the field names followed by
one attributes.NAME column per attribute in use (feedback has none).
--from and --to bound the record's time (submitted_at, occurred_at, opened_at;
first_seen for customers; occurred_at for feedback). --type predictions writes
each customer's CLV prediction instead.`

// export writes records to --out or standard output; see exportHelp.
func (a *app) export(ctx context.Context, args []string) error {
	fs := a.newFlagSet("export", "--workspace ID --type TYPE [flags]", exportHelp)
	var ws, typ, format, from, to, out string
	a.workspaceVar(fs, &ws)
	fs.StringVar(&typ, "type", "", "record `type`: responses, customers, events, tickets, feedback or predictions")
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
		return usageErrorf("--type is required (responses, customers, events, tickets, feedback or predictions)")
	}
	if typ == "predictions" {
		return a.exportPredictions(ctx, id, format, out)
	}
	e := &transfer.Exporter{Workspace: id, Format: transfer.CSV}
	if e.Type, err = transfer.ParseType(typ); err != nil {
		return usageErrorf("--type: %q is not responses, customers, events, tickets, feedback or predictions", typ)
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

// exportPredictions writes every customer's CLV prediction (P(alive),
// expected purchases and spend, predicted and historical CLV, as of now)
// as CSV or NDJSON.
func (a *app) exportPredictions(ctx context.Context, ws int64, format, out string) error {
	if format == "" && out != "-" {
		f, err := transfer.FormatFromPath(out)
		if err != nil {
			return usageErrorf("--format is required: cannot tell the format of %q from its extension", out)
		}
		format = string(f)
	}
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "ndjson" {
		return usageErrorf("--format: %q is not csv or ndjson", format)
	}
	db, err := a.openDB(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Workspace(ctx, ws); err != nil {
		return fmt.Errorf("--workspace: %w", err)
	}
	data, err := report.Load(ctx, db, ws)
	if err != nil {
		return err
	}
	var all []value.Prediction
	for offset := 0; ; offset += value.MaxLimit {
		req, err := report.ParseValueQuery(url.Values{"limit": {strconv.Itoa(value.MaxLimit)}, "offset": {strconv.Itoa(offset)}}, time.Now())
		if err != nil {
			return err
		}
		page, err := report.Predictions(data, req)
		if err != nil {
			return err
		}
		all = append(all, page.Items...)
		if offset+len(page.Items) >= page.Total || len(page.Items) == 0 {
			break
		}
	}
	write := func(w io.Writer) (int, error) {
		if format == "ndjson" {
			enc := json.NewEncoder(w)
			for _, p := range all {
				if err := enc.Encode(p); err != nil {
					return 0, err
				}
			}
			return len(all), nil
		}
		cw := csv.NewWriter(w)
		cw.Write([]string{"customer", "modelled", "purchases", "frequency", "recency", "age", "p_alive", "expected_purchases", "expected_spend", "predicted_clv", "revenue", "historical_clv"})
		f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
		for _, p := range all {
			cw.Write([]string{p.Customer, strconv.FormatBool(p.Modelled), strconv.Itoa(p.Purchases), strconv.Itoa(p.Frequency), f(p.Recency), f(p.Age),
				f(p.PAlive), f(p.ExpectedPurchases), f(p.ExpectedSpend), f(p.PredictedCLV), f(p.Revenue), f(p.HistoricalCLV)})
		}
		cw.Flush()
		return len(all), cw.Error()
	}
	if out == "-" {
		if _, err := write(a.stdout); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "exported %d predictions\n", len(all))
		return nil
	}
	if _, err := writeFileAtomic(out, write); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "exported %d predictions to %s\n", len(all), out)
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
