package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

func TestSetupCreatesOwnerOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if n, err := db.CountUsers(ctx); err != nil || n != 0 {
			t.Fatalf("CountUsers = %d, %v; want 0", n, err)
		}
		u, ws, err := db.Setup(ctx, store.User{Email: " Ana@Example.com ", Name: "Ana", PasswordHash: "h"}, "Acme", "Europe/Bucharest")
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "ana@example.com" || ws.Name != "Acme" || ws.TimeZone != "Europe/Bucharest" {
			t.Fatalf("setup = %+v, %+v", u, ws)
		}
		ms, err := db.Memberships(ctx, u.ID)
		if err != nil || len(ms) != 1 || ms[0].Role != "owner" || ms[0].Workspace.ID != ws.ID {
			t.Fatalf("memberships = %+v, %v", ms, err)
		}
		if _, _, err := db.Setup(ctx, store.User{Email: "bob@example.com"}, "Other", ""); !errors.Is(err, cx.ErrConflict) {
			t.Fatalf("second setup: err = %v, want ErrConflict", err)
		}
		if wss, _ := db.Workspaces(ctx); len(wss) != 1 {
			t.Fatalf("workspaces = %d, want 1", len(wss))
		}
	})
}

func TestSetupUsesExistingWorkspace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w, err := db.CreateWorkspace(ctx, cx.Workspace{Name: "Existing"})
		if err != nil {
			t.Fatal(err)
		}
		_, ws, err := db.Setup(ctx, store.User{Email: "ana@example.com", PasswordHash: "h"}, "", "")
		if err != nil || ws.ID != w.ID {
			t.Fatalf("setup = %+v, %v; want workspace %d", ws, err, w.ID)
		}
	})
}

func TestUsersAndRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, _ := db.CreateWorkspace(ctx, cx.Workspace{Name: "A"})
		b, _ := db.CreateWorkspace(ctx, cx.Workspace{Name: "B"})
		owner, err := db.CreateUser(ctx, store.User{Email: "owner@example.com", PasswordHash: "h"}, a.ID, "owner")
		if err != nil {
			t.Fatal(err)
		}
		viewer, err := db.CreateUser(ctx, store.User{Email: "viewer@example.com"}, a.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateUser(ctx, store.User{Email: "VIEWER@example.com"}, 0, ""); !errors.Is(err, cx.ErrConflict) {
			t.Fatalf("duplicate email: err = %v, want ErrConflict", err)
		}
		for _, bad := range []struct{ email, role string }{{"not-an-email", "viewer"}, {"x@example.com", "boss"}} {
			if _, err := db.CreateUser(ctx, store.User{Email: bad.email}, a.ID, bad.role); !errors.Is(err, cx.ErrInvalid) {
				t.Errorf("CreateUser(%q, %q): err = %v, want ErrInvalid", bad.email, bad.role, err)
			}
		}
		if _, err := db.CreateUser(ctx, store.User{Email: "ghost@example.com"}, 999, "viewer"); !errors.Is(err, cx.ErrNotFound) {
			t.Errorf("CreateUser in a missing workspace: err = %v, want ErrNotFound", err)
		}
		// The viewer joins B as analyst; A's member list does not change.
		if err := db.SetRole(ctx, b.ID, viewer.ID, "analyst"); err != nil {
			t.Fatal(err)
		}
		ms, _ := db.Memberships(ctx, viewer.ID)
		if len(ms) != 2 || ms[0].Role != "viewer" || ms[1].Role != "analyst" {
			t.Fatalf("memberships = %+v", ms)
		}
		members, _ := db.Members(ctx, a.ID)
		if len(members) != 2 || members[0].User.Email != "owner@example.com" || members[0].User.PasswordHash != "" {
			t.Fatalf("members of A = %+v", members)
		}
		// The last owner can neither be demoted nor removed.
		if err := db.SetRole(ctx, a.ID, owner.ID, "admin"); !errors.Is(err, cx.ErrConflict) {
			t.Fatalf("demote last owner: err = %v, want ErrConflict", err)
		}
		if err := db.RemoveMember(ctx, a.ID, owner.ID); !errors.Is(err, cx.ErrConflict) {
			t.Fatalf("remove last owner: err = %v, want ErrConflict", err)
		}
		if err := db.SetRole(ctx, a.ID, viewer.ID, "owner"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetRole(ctx, a.ID, owner.ID, "admin"); err != nil {
			t.Fatalf("demote with another owner: %v", err)
		}
		if err := db.RemoveMember(ctx, b.ID, viewer.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.RemoveMember(ctx, b.ID, viewer.ID); !errors.Is(err, cx.ErrNotFound) {
			t.Fatalf("remove twice: err = %v, want ErrNotFound", err)
		}
		if err := db.SetUserLang(ctx, viewer.ID, "ro"); err != nil {
			t.Fatal(err)
		}
		if u, err := db.UserByEmail(ctx, "Viewer@Example.com"); err != nil || u.Lang != "ro" {
			t.Fatalf("UserByEmail = %+v, %v", u, err)
		}
	})
}

