package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/web"
)

// userCreate creates a dashboard user with a role in a workspace, or gives
// an existing user that role there. The password comes from stdin with
// --password-stdin; otherwise one is generated and printed once.
func (a *app) userCreate(ctx context.Context, args []string) error {
	fs := a.newFlagSet("user create", "--email ADDRESS --workspace ID --role ROLE [flags]",
		"Create a dashboard user with a role in a workspace (an existing user gets the role there). Without --password-stdin a password is generated and printed on stdout, once.")
	var ws, email, role, name string
	a.workspaceVar(fs, &ws)
	fs.StringVar(&email, "email", "", "the user's email `address` (their login)")
	fs.StringVar(&role, "role", "viewer", "`role` in the workspace: "+strings.Join(store.Roles, ", "))
	fs.StringVar(&name, "name", "", "the user's display `name`")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin (at least 10 characters)")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	id, err := workspaceID(ws)
	if err != nil {
		return err
	}
	email = store.NormalizeEmail(email)
	if email == "" {
		return usageErrorf("--email is required")
	}
	if !slices.Contains(store.Roles, role) {
		return usageErrorf("--role: %q: want one of %s", role, strings.Join(store.Roles, ", "))
	}
	password, generated := "", false
	if *fromStdin {
		line, err := bufio.NewReader(io.LimitReader(a.stdin, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read password from stdin: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	} else {
		password, generated = rand.Text(), true // 26 base32 characters, 130 bits
	}
	hash, err := web.HashPassword(password)
	if err != nil {
		return usageErrorf("--password-stdin: %v", err)
	}
	db, err := a.openDB(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Workspace(ctx, id); err != nil {
		return fmt.Errorf("--workspace: %w", err)
	}
	u, err := db.CreateUser(ctx, store.User{Email: email, Name: name, PasswordHash: hash}, id, role)
	switch {
	case errors.Is(err, cx.ErrConflict):
		// An existing user: only the membership changes, never the password.
		if u, err = db.UserByEmail(ctx, email); err != nil {
			return err
		}
		if err := db.SetRole(ctx, id, u.ID, role); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "user %s exists: now %s in workspace %d; password unchanged\n", email, role, id)
		generated = false
	case errors.Is(err, cx.ErrInvalid):
		return usageErrorf("%v", err)
	case err != nil:
		return err
	default:
		fmt.Fprintf(a.stderr, "created user %d %s, %s in workspace %d\n", u.ID, email, role, id)
	}
	if _, err := db.Audit(ctx, store.AuditEntry{WorkspaceID: id, Actor: "cxlens user create", Action: "user.created", Target: email, Detail: "role " + role}); err != nil {
		return err
	}
	if generated {
		fmt.Fprintln(a.stderr, "generated password (shown once):")
		fmt.Fprintln(a.stdout, password)
	}
	return nil
}
