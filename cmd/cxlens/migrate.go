package main

import (
	"context"
	"fmt"
)

// migrate applies the database migrations not yet applied.
func (a *app) migrate(ctx context.Context, args []string) error {
	fs := a.newFlagSet("migrate", "[flags]", "Apply the database migrations not yet applied (serve does this itself unless --no-migrate).")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	db, err := a.openDB(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	for _, m := range applied {
		fmt.Fprintln(a.stderr, "applied", m)
	}
	if len(applied) == 0 {
		fmt.Fprintln(a.stderr, "database is up to date")
	}
	return nil
}
