package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.UnixMilli(time.Now().UnixMilli()).UTC()
		a, _ := db.CreateWorkspace(ctx, cx.Workspace{Name: "A"})
		u, _ := db.CreateUser(ctx, store.User{Email: "ana@example.com"}, a.ID, "viewer")
		s := store.Session{TokenHash: "h1", UserID: u.ID, CSRF: "c1", CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(time.Hour), IP: "10.0.0.1", UserAgent: "test"}
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		got, err := db.Session(ctx, "h1")
		if err != nil || got != s {
			t.Fatalf("Session = %+v, %v; want %+v", got, err, s)
		}
		if err := db.SetSessionWorkspace(ctx, "h1", a.ID); err != nil {
			t.Fatal(err)
		}
		later := now.Add(time.Minute)
		if err := db.TouchSession(ctx, "h1", later); err != nil {
			t.Fatal(err)
		}
		got, _ = db.Session(ctx, "h1")
		if got.WorkspaceID != a.ID || !got.SeenAt.Equal(later) {
			t.Fatalf("after touch = %+v", got)
		}
		// Removing the member forgets the session's workspace.
		db.CreateUser(ctx, store.User{Email: "owner@example.com"}, a.ID, "owner")
		if err := db.RemoveMember(ctx, a.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ = db.Session(ctx, "h1"); got.WorkspaceID != 0 {
			t.Fatalf("workspace after removal = %d", got.WorkspaceID)
		}
		// Purge: h2 is idle, h3 past its absolute expiry, h1 live.
		db.CreateSession(ctx, store.Session{TokenHash: "h2", UserID: u.ID, CSRF: "c", CreatedAt: now, SeenAt: now.Add(-48 * time.Hour), ExpiresAt: now.Add(time.Hour)})
		db.CreateSession(ctx, store.Session{TokenHash: "h3", UserID: u.ID, CSRF: "c", CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(-time.Second)})
		n, err := db.PurgeSessions(ctx, now, now.Add(-24*time.Hour))
		if err != nil || n != 2 {
			t.Fatalf("PurgeSessions = %d, %v; want 2", n, err)
		}
		if err := db.DeleteSession(ctx, "h1"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Session(ctx, "h1"); !errors.Is(err, cx.ErrNotFound) {
			t.Fatalf("after delete: err = %v", err)
		}
		db.CreateSession(ctx, store.Session{TokenHash: "h4", UserID: u.ID, CSRF: "c", CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(time.Hour)})
		if err := db.DeleteUserSessions(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Session(ctx, "h4"); !errors.Is(err, cx.ErrNotFound) {
			t.Fatalf("after DeleteUserSessions: err = %v", err)
		}
	})
}
