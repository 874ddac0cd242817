package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cxlens/cxlens/internal/cx"
)

// CreateWorkspace creates a workspace.
func (db *DB) CreateWorkspace(ctx context.Context, w cx.Workspace) (cx.Workspace, error) {
	if err := w.Validate(); err != nil {
		return cx.Workspace{}, fmt.Errorf("store: create workspace: %w", err)
	}
	w.CreatedAt = db.now().Truncate(1e6)
	err := db.write.QueryRowContext(ctx, db.q("INSERT INTO workspaces (name, time_zone, created_at) VALUES (?, ?, ?) RETURNING id"),
		w.Name, w.TimeZone, ms(w.CreatedAt)).Scan(&w.ID)
	if err != nil {
		return cx.Workspace{}, fmt.Errorf("store: create workspace: %w", err)
	}
	return w, nil
}

// Workspaces lists every workspace, oldest first.
func (db *DB) Workspaces(ctx context.Context) ([]cx.Workspace, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT id, name, time_zone, created_at FROM workspaces ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("store: list workspaces: %w", err)
	}
	defer rows.Close()
	out := []cx.Workspace{}
	for rows.Next() {
		var w cx.Workspace
		var created int64
		if err := rows.Scan(&w.ID, &w.Name, &w.TimeZone, &created); err != nil {
			return nil, fmt.Errorf("store: list workspaces: %w", err)
		}
		w.CreatedAt = fromMS(created)
		out = append(out, w)
	}
	return out, rows.Err()
}

// Workspace returns one workspace, or cx.ErrNotFound.
func (db *DB) Workspace(ctx context.Context, id int64) (cx.Workspace, error) {
	w := cx.Workspace{ID: id}
	var created int64
	err := db.read.QueryRowContext(ctx, db.q("SELECT name, time_zone, created_at FROM workspaces WHERE id = ?"), id).
		Scan(&w.Name, &w.TimeZone, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return cx.Workspace{}, fmt.Errorf("store: workspace %d: %w", id, cx.ErrNotFound)
	}
	if err != nil {
		return cx.Workspace{}, fmt.Errorf("store: workspace %d: %w", id, err)
	}
	w.CreatedAt = fromMS(created)
	return w, nil
}
