package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/demo"
)

// demo creates a workspace filled with generated, realistic data, and an
// API key for it. It prints the workspace id on stdout and the key, with a
// message, on stderr.
func (a *app) demo(ctx context.Context, args []string) error {
	fs := a.newFlagSet("demo", "[flags]", "Create a workspace filled with generated customers, purchases, tickets and survey\n"+
		"responses, and an API key for it. Prints the workspace id on stdout; the key and a\nsummary of the data go to stderr.")
	seed := fs.Int64("seed", demo.DefaultSeed, "random `seed`; the same seed gives the same data")
	customers := fs.Int("customers", demo.DefaultCustomers, fmt.Sprintf("how many customers to generate, 1–%d", demo.MaxCustomers))
	months := fs.Int("months", demo.DefaultMonths, fmt.Sprintf("how many months of history, 1–%d", demo.MaxMonths))
	name := fs.String("name", demo.DefaultWorkspaceName, "workspace `name`")
	ifMissing := fs.Bool("if-missing", false, "do nothing (and succeed) when a workspace with this name already exists")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	if *customers < 1 || *customers > demo.MaxCustomers {
		return usageErrorf("--customers: %d is out of range 1–%d", *customers, demo.MaxCustomers)
	}
	if *months < 1 || *months > demo.MaxMonths {
		return usageErrorf("--months: %d is out of range 1–%d", *months, demo.MaxMonths)
	}
	if strings.TrimSpace(*name) == "" {
		return usageErrorf("--name must not be empty")
	}
	db, err := a.openDB(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	if *ifMissing {
		list, err := db.Workspaces(ctx)
		if err != nil {
			return err
		}
		for _, w := range list {
			if w.Name == *name {
				fmt.Fprintf(a.stderr, "workspace %q already exists (id %d); nothing to do\n", w.Name, w.ID)
				return nil
			}
		}
	}
	fmt.Fprintf(a.stderr, "generating %d customers over %d months (seed %d)...\n", *customers, *months, *seed)
	start := time.Now()
	ws, sum, err := demo.Create(ctx, db, demo.Options{Seed: *seed, Customers: *customers, Months: *months, Now: time.Now(), WorkspaceName: *name})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	key, _, err := db.CreateAPIKey(ctx, ws.ID, "demo", []string{cx.ScopeRead, cx.ScopeWrite})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := printJSON(a.stderr, sum); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "created demo workspace %d %q in %s\nAPI key (read, write; shown only once):\n  %s\n",
		ws.ID, ws.Name, time.Since(start).Round(time.Millisecond), key)
	fmt.Fprintln(a.stdout, ws.ID)
	return nil
}
