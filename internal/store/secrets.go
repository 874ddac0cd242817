package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// Secret returns the server secret called name (e.g. "invitation-token"):
// 32 random bytes created on first use and shared by every instance on the
// database. Concurrent first calls agree: the insert keeps whichever row
// lands first and everyone reads that one back.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	if name == "" {
		return nil, fmt.Errorf("store: secret: %w", errEmptySecretName)
	}
	if b, err := db.readSecret(ctx, name); err == nil {
		return b, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("store: secret %q: %w", name, err)
	}
	_, err := db.write.ExecContext(ctx, db.q("INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING"),
		name, hex.EncodeToString(fresh), ms(db.now()))
	if err != nil {
		return nil, fmt.Errorf("store: secret %q: %w", name, err)
	}
	// Read from the writer: on SQLite a reader may not see the row yet.
	var v string
	if err := db.write.QueryRowContext(ctx, db.q("SELECT value FROM server_secrets WHERE name = ?"), name).Scan(&v); err != nil {
		return nil, fmt.Errorf("store: secret %q: %w", name, err)
	}
	b, err := hex.DecodeString(v)
	if err != nil || len(b) < 16 {
		return nil, fmt.Errorf("store: secret %q: stored value is not a hex key", name)
	}
	return b, nil
}

func (db *DB) readSecret(ctx context.Context, name string) ([]byte, error) {
	var v string
	if err := db.read.QueryRowContext(ctx, db.q("SELECT value FROM server_secrets WHERE name = ?"), name).Scan(&v); err != nil {
		return nil, err
	}
	b, err := hex.DecodeString(v)
	if err != nil || len(b) < 16 {
		return nil, fmt.Errorf("store: secret %q: stored value is not a hex key", name)
	}
	return b, nil
}

var errEmptySecretName = fmt.Errorf("a secret name is required")
