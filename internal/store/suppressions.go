package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// Suppression is an address no channel may contact again.
type Suppression struct {
	Email     string    `json:"email"`
	Reason    string    `json:"reason"` // unsubscribe, bounce, complaint, manual
	CreatedAt time.Time `json:"created_at"`
}

// Suppression reasons.
const (
	SuppressUnsubscribe = "unsubscribe"
	SuppressBounce      = "bounce"
	SuppressComplaint   = "complaint"
	SuppressManual      = "manual"
)

// MaxSuppressionBatch is the most addresses AddSuppressions takes at once.
const MaxSuppressionBatch = 1000

// normalizeEmail returns addr as the suppression list keys it.
func normalizeEmail(addr string) string { return strings.ToLower(strings.TrimSpace(addr)) }

// AddSuppressions adds addresses to workspace ws's suppression list, all
// or none; an address already listed keeps its first reason and time.
func (db *DB) AddSuppressions(ctx context.Context, ws int64, list []Suppression) ([]Suppression, error) {
	if len(list) > MaxSuppressionBatch {
		return nil, fmt.Errorf("store: add suppressions: %w", cx.Invalid("items", fmt.Sprintf("at most %d per batch", MaxSuppressionBatch)))
	}
	var bad []cx.FieldError
	now := db.now().Truncate(time.Millisecond)
	out := make([]Suppression, len(list))
	for i, s := range list {
		s.Email = normalizeEmail(s.Email)
		if a, err := mail.ParseAddress(s.Email); err != nil || a.Address != s.Email || len(s.Email) > cx.MaxShortText {
			bad = append(bad, cx.FieldError{Index: i, Field: "email", Reason: "is not a valid email address"})
		}
		if s.Reason == "" {
			s.Reason = SuppressManual
		}
		switch s.Reason {
		case SuppressUnsubscribe, SuppressBounce, SuppressComplaint, SuppressManual:
		default:
			bad = append(bad, cx.FieldError{Index: i, Field: "reason", Reason: "must be unsubscribe, bounce, complaint or manual"})
		}
		s.CreatedAt = now
		out[i] = s
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("store: add suppressions: %w", &cx.ValidationError{Fields: bad})
	}
	if _, err := db.Workspace(ctx, ws); err != nil {
		return nil, fmt.Errorf("store: add suppressions: %w", err)
	}
	err := db.inWriteTx(ctx, func(tx dbtx) error {
		for i := range out {
			if err := db.suppressTx(ctx, tx, ws, out[i].Email, out[i].Reason, now); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, db.q("SELECT reason, created_at FROM suppressions WHERE workspace_id = ? AND email = ?"), ws, out[i].Email).
				Scan(&out[i].Reason, new(int64)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: add suppressions: %w", err)
	}
	return out, nil
}

func (db *DB) suppressTx(ctx context.Context, tx dbtx, ws int64, email, reason string, now time.Time) error {
	_, err := tx.ExecContext(ctx, db.q(`INSERT INTO suppressions (workspace_id, email, reason, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (workspace_id, email) DO NOTHING`), ws, normalizeEmail(email), reason, ms(now))
	if err != nil {
		return fmt.Errorf("suppress: %w", err)
	}
	return nil
}

// Suppressions lists workspace ws's suppression list by address, a page
// at a time; the cursor is the last address of the previous page.
func (db *DB) Suppressions(ctx context.Context, ws int64, cursor string, limit int) (Page[Suppression], error) {
	limit = clampLimit(limit)
	rows, err := db.read.QueryContext(ctx, db.q(`SELECT email, reason, created_at FROM suppressions
		WHERE workspace_id = ? AND email > ? ORDER BY email LIMIT ?`), ws, cursor, limit+1)
	if err != nil {
		return Page[Suppression]{}, fmt.Errorf("store: list suppressions: %w", err)
	}
	defer rows.Close()
	page := Page[Suppression]{Items: []Suppression{}}
	for rows.Next() {
		var s Suppression
		var created int64
		if err := rows.Scan(&s.Email, &s.Reason, &created); err != nil {
			return page, fmt.Errorf("store: list suppressions: %w", err)
		}
		s.CreatedAt = fromMS(created)
		if len(page.Items) == limit {
			page.NextCursor = page.Items[limit-1].Email
			break
		}
		page.Items = append(page.Items, s)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("store: list suppressions: %w", err)
	}
	return page, nil
}

// DeleteSuppression removes addr from workspace ws's list, or returns
// cx.ErrNotFound.
func (db *DB) DeleteSuppression(ctx context.Context, ws int64, addr string) error {
	res, err := db.write.ExecContext(ctx, db.q("DELETE FROM suppressions WHERE workspace_id = ? AND email = ?"), ws, normalizeEmail(addr))
	if err != nil {
		return fmt.Errorf("store: delete suppression: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: delete suppression %q: %w", addr, cx.ErrNotFound)
	}
	return nil
}

// Suppressed reports whether addr is on workspace ws's suppression list.
func (db *DB) Suppressed(ctx context.Context, ws int64, addr string) (bool, error) {
	return db.suppressed(ctx, db.read, ws, addr)
}

func (db *DB) suppressed(ctx context.Context, q querier, ws int64, addr string) (bool, error) {
	if strings.TrimSpace(addr) == "" {
		return false, nil
	}
	var one int
	err := q.QueryRowContext(ctx, db.q("SELECT 1 FROM suppressions WHERE workspace_id = ? AND email = ?"), ws, normalizeEmail(addr)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: suppressed: %w", err)
	}
	return true, nil
}

// invitationRef parses "invitation:ID", the Ref of invitation mail.
func invitationRef(ref string) (int64, bool) {
	s, ok := strings.CutPrefix(ref, "invitation:")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// Bounced records a permanent refusal of addr: the address is suppressed
// (reason bounce) and the invitation named by ref ("invitation:ID"), if
// any, is marked failed with reason, in one transaction.
func (db *DB) Bounced(ctx context.Context, ws int64, addr, ref, reason string) error {
	now := db.now()
	err := db.inWriteTx(ctx, func(tx dbtx) error {
		if err := db.suppressTx(ctx, tx, ws, addr, SuppressBounce, now); err != nil {
			return err
		}
		if id, ok := invitationRef(ref); ok {
			if _, err := tx.ExecContext(ctx, db.q("UPDATE invitations SET status = ?, error = ? WHERE workspace_id = ? AND id = ?"),
				string(cx.InvitationFailed), errText(errors.New(reason)), ws, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: bounced: %w", err)
	}
	return nil
}

// MailDelivered records that the relay accepted the mail of the invitation
// named by ref ("invitation:ID"); other refs are ignored.
func (db *DB) MailDelivered(ctx context.Context, ws int64, ref string) error {
	id, ok := invitationRef(ref)
	if !ok {
		return nil
	}
	if _, err := db.write.ExecContext(ctx, db.q("UPDATE invitations SET delivered_at = ? WHERE workspace_id = ? AND id = ? AND delivered_at IS NULL"),
		ms(db.now()), ws, id); err != nil {
		return fmt.Errorf("store: mail delivered: %w", err)
	}
	return nil
}

// Unsubscribe puts the address of invitation id on the suppression list
// (reason unsubscribe) and cancels the address's invitations not yet sent;
// it returns the address. An invitation without an address is cx.ErrNotFound.
func (db *DB) Unsubscribe(ctx context.Context, ws, id int64) (string, error) {
	in, err := db.Invitation(ctx, ws, id)
	if err != nil {
		return "", fmt.Errorf("store: unsubscribe: %w", err)
	}
	addr := normalizeEmail(in.Email)
	if addr == "" {
		return "", fmt.Errorf("store: unsubscribe: invitation %d has no address: %w", id, cx.ErrNotFound)
	}
	err = db.inWriteTx(ctx, func(tx dbtx) error {
		if err := db.suppressTx(ctx, tx, ws, addr, SuppressUnsubscribe, db.now()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.q(`UPDATE invitations SET status = ?, error = ? WHERE workspace_id = ? AND lower(email) = ? AND status = ?`),
			string(cx.InvitationSuppressed), "unsubscribed", ws, addr, string(cx.InvitationScheduled))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: unsubscribe: %w", err)
	}
	return addr, nil
}
