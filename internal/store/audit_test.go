package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/store/storetest"
)

func TestAuditLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, _ := db.CreateWorkspace(ctx, cx.Workspace{Name: "A"})
		b, _ := db.CreateWorkspace(ctx, cx.Workspace{Name: "B"})
		for i := range 5 {
			if _, err := db.Audit(ctx, store.AuditEntry{WorkspaceID: a.ID, Actor: "ana@example.com", Action: "apikey.created", Target: fmt.Sprint("key ", i)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Audit(ctx, store.AuditEntry{WorkspaceID: b.ID, Action: "customer.erased", Target: "c1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Audit(ctx, store.AuditEntry{WorkspaceID: a.ID}); err == nil {
			t.Fatal("an entry without an action was stored")
		}
		page1, err := db.AuditLog(ctx, a.ID, 0, 3)
		if err != nil || len(page1) != 3 || page1[0].Target != "key 4" || page1[2].Target != "key 2" {
			t.Fatalf("page 1 = %+v, %v", page1, err)
		}
		page2, _ := db.AuditLog(ctx, a.ID, page1[2].ID, 3)
		if len(page2) != 2 || page2[1].Target != "key 0" {
			t.Fatalf("page 2 = %+v", page2)
		}
		other, _ := db.AuditLog(ctx, b.ID, 0, 100)
		if len(other) != 1 || other[0].Action != "customer.erased" {
			t.Fatalf("workspace B = %+v", other)
		}
	})
}
