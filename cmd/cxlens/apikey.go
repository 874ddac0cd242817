package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// apikeyCreate creates an API key and prints only the key on stdout; it is
// shown once and stored only as a hash.
func (a *app) apikeyCreate(ctx context.Context, args []string) error {
	fs := a.newFlagSet("apikey create", "--workspace ID [flags]", "Create an API key for a workspace and print it on stdout. The key is shown only once.")
	var ws, name, scopes string
	a.workspaceVar(fs, &ws)
	fs.StringVar(&name, "name", "cli", "a `name` saying who or what uses the key")
	fs.StringVar(&scopes, "scopes", "read,write", "comma-separated `scopes`: read, write (write implies read)")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	id, err := workspaceID(ws)
	if err != nil {
		return err
	}
	list, err := cx.ValidateScopes(strings.Split(scopes, ","))
	if err != nil {
		return usageErrorf("--scopes: %q: want read, write or read,write", scopes)
	}
	if strings.TrimSpace(name) == "" {
		return usageErrorf("--name must not be empty")
	}
	db, err := a.openDB(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Workspace(ctx, id); err != nil {
		return fmt.Errorf("--workspace: %w", err)
	}
	key, k, err := db.CreateAPIKey(ctx, id, name, list)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "created API key %d %q (scopes %s) for workspace %d; store it now, it is not shown again\n",
		k.ID, k.Name, strings.Join(k.Scopes, ","), id)
	fmt.Fprintln(a.stdout, key)
	return nil
}

// apikeyList prints a workspace's keys (never the keys themselves).
func (a *app) apikeyList(ctx context.Context, args []string) error {
	db, id, asJSON, err := a.openListing(ctx, "apikey list", "List a workspace's API keys: id, name, prefix, scopes, and when they were last used or revoked.", args)
	if err != nil {
		return err
	}
	defer db.Close()
	keys, err := db.APIKeys(ctx, id)
	if err != nil {
		return err
	}
	if asJSON {
		return printJSON(a.stdout, keys)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tPREFIX\tSCOPES\tCREATED\tLAST USED\tREVOKED")
	for _, k := range keys {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Prefix, strings.Join(k.Scopes, ","),
			k.CreatedAt.Format(time.RFC3339), timeOrDash(k.LastUsedAt), timeOrDash(k.RevokedAt))
	}
	return tw.Flush()
}

func timeOrDash(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.RFC3339)
}

// apikeyRevoke revokes a key by id.
func (a *app) apikeyRevoke(ctx context.Context, args []string) error {
	fs := a.newFlagSet("apikey revoke", "--workspace ID KEYID", "Revoke an API key (see cxlens apikey list for ids); requests using it then get 401.")
	var ws string
	a.workspaceVar(fs, &ws)
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
	keyID, err := strconv.ParseInt(rest[0], 10, 64)
	if err != nil || keyID <= 0 {
		return usageErrorf("KEYID: %q is not a key id (see cxlens apikey list)", rest[0])
	}
	db, err := a.openDB(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.RevokeAPIKey(ctx, id, keyID); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "revoked API key %d of workspace %d\n", keyID, id)
	return nil
}
