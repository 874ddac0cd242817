package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// AuditEntry is one admin action in a workspace's audit log.
type AuditEntry struct {
	WorkspaceID int64
	ID          int64
	UserID      int64  // who did it; 0 for the command line
	Actor       string // their email at the time
	Action      string // e.g. user.invited, role.changed, apikey.created
	Target      string // what it was done to, e.g. an email or "key 3"
	Detail      string
	IP          string
	CreatedAt   time.Time
}

// Audit appends an entry to workspace e.WorkspaceID's audit log.
func (db *DB) Audit(ctx context.Context, e AuditEntry) (AuditEntry, error) {
	if strings.TrimSpace(e.Action) == "" {
		return AuditEntry{}, fmt.Errorf("store: audit: action is required")
	}
	e.CreatedAt = db.now().Truncate(time.Millisecond)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		ids, err := db.allocIDs(ctx, tx, "audit_log", e.WorkspaceID, 1)
		if err != nil {
			return err
		}
		e.ID = ids[0]
		var user any
		if e.UserID != 0 {
			user = e.UserID
		}
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO audit_log (workspace_id, id, user_id, actor, action, target, detail, ip, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), e.WorkspaceID, e.ID, user, e.Actor, e.Action, e.Target, e.Detail, e.IP, ms(e.CreatedAt))
		return err
	})
	if err != nil {
		return AuditEntry{}, fmt.Errorf("store: audit: %w", err)
	}
	return e, nil
}

// AuditLog returns workspace ws's audit entries, newest first, at most
// limit (1..1000) of them with id below before (0: from the newest).
func (db *DB) AuditLog(ctx context.Context, ws int64, before int64, limit int) ([]AuditEntry, error) {
	limit = min(max(limit, 1), 1000)
	q := "SELECT workspace_id, id, user_id, actor, action, target, detail, ip, created_at FROM audit_log WHERE workspace_id = ?"
	args := []any{ws}
	if before > 0 {
		q += " AND id < ?"
		args = append(args, before)
	}
	// Ids come from a shared sequence on PostgreSQL and max+1 on SQLite:
	// both grow with time within a workspace.
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, limit)
	rows, err := db.read.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		var user sql.NullInt64
		var created int64
		if err := rows.Scan(&e.WorkspaceID, &e.ID, &user, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.IP, &created); err != nil {
			return nil, fmt.Errorf("store: audit log: %w", err)
		}
		e.UserID, e.CreatedAt = user.Int64, fromMS(created)
		out = append(out, e)
	}
	return out, rows.Err()
}
