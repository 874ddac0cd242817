package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/cxlens/cxlens/internal/store"
)

// suppressAdd adds addresses to the suppression list.
func (a *app) suppressAdd(ctx context.Context, args []string) error {
	fs := a.newFlagSet("suppress add", "--workspace ID [flags] EMAIL...", "Add addresses to the suppression list: no invitation, reminder or trigger mails them again.")
	var ws, reason string
	a.workspaceVar(fs, &ws)
	fs.StringVar(&reason, "reason", store.SuppressManual, "`reason`: manual, unsubscribe, bounce or complaint")
	rest, err := a.parse(fs, args, false)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return usageErrorf("EMAIL: at least one address is required")
	}
	list := make([]store.Suppression, len(rest))
	for i, e := range rest {
		list[i] = store.Suppression{Email: e, Reason: reason}
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	out, err := db.AddSuppressions(ctx, id, list)
	if err != nil {
		return err
	}
	for _, s := range out {
		fmt.Fprintf(a.stdout, "suppressed %s (%s)\n", s.Email, s.Reason)
	}
	return nil
}

// suppressList prints the suppression list.
func (a *app) suppressList(ctx context.Context, args []string) error {
	db, id, asJSON, err := a.openListing(ctx, "suppress list", "List the suppression list by address.", args)
	if err != nil {
		return err
	}
	defer db.Close()
	all, err := store.All(func(cursor string) (store.Page[store.Suppression], error) {
		return db.Suppressions(ctx, id, cursor, store.MaxLimit)
	})
	if err != nil {
		return err
	}
	if asJSON {
		return printJSON(a.stdout, all)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tREASON\tSINCE")
	for _, s := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Email, s.Reason, s.CreatedAt.Format(time.RFC3339))
	}
	return tw.Flush()
}

// suppressRemove takes an address off the suppression list.
func (a *app) suppressRemove(ctx context.Context, args []string) error {
	fs := a.newFlagSet("suppress remove", "--workspace ID EMAIL", "Remove an address from the suppression list, so it may be mailed again.")
	var ws string
	a.workspaceVar(fs, &ws)
	rest, err := a.parse(fs, args, false)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, rest, 1); err != nil {
		return err
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.DeleteSuppression(ctx, id, rest[0]); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "removed %s\n", rest[0])
	return nil
}
