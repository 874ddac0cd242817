package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// Session is a dashboard login. The cookie holds a random token; the
// database keeps only its SHA-256 (TokenHash), so a leaked database does
// not leak live sessions.
type Session struct {
	TokenHash   string
	UserID      int64
	WorkspaceID int64  // the workspace chosen in the switcher, 0 for none
	CSRF        string // synchronizer token of the session's forms
	CreatedAt   time.Time
	SeenAt      time.Time // idle expiry counts from here
	ExpiresAt   time.Time // absolute expiry
	IP          string
	UserAgent   string
}

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, s Session) error {
	var ws any
	if s.WorkspaceID != 0 {
		ws = s.WorkspaceID
	}
	_, err := db.write.ExecContext(ctx, db.q(`INSERT INTO sessions (token_hash, user_id, workspace_id, csrf, created_at, seen_at, expires_at, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), s.TokenHash, s.UserID, ws, s.CSRF, ms(s.CreatedAt), ms(s.SeenAt), ms(s.ExpiresAt), s.IP, s.UserAgent)
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// Session returns the session with tokenHash, or cx.ErrNotFound. It does
// not check expiry; the caller does (idle and absolute limits are its policy).
func (db *DB) Session(ctx context.Context, tokenHash string) (Session, error) {
	var s Session
	var ws sql.NullInt64
	var created, seen, expires int64
	err := db.read.QueryRowContext(ctx, db.q(`SELECT token_hash, user_id, workspace_id, csrf, created_at, seen_at, expires_at, ip, user_agent
		FROM sessions WHERE token_hash = ?`), tokenHash).Scan(&s.TokenHash, &s.UserID, &ws, &s.CSRF, &created, &seen, &expires, &s.IP, &s.UserAgent)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, fmt.Errorf("store: session: %w", cx.ErrNotFound)
	}
	if err != nil {
		return Session{}, fmt.Errorf("store: session: %w", err)
	}
	s.WorkspaceID = ws.Int64
	s.CreatedAt, s.SeenAt, s.ExpiresAt = fromMS(created), fromMS(seen), fromMS(expires)
	return s, nil
}

// TouchSession records activity on a session (its idle expiry restarts).
func (db *DB) TouchSession(ctx context.Context, tokenHash string, seen time.Time) error {
	if _, err := db.write.ExecContext(ctx, db.q("UPDATE sessions SET seen_at = ? WHERE token_hash = ?"), ms(seen), tokenHash); err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// SetSessionWorkspace records the workspace chosen in the switcher.
func (db *DB) SetSessionWorkspace(ctx context.Context, tokenHash string, ws int64) error {
	if _, err := db.write.ExecContext(ctx, db.q("UPDATE sessions SET workspace_id = ? WHERE token_hash = ?"), ws, tokenHash); err != nil {
		return fmt.Errorf("store: set session workspace: %w", err)
	}
	return nil
}

// DeleteSession ends a session (logout); an unknown one is fine.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := db.write.ExecContext(ctx, db.q("DELETE FROM sessions WHERE token_hash = ?"), tokenHash); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of user.
func (db *DB) DeleteUserSessions(ctx context.Context, user int64) error {
	if _, err := db.write.ExecContext(ctx, db.q("DELETE FROM sessions WHERE user_id = ?"), user); err != nil {
		return fmt.Errorf("store: delete user sessions: %w", err)
	}
	return nil
}

// PurgeSessions deletes sessions past their absolute expiry or idle since
// before idleBefore, and returns how many.
func (db *DB) PurgeSessions(ctx context.Context, now, idleBefore time.Time) (int64, error) {
	res, err := db.write.ExecContext(ctx, db.q("DELETE FROM sessions WHERE expires_at <= ? OR seen_at < ?"), ms(now), ms(idleBefore))
	if err != nil {
		return 0, fmt.Errorf("store: purge sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