func TestUserInvitations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now()
		a, _ := db.CreateWorkspace(ctx, cx.Workspace{Name: "A"})
		msg := store.Message{Topic: "mail.send", Payload: json.RawMessage(`{"to":"new@example.com"}`)}
		in, err := db.CreateUserInvitation(ctx, store.UserInvitation{WorkspaceID: a.ID, Email: "New@Example.com", Role: "analyst", ExpiresAt: now.Add(time.Hour)}, "tok1", msg)
		if err != nil {
			t.Fatal(err)
		}
		if in.Email != "new@example.com" || in.ID == 0 {
			t.Fatalf("invitation = %+v", in)
		}
		// The email is in the outbox, filed under the workspace.
		got, err := db.ClaimOutbox(ctx, "test", 10, time.Minute)
		if err != nil || len(got) != 1 || got[0].Topic != "mail.send" || got[0].WorkspaceID != a.ID {
			t.Fatalf("outbox = %+v, %v", got, err)
		}
		pending, _ := db.PendingUserInvitations(ctx, a.ID)
		if len(pending) != 1 {
			t.Fatalf("pending = %+v", pending)
		}
		if _, _, err := db.AcceptUserInvitation(ctx, "tok1", "New", ""); !errors.Is(err, cx.ErrInvalid) {
			t.Fatalf("accept without a password for a new user: err = %v, want ErrInvalid", err)
		}
		u, _, err := db.AcceptUserInvitation(ctx, "tok1", "New", "hash")
		if err != nil {
			t.Fatal(err)
		}
		ms, _ := db.Memberships(ctx, u.ID)
		if len(ms) != 1 || ms[0].Role != "analyst" {
			t.Fatalf("memberships = %+v", ms)
		}
		if _, _, err := db.AcceptUserInvitation(ctx, "tok1", "New", "hash"); !errors.Is(err, cx.ErrNotFound) {
			t.Fatalf("accept twice: err = %v, want ErrNotFound", err)
		}
		// Revoked and expired invitations cannot be used.
		in2, _ := db.CreateUserInvitation(ctx, store.UserInvitation{WorkspaceID: a.ID, Email: "x@example.com", Role: "viewer", ExpiresAt: now.Add(time.Hour)}, "tok2", msg)
		if err := db.RevokeUserInvitation(ctx, a.ID, in2.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserInvitationByToken(ctx, "tok2"); !errors.Is(err, cx.ErrNotFound) {
			t.Fatalf("revoked: err = %v", err)
		}
		db.CreateUserInvitation(ctx, store.UserInvitation{WorkspaceID: a.ID, Email: "y@example.com", Role: "viewer", ExpiresAt: now.Add(-time.Second)}, "tok3", msg)
		if _, err := db.UserInvitationByToken(ctx, "tok3"); !errors.Is(err, cx.ErrNotFound) {
			t.Fatalf("expired: err = %v", err)
		}
		if err := db.RevokeUserInvitation(ctx, a.ID+1, in2.ID); !errors.Is(err, cx.ErrNotFound) {
			t.Fatalf("revoke in another workspace: err = %v", err)
		}
	})
}

func TestPasswordReset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now()
		a, _ := db.CreateWorkspace(ctx, cx.Workspace{Name: "A"})
		u, _ := db.CreateUser(ctx, store.User{Email: "ana@example.com", PasswordHash: "old"}, a.ID, "viewer")
		if err := db.CreateSession(ctx, store.Session{TokenHash: "s1", UserID: u.ID, CSRF: "c", CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		msg := store.Message{Topic: "mail.send", Payload: json.RawMessage(`{}`)}
		if err := db.CreatePasswordReset(ctx, a.ID, u.ID, "r1", now.Add(time.Hour), msg); err != nil {
			t.Fatal(err)
		}
		if err := db.CreatePasswordReset(ctx, a.ID, u.ID, "r2", now.Add(time.Hour), msg); err != nil {
			t.Fatal(err)
		}
		// A newer token retires the older one.
		if _, err := db.UsePasswordReset(ctx, "r1", "new"); !errors.Is(err, cx.ErrNotFound) {
			t.Fatalf("older token: err = %v, want ErrNotFound", err)
		}
		if got, err := db.PasswordResetUser(ctx, "r2"); err != nil || got.ID != u.ID {
			t.Fatalf("PasswordResetUser = %+v, %v", got, err)
		}
		got, err := db.UsePasswordReset(ctx, "r2", "new")
		if err != nil || got.PasswordHash != "new" {
			t.Fatalf("UsePasswordReset = %+v, %v", got, err)
		}
		if _, err := db.UsePasswordReset(ctx, "r2", "again"); !errors.Is(err, cx.ErrNotFound) {
			t.Fatalf("second use: err = %v, want ErrNotFound", err)
		}
		if _, err := db.Session(ctx, "s1"); !errors.Is(err, cx.ErrNotFound) {
			t.Fatalf("sessions survive a password reset: %v", err)
		}
		db.CreatePasswordReset(ctx, a.ID, u.ID, "r3", now.Add(-time.Second), msg)
		if _, err := db.UsePasswordReset(ctx, "r3", "x"); !errors.Is(err, cx.ErrNotFound) {
			t.Fatalf("expired token: err = %v, want ErrNotFound", err)
		}
	})
}
