package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/cxlens/cxlens/internal/store"
)

// caseList prints a workspace's cases, a page at a time.
func (a *app) caseList(ctx context.Context, args []string) error {
	fs := a.newFlagSet("case list", "--workspace ID [flags]", "List a workspace's cases, oldest first. The next page's cursor is printed on stderr.")
	var ws, status, owner, cursor string
	a.workspaceVar(fs, &ws)
	fs.StringVar(&status, "status", "", "only cases with this `status`: open, in_progress, waiting or closed")
	fs.StringVar(&owner, "owner", "", "only cases of this `owner`")
	overdue := fs.Bool("overdue", false, "only cases not closed whose due date has passed")
	fs.StringVar(&cursor, "cursor", "", "`cursor` of the page to show (from the previous page)")
	limit := fs.Int("limit", 50, "cases per page, 1–1000")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	switch status {
	case "", store.CaseOpen, store.CaseInProgress, store.CaseWaiting, store.CaseClosed:
	default:
		return usageErrorf("--status: must be open, in_progress, waiting or closed")
	}
	if *limit < 1 || *limit > store.MaxLimit {
		return usageErrorf("--limit: must be 1–%d", store.MaxLimit)
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	page, err := db.Cases(ctx, id, store.CaseFilter{Status: status, Owner: owner, Overdue: *overdue, Cursor: cursor, Limit: *limit})
	if err != nil {
		return err
	}
	if page.NextCursor != "" {
		fmt.Fprintf(a.stderr, "more: --cursor %s\n", page.NextCursor)
	}
	if *asJSON {
		return printJSON(a.stdout, page.Items)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tOWNER\tCUSTOMER\tDUE\tTITLE")
	for _, k := range page.Items {
		due := ""
		if k.DueAt != nil {
			due = k.DueAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Status, k.Owner, k.Customer, due, k.Title)
	}
	return tw.Flush()
}

// caseShow prints a case with its notes as JSON.
func (a *app) caseShow(ctx context.Context, args []string) error {
	fs := a.newFlagSet("case show", "--workspace ID CASE_ID", "Show a case with its notes, as JSON.")
	var ws string
	a.workspaceVar(fs, &ws)
	rest, err := a.parse(fs, args, false)
	if err != nil {
		return err
	}
	caseID, err := oneID(rest, "CASE_ID")
	if err != nil {
		return err
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	k, err := db.Case(ctx, id, caseID)
	if err != nil {
		return err
	}
	return printJSON(a.stdout, k)
}

// caseUpdate changes a case and/or adds a note.
func (a *app) caseUpdate(ctx context.Context, args []string) error {
	fs := a.newFlagSet("case update", "--workspace ID CASE_ID [flags]",
		"Change a case's status, owner or resolution code, and/or add a note. Closing a detractor's case with\n--resurvey invites the customer to answer the survey again, to measure recovery.")
	var ws, status, owner, resolution, note, author string
	a.workspaceVar(fs, &ws)
	fs.StringVar(&status, "status", "", "new `status`: open, in_progress, waiting or closed")
	fs.StringVar(&owner, "owner", "", "new `owner` (an agent's name or email)")
	fs.StringVar(&resolution, "resolution", "", "resolution `code`")
	fs.StringVar(&note, "note", "", "add a note with this `text`")
	fs.StringVar(&author, "author", "", "the note's `author`")
	resurvey := fs.Bool("resurvey", false, "with --status closed: invite the customer to answer the survey again")
	rest, err := a.parse(fs, args, false)
	if err != nil {
		return err
	}
	caseID, err := oneID(rest, "CASE_ID")
	if err != nil {
		return err
	}
	var p store.CasePatch
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	set := func(v string, name string) *string {
		if given[name] {
			return &v
		}
		return nil
	}
	p.Status, p.Owner, p.ResolutionCode, p.Resurvey = set(status, "status"), set(owner, "owner"), set(resolution, "resolution"), *resurvey
	switch status {
	case "", store.CaseOpen, store.CaseInProgress, store.CaseWaiting, store.CaseClosed:
	default:
		return usageErrorf("--status: must be open, in_progress, waiting or closed")
	}
	if *resurvey && status != store.CaseClosed {
		return usageErrorf("--resurvey needs --status closed")
	}
	if p.Status == nil && p.Owner == nil && p.ResolutionCode == nil && note == "" {
		return usageErrorf("nothing to change: give --status, --owner, --resolution or --note")
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	if note != "" {
		if _, err := db.AddCaseNote(ctx, id, caseID, store.CaseNote{Author: author, Body: note}); err != nil {
			return err
		}
	}
	var k store.Case
	if p.Status != nil || p.Owner != nil || p.ResolutionCode != nil {
		if k, err = db.UpdateCase(ctx, id, caseID, p); err != nil {
			return err
		}
	} else if k, err = db.Case(ctx, id, caseID); err != nil {
		return err
	}
	if k.ResurveyInvitation != 0 {
		fmt.Fprintf(a.stderr, "re-survey invitation %d created\n", k.ResurveyInvitation)
	}
	return printJSON(a.stdout, k)
}
