package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/cxlens/cxlens/internal/cx"
)

// CreateAPIKey creates a key for workspace ws and returns it in clear, the
// only time it is available; the database keeps its SHA-256.
func (db *DB) CreateAPIKey(ctx context.Context, ws int64, name string, scopes []string) (string, cx.APIKey, error) {
	scopes, err := cx.ValidateScopes(scopes)
	if err != nil {
		return "", cx.APIKey{}, fmt.Errorf("store: create api key: %w", err)
	}
	if _, err := db.Workspace(ctx, ws); err != nil {
		return "", cx.APIKey{}, fmt.Errorf("store: create api key: %w", err)
	}
	key, prefix, hash := cx.NewAPIKey()
	k := cx.APIKey{WorkspaceID: ws, Name: strings.TrimSpace(name), Prefix: prefix, Scopes: scopes, Hash: hash, CreatedAt: db.now().Truncate(1e6)}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		ids, err := db.allocIDs(ctx, tx, "api_keys", ws, 1)
		if err != nil {
			return err
		}
		k.ID = ids[0]
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO api_keys (workspace_id, id, name, prefix, hash, scopes, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`), ws, k.ID, k.Name, k.Prefix, k.Hash, strings.Join(k.Scopes, ","), ms(k.CreatedAt))
		return err
	})
	if err != nil {
		return "", cx.APIKey{}, fmt.Errorf("store: create api key: %w", err)
	}
	return key, k, nil
}

const apiKeyColumns = "workspace_id, id, name, prefix, hash, scopes, created_at, last_used_at, revoked_at"

func scanAPIKey(row interface{ Scan(...any) error }) (cx.APIKey, error) {
	var k cx.APIKey
	var scopes string
	var created int64
	var used, revoked sql.NullInt64
	if err := row.Scan(&k.WorkspaceID, &k.ID, &k.Name, &k.Prefix, &k.Hash, &scopes, &created, &used, &revoked); err != nil {
		return k, err
	}
	k.Scopes = strings.Split(scopes, ",")
	k.CreatedAt = fromMS(created)
	k.LastUsedAt = fromNullMS(used)
	k.RevokedAt = fromNullMS(revoked)
	return k, nil
}

// APIKeys lists a workspace's keys (without their secrets), revoked ones too.
func (db *DB) APIKeys(ctx context.Context, ws int64) ([]cx.APIKey, error) {
	rows, err := db.read.QueryContext(ctx, db.q("SELECT "+apiKeyColumns+" FROM api_keys WHERE workspace_id = ? ORDER BY id"), ws)
	if err != nil {
		return nil, fmt.Errorf("store: list api keys: %w", err)
	}
	defer rows.Close()
	out := []cx.APIKey{}
	for rows.Next() {
		k, err := scanAPIKey(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list api keys: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeAPIKey revokes key id of workspace ws; revoking twice is fine.
func (db *DB) RevokeAPIKey(ctx context.Context, ws, id int64) error {
	res, err := db.write.ExecContext(ctx, db.q("UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE workspace_id = ? AND id = ?"),
		ms(db.now()), ws, id)
	if err != nil {
		return fmt.Errorf("store: revoke api key: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: revoke api key %d: %w", id, cx.ErrNotFound)
	}
	return nil
}

// AuthenticateAPIKey returns the live key matching key, or cx.ErrUnauthorized.
func (db *DB) AuthenticateAPIKey(ctx context.Context, key string) (cx.APIKey, error) {
	if !strings.HasPrefix(key, "cxl_") || len(key) > 100 {
		return cx.APIKey{}, cx.ErrUnauthorized
	}
	k, err := scanAPIKey(db.read.QueryRowContext(ctx, db.q("SELECT "+apiKeyColumns+" FROM api_keys WHERE hash = ?"), cx.HashAPIKey(key)))
	if errors.Is(err, sql.ErrNoRows) {
		return cx.APIKey{}, cx.ErrUnauthorized
	}
	if err != nil {
		return cx.APIKey{}, fmt.Errorf("store: authenticate: %w", err)
	}
	if k.RevokedAt != nil {
		return cx.APIKey{}, cx.ErrUnauthorized
	}
	return k, nil
}
