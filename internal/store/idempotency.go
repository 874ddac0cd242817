package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// IdempotentRequest is the stored outcome of a request sent with an
// Idempotency-Key header, replayed when the same key comes again.
type IdempotentRequest struct {
	Key         string
	Fingerprint string // hash of method, path and body: a reused key with another request is a conflict
	Status      int
	Body        []byte
	CreatedAt   time.Time
}

// IdempotentRequest returns the stored outcome for key, or cx.ErrNotFound.
func (db *DB) IdempotentRequest(ctx context.Context, ws int64, key string) (IdempotentRequest, error) {
	r := IdempotentRequest{Key: key}
	var created int64
	err := db.read.QueryRowContext(ctx, db.q("SELECT fingerprint, status, body, created_at FROM idempotency_requests WHERE workspace_id = ? AND key = ?"), ws, key).
		Scan(&r.Fingerprint, &r.Status, &r.Body, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return IdempotentRequest{}, fmt.Errorf("store: idempotency key: %w", cx.ErrNotFound)
	}
	if err != nil {
		return IdempotentRequest{}, fmt.Errorf("store: idempotency key: %w", err)
	}
	r.CreatedAt = fromMS(created)
	return r, nil
}

// SaveIdempotentRequest stores a request's outcome; the first one saved wins.
func (db *DB) SaveIdempotentRequest(ctx context.Context, ws int64, r IdempotentRequest) error {
	_, err := db.write.ExecContext(ctx, db.q(`INSERT INTO idempotency_requests (workspace_id, key, fingerprint, status, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, key) DO NOTHING`),
		ws, r.Key, r.Fingerprint, r.Status, r.Body, ms(db.now()))
	if err != nil {
		return fmt.Errorf("store: save idempotency key: %w", err)
	}
	return nil
}
