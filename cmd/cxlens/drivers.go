package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/report"
	"github.com/cxlens/cxlens/internal/store"
)

// drivers prints a key-driver analysis of a survey; see report.DriversDefinition.
func (a *app) drivers(ctx context.Context, args []string) error {
	fs := a.newFlagSet("drivers", "--workspace ID --survey KEY [flags]", report.DriversDefinition+
		"\n\nDriver ratings are response attributes named rating_* (the answers to a survey's extra\nrating questions), or the attributes named with --drivers.")
	var ws, survey, names, from, to, format string
	a.workspaceVar(fs, &ws)
	fs.StringVar(&survey, "survey", "", "survey `key` whose score to explain")
	fs.StringVar(&names, "drivers", "", "comma-separated rating `attributes` (default: every rating_* attribute)")
	fs.StringVar(&from, "from", "", "only responses at or after this `time`")
	fs.StringVar(&to, "to", "", "only responses before this `time`")
	fs.StringVar(&format, "format", "table", "output `format`: table or json")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	if _, err := workspaceID(ws); err != nil {
		return err
	}
	if survey == "" {
		return usageErrorf("--survey is required")
	}
	if format != "table" && format != "json" {
		return usageErrorf("--format: %q is not table or json", format)
	}
	req := report.DriversRequest{Survey: survey}
	if names != "" {
		req.Drivers = strings.Split(names, ",")
	}
	var err error
	if req.From, err = timeFlag("from", from); err != nil {
		return err
	}
	if req.To, err = timeFlag("to", to); err != nil {
		return err
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Survey(ctx, id, survey); err != nil {
		return fmt.Errorf("--survey: %w", err)
	}
	rs, err := store.All(func(cur string) (store.Page[cx.Response], error) {
		return db.Responses(ctx, id, store.ResponseFilter{Survey: survey, ListFilter: store.ListFilter{From: req.From, To: req.To, Cursor: cur, Limit: store.MaxLimit}})
	})
	if err != nil {
		return err
	}
	rep, err := report.Drivers(rs, req)
	if err != nil {
		return err
	}
	if format == "json" {
		return printJSON(a.stdout, rep)
	}
	fmt.Fprintf(a.stdout, "key drivers of %s: R² %.3f over %d complete responses (%d left out)\n\n", survey, rep.RSquared, rep.N, rep.Incomplete)
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DRIVER\tIMPORTANCE\tMEAN RATING\tTOP BOX\tN\tQUADRANT")
	for _, d := range rep.Ranked {
		top := "–"
		if d.TopBoxShare != nil {
			top = fmt.Sprintf("%.0f%%", 100**d.TopBoxShare)
		}
		fmt.Fprintf(tw, "%s\t%.1f%%\t%.2f\t%s\t%d\t%s\n", d.Name, d.RescaledWeight, d.Mean, top, d.N, d.Quadrant)
	}
	for _, d := range rep.Dropped {
		fmt.Fprintf(tw, "%s\tdropped: %s\t\t\t\t\n", d.Name, d.Reason)
	}
	return tw.Flush()
}
