package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// workspaceCreate creates a workspace and prints only its id on stdout, so
// scripts can capture it: WS=$(cxlens workspace create Acme).
func (a *app) workspaceCreate(ctx context.Context, args []string) error {
	fs := a.newFlagSet("workspace create", "[flags] NAME", "Create a workspace (a tenant: all data belongs to one) and print its id on stdout.")
	var tz string
	fs.StringVar(&tz, "time-zone", "UTC", "IANA `zone` the workspace reports days, weeks and months in, e.g. Europe/Bucharest")
	rest, err := a.parse(fs, args, false)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, rest, 1); err != nil {
		return err
	}
	if _, err := time.LoadLocation(tz); err != nil || tz == "" {
		return usageErrorf("--time-zone: unknown time zone %q (an IANA name such as Europe/London)", tz)
	}
	db, err := a.openDB(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: rest[0], TimeZone: tz})
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "created workspace %d %q (time zone %s)\n", w.ID, w.Name, w.TimeZone)
	fmt.Fprintln(a.stdout, w.ID)
	return nil
}

// workspaceList prints every workspace as a table, or JSON with --json.
func (a *app) workspaceList(ctx context.Context, args []string) error {
	fs := a.newFlagSet("workspace list", "[flags]", "List every workspace.")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	db, err := a.openDB(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Workspaces(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(a.stdout, list)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tTIME ZONE\tCREATED")
	for _, w := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", w.ID, w.Name, w.TimeZone, w.CreatedAt.Format(time.RFC3339))
	}
	return tw.Flush()
}

// printJSON writes v as indented JSON.
func printJSON(w interface{ Write([]byte) (int, error) }, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// openListing parses the flags of a command that lists one kind of a
// workspace's records (--workspace and --json) and opens the workspace.
// The caller closes db.
func (a *app) openListing(ctx context.Context, name, help string, args []string) (db *store.DB, ws int64, asJSON bool, err error) {
	fs := a.newFlagSet(name, "--workspace ID [flags]", help)
	var wsFlag string
	a.workspaceVar(fs, &wsFlag)
	jsonFlag := fs.Bool("json", false, "print JSON instead of a table")
	if err := a.parseNoArgs(fs, args); err != nil {
		return nil, 0, false, err
	}
	db, ws, err = a.openWorkspace(ctx, wsFlag)
	if err != nil {
		return nil, 0, false, err
	}
	return db, ws, *jsonFlag, nil
}
