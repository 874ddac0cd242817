package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// Roles are the roles a user can hold in a workspace, weakest first.
var Roles = []string{"viewer", "agent", "analyst", "admin", "owner"}

// User is a person who logs in to the dashboard.
type User struct {
	ID           int64
	Email        string // lower-cased
	Name         string
	PasswordHash string // PHC string; empty: the user cannot log in with a password
	Lang         string // UI language preference, empty for none
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Membership is a user's role in one workspace.
type Membership struct {
	Workspace cx.Workspace
	Role      string
}

// Member is a workspace's user with their role there.
type Member struct {
	User      User
	Role      string
	CreatedAt time.Time
}

// UserInvitation invites an email address to a workspace with a role.
type UserInvitation struct {
	WorkspaceID int64
	ID          int64
	Email       string
	Role        string
	InvitedBy   int64 // user id, 0 if unknown
	CreatedAt   time.Time
	ExpiresAt   time.Time
	AcceptedAt  *time.Time
	RevokedAt   *time.Time
}

// NormalizeEmail lower-cases and trims an email address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// validateUser checks a new user's email and role.
func validateUserInput(email, role string) error {
	var bad []cx.FieldError
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		bad = append(bad, cx.FieldError{Field: "email", Reason: "must be an email address like ana@example.com"})
	}
	if role != "" && !slices.Contains(Roles, role) {
		bad = append(bad, cx.FieldError{Field: "role", Reason: "must be one of " + strings.Join(Roles, ", ")})
	}
	if len(bad) > 0 {
		return &cx.ValidationError{Fields: bad}
	}
	return nil
}

const userColumns = "id, email, name, password_hash, lang, created_at, updated_at"

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var created, updated int64
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Lang, &created, &updated)
	u.CreatedAt, u.UpdatedAt = fromMS(created), fromMS(updated)
	return u, err
}

// CountUsers returns how many users exist (0 before first-run setup).
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}

// CreateUser creates a user, and when ws is not 0 makes them a member of
// workspace ws with role. A taken email is cx.ErrConflict.
func (db *DB) CreateUser(ctx context.Context, u User, ws int64, role string) (User, error) {
	u.Email = NormalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	if ws != 0 && role == "" {
		role = "viewer"
	}
	if err := validateUserInput(u.Email, role); err != nil {
		return User{}, fmt.Errorf("store: create user: %w", err)
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = db.createUserTx(ctx, tx, u)
		if err != nil {
			return err
		}
		if ws != 0 {
			return db.setMembershipTx(ctx, tx, ws, u.ID, role)
		}
		return nil
	})
	if err != nil {
		return User{}, fmt.Errorf("store: create user: %w", err)
	}
	return u, nil
}

func (db *DB) createUserTx(ctx context.Context, tx dbtx, u User) (User, error) {
	now := db.now().Truncate(time.Millisecond)
	u.CreatedAt, u.UpdatedAt = now, now
	err := tx.QueryRowContext(ctx, db.q("INSERT INTO users (email, name, password_hash, lang, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id"),
		u.Email, u.Name, u.PasswordHash, u.Lang, ms(now), ms(now)).Scan(&u.ID)
	if isUniqueViolation(err) {
		return User{}, fmt.Errorf("email %s is already registered: %w", u.Email, cx.ErrConflict)
	}
	return u, err
}

func (db *DB) setMembershipTx(ctx context.Context, tx dbtx, ws, user int64, role string) error {
	var n int
	if err := tx.QueryRowContext(ctx, db.q("SELECT count(*) FROM workspaces WHERE id = ?"), ws).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("workspace %d: %w", ws, cx.ErrNotFound)
	}
	_, err := tx.ExecContext(ctx, db.q(`INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role`), ws, user, role, ms(db.now()))
	return err
}

// Setup is first-run setup: when there are no users yet it creates the
// owner, and a workspace named wsName (time zone tz) if there is none, in
// one transaction. It returns cx.ErrConflict once any user exists.
func (db *DB) Setup(ctx context.Context, u User, wsName, tz string) (User, cx.Workspace, error) {
	u.Email = NormalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	if err := validateUserInput(u.Email, "owner"); err != nil {
		return User{}, cx.Workspace{}, fmt.Errorf("store: setup: %w", err)
	}
	var w cx.Workspace
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("setup is done already: %w", cx.ErrConflict)
		}
		var created int64
		err := tx.QueryRowContext(ctx, "SELECT id, name, time_zone, created_at FROM workspaces ORDER BY id LIMIT 1").Scan(&w.ID, &w.Name, &w.TimeZone, &created)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			w = cx.Workspace{Name: strings.TrimSpace(wsName), TimeZone: tz}
			if w.TimeZone == "" {
				w.TimeZone = "UTC"
			}
			if err := w.Validate(); err != nil {
				return err
			}
			w.CreatedAt = db.now().Truncate(time.Millisecond)
			if err := tx.QueryRowContext(ctx, db.q("INSERT INTO workspaces (name, time_zone, created_at) VALUES (?, ?, ?) RETURNING id"),
				w.Name, w.TimeZone, ms(w.CreatedAt)).Scan(&w.ID); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			w.CreatedAt = fromMS(created)
		}
		if u, err = db.createUserTx(ctx, tx, u); err != nil {
			return err
		}
		return db.setMembershipTx(ctx, tx, w.ID, u.ID, "owner")
	})
	if err != nil {
		return User{}, cx.Workspace{}, fmt.Errorf("store: setup: %w", err)
	}
	return u, w, nil
}

// User returns user id, or cx.ErrNotFound.
func (db *DB) User(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, db.q("SELECT "+userColumns+" FROM users WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("store: user %d: %w", id, cx.ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("store: user %d: %w", id, err)
	}
	return u, nil
}

// UserByEmail returns the user with email (any case), or cx.ErrNotFound.
func (db *DB) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, db.q("SELECT "+userColumns+" FROM users WHERE email = ?"), NormalizeEmail(email)))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("store: user %q: %w", email, cx.ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("store: user by email: %w", err)
	}
	return u, nil
}

// SetPassword replaces a user's password hash and ends all their sessions.
func (db *DB) SetPassword(ctx context.Context, id int64, hash string) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error { return db.setPasswordTx(ctx, tx, id, hash) })
	if err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	return nil
}

func (db *DB) setPasswordTx(ctx context.Context, tx dbtx, id int64, hash string) error {
	res, err := tx.ExecContext(ctx, db.q("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?"), hash, ms(db.now()), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("user %d: %w", id, cx.ErrNotFound)
	}
	_, err = tx.ExecContext(ctx, db.q("DELETE FROM sessions WHERE user_id = ?"), id)
	return err
}

// SetUserLang stores a user's UI language preference ("" for none).
func (db *DB) SetUserLang(ctx context.Context, id int64, lang string) error {
	if _, err := db.write.ExecContext(ctx, db.q("UPDATE users SET lang = ?, updated_at = ? WHERE id = ?"), lang, ms(db.now()), id); err != nil {
		return fmt.Errorf("store: set user language: %w", err)
	}
	return nil
}

// Memberships lists the workspaces user belongs to with their role there,
// oldest workspace first.
func (db *DB) Memberships(ctx context.Context, user int64) ([]Membership, error) {
	rows, err := db.read.QueryContext(ctx, db.q(`SELECT w.id, w.name, w.time_zone, w.created_at, m.role
		FROM memberships m JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = ? ORDER BY w.id`), user)
	if err != nil {
		return nil, fmt.Errorf("store: memberships: %w", err)
	}
	defer rows.Close()
	out := []Membership{}
	for rows.Next() {
		var m Membership
		var created int64
		if err := rows.Scan(&m.Workspace.ID, &m.Workspace.Name, &m.Workspace.TimeZone, &created, &m.Role); err != nil {
			return nil, fmt.Errorf("store: memberships: %w", err)
		}
		m.Workspace.CreatedAt = fromMS(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Members lists workspace ws's users, by email.
func (db *DB) Members(ctx context.Context, ws int64) ([]Member, error) {
	rows, err := db.read.QueryContext(ctx, db.q(`SELECT u.id, u.email, u.name, u.password_hash, u.lang, u.created_at, u.updated_at, m.role, m.created_at
		FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ? ORDER BY u.email`), ws)
	if err != nil {
		return nil, fmt.Errorf("store: members: %w", err)
	}
	defer rows.Close()
	out := []Member{}
	for rows.Next() {
		var m Member
		var created, updated, joined int64
		if err := rows.Scan(&m.User.ID, &m.User.Email, &m.User.Name, &m.User.PasswordHash, &m.User.Lang, &created, &updated, &m.Role, &joined); err != nil {
			return nil, fmt.Errorf("store: members: %w", err)
		}
		m.User.PasswordHash = "" // never leaves the store through a listing
		m.User.CreatedAt, m.User.UpdatedAt, m.CreatedAt = fromMS(created), fromMS(updated), fromMS(joined)
		out = append(out, m)
	}
	return out, rows.Err()
}

// SetRole sets user's role in workspace ws, adding the membership if
// needed. Demoting the last owner is cx.ErrConflict.
func (db *DB) SetRole(ctx context.Context, ws, user int64, role string) error {
	if !slices.Contains(Roles, role) {
		return fmt.Errorf("store: set role: %w", &cx.ValidationError{Fields: []cx.FieldError{{Field: "role", Reason: "must be one of " + strings.Join(Roles, ", ")}}})
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if role != "owner" {
			if err := db.keepAnOwner(ctx, tx, ws, user); err != nil {
				return err
			}
		}
		return db.setMembershipTx(ctx, tx, ws, user, role)
	})
	if err != nil {
		return fmt.Errorf("store: set role: %w", err)
	}
	return nil
}

// RemoveMember removes user from workspace ws (cx.ErrNotFound if not a
// member; cx.ErrConflict if they are its last owner).
func (db *DB) RemoveMember(ctx context.Context, ws, user int64) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.keepAnOwner(ctx, tx, ws, user); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, db.q("DELETE FROM memberships WHERE workspace_id = ? AND user_id = ?"), ws, user)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("user %d in workspace %d: %w", user, ws, cx.ErrNotFound)
		}
		// Their sessions pointing at ws lose it; app() picks another.
		_, err = tx.ExecContext(ctx, db.q("UPDATE sessions SET workspace_id = NULL WHERE user_id = ? AND workspace_id = ?"), user, ws)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: remove member: %w", err)
	}
	return nil
}

// keepAnOwner fails with cx.ErrConflict when user is the only owner of ws.
func (db *DB) keepAnOwner(ctx context.Context, tx dbtx, ws, user int64) error {
	var owners, isOwner int
	err := tx.QueryRowContext(ctx, db.q(`SELECT count(*), coalesce(sum(CASE WHEN user_id = ? THEN 1 ELSE 0 END), 0)
		FROM memberships WHERE workspace_id = ? AND role = 'owner'`), user, ws).Scan(&owners, &isOwner)
	if err != nil {
		return err
	}
	if isOwner > 0 && owners == 1 {
		return fmt.Errorf("user %d is the last owner of workspace %d: %w", user, ws, cx.ErrConflict)
	}
	return nil
}

// CreateUserInvitation stores an invitation whose token has SHA-256
// tokenHash and enqueues msg (the invitation email) in the same
// transaction. It expires at inv.ExpiresAt.
func (db *DB) CreateUserInvitation(ctx context.Context, inv UserInvitation, tokenHash string, msg Message) (UserInvitation, error) {
	inv.Email = NormalizeEmail(inv.Email)
	if err := validateUserInput(inv.Email, inv.Role); err != nil {
		return UserInvitation{}, fmt.Errorf("store: invite user: %w", err)
	}
	if inv.Role == "" {
		return UserInvitation{}, fmt.Errorf("store: invite user: %w", &cx.ValidationError{Fields: []cx.FieldError{{Field: "role", Reason: "is required"}}})
	}
	inv.CreatedAt = db.now().Truncate(time.Millisecond)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		ids, err := db.allocIDs(ctx, tx, "user_invitations", inv.WorkspaceID, 1)
		if err != nil {
			return err
		}
		inv.ID = ids[0]
		var by any
		if inv.InvitedBy != 0 {
			by = inv.InvitedBy
		}
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO user_invitations (workspace_id, id, email, role, token_hash, invited_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), inv.WorkspaceID, inv.ID, inv.Email, inv.Role, tokenHash, by, ms(inv.CreatedAt), ms(inv.ExpiresAt)); err != nil {
			return err
		}
		_, err = db.enqueueTx(ctx, tx, inv.WorkspaceID, []Message{msg})
		return err
	})
	if err != nil {
		return UserInvitation{}, fmt.Errorf("store: invite user: %w", err)
	}
	return inv, nil
}

const userInvitationColumns = "workspace_id, id, email, role, invited_by, created_at, expires_at, accepted_at, revoked_at"

func scanUserInvitation(row interface{ Scan(...any) error }) (UserInvitation, error) {
	var in UserInvitation
	var by, accepted, revoked sql.NullInt64
	var created, expires int64
	err := row.Scan(&in.WorkspaceID, &in.ID, &in.Email, &in.Role, &by, &created, &expires, &accepted, &revoked)
	in.InvitedBy = by.Int64
	in.CreatedAt, in.ExpiresAt = fromMS(created), fromMS(expires)
	in.AcceptedAt, in.RevokedAt = fromNullMS(accepted), fromNullMS(revoked)
	return in, err
}

// PendingUserInvitations lists workspace ws's invitations not yet
// accepted, revoked or expired, newest first.
func (db *DB) PendingUserInvitations(ctx context.Context, ws int64) ([]UserInvitation, error) {
	rows, err := db.read.QueryContext(ctx, db.q("SELECT "+userInvitationColumns+` FROM user_invitations
		WHERE workspace_id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ? ORDER BY id DESC`), ws, ms(db.now()))
	if err != nil {
		return nil, fmt.Errorf("store: user invitations: %w", err)
	}
	defer rows.Close()
	out := []UserInvitation{}
	for rows.Next() {
		in, err := scanUserInvitation(rows)
		if err != nil {
			return nil, fmt.Errorf("store: user invitations: %w", err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// UserInvitationByToken returns the live invitation whose token has
// SHA-256 tokenHash, or cx.ErrNotFound (also when used, revoked or expired).
func (db *DB) UserInvitationByToken(ctx context.Context, tokenHash string) (UserInvitation, error) {
	in, err := scanUserInvitation(db.read.QueryRowContext(ctx, db.q("SELECT "+userInvitationColumns+` FROM user_invitations
		WHERE token_hash = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?`), tokenHash, ms(db.now())))
	if errors.Is(err, sql.ErrNoRows) {
		return UserInvitation{}, fmt.Errorf("store: user invitation: %w", cx.ErrNotFound)
	}
	if err != nil {
		return UserInvitation{}, fmt.Errorf("store: user invitation: %w", err)
	}
	return in, nil
}

// RevokeUserInvitation revokes invitation id of workspace ws.
func (db *DB) RevokeUserInvitation(ctx context.Context, ws, id int64) error {
	res, err := db.write.ExecContext(ctx, db.q("UPDATE user_invitations SET revoked_at = ? WHERE workspace_id = ? AND id = ? AND accepted_at IS NULL AND revoked_at IS NULL"),
		ms(db.now()), ws, id)
	if err != nil {
		return fmt.Errorf("store: revoke user invitation: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: revoke user invitation %d: %w", id, cx.ErrNotFound)
	}
	return nil
}

// AcceptUserInvitation uses the invitation whose token has SHA-256
// tokenHash, once: the invited email becomes a member of the workspace
// with the invited role. A new user is created with name and passwordHash;
// an existing user keeps their password. It returns the user.
func (db *DB) AcceptUserInvitation(ctx context.Context, tokenHash, name, passwordHash string) (User, UserInvitation, error) {
	var u User
	var in UserInvitation
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		in, err = scanUserInvitation(tx.QueryRowContext(ctx, db.q("SELECT "+userInvitationColumns+` FROM user_invitations
			WHERE token_hash = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?`), tokenHash, ms(db.now())))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("invitation: %w", cx.ErrNotFound)
		}
		if err != nil {
			return err
		}
		u, err = scanUser(tx.QueryRowContext(ctx, db.q("SELECT "+userColumns+" FROM users WHERE email = ?"), in.Email))
		if errors.Is(err, sql.ErrNoRows) {
			if passwordHash == "" {
				return &cx.ValidationError{Fields: []cx.FieldError{{Field: "password", Reason: "is required"}}}
			}
			u, err = db.createUserTx(ctx, tx, User{Email: in.Email, Name: strings.TrimSpace(name), PasswordHash: passwordHash})
		}
		if err != nil {
			return err
		}
		if err := db.setMembershipTx(ctx, tx, in.WorkspaceID, u.ID, in.Role); err != nil {
			return err
		}
		now := db.now()
		in.AcceptedAt = &now
		_, err = tx.ExecContext(ctx, db.q("UPDATE user_invitations SET accepted_at = ? WHERE workspace_id = ? AND id = ?"), ms(now), in.WorkspaceID, in.ID)
		return err
	})
	if err != nil {
		return User{}, UserInvitation{}, fmt.Errorf("store: accept user invitation: %w", err)
	}
	return u, in, nil
}

// CreatePasswordReset stores a reset token (its SHA-256 tokenHash) for
// user, valid until expires, and enqueues msg (the email with the link) in
// the same transaction; ws is the workspace the outbox message is filed
// under. Earlier unused tokens of the user stop working.
func (db *DB) CreatePasswordReset(ctx context.Context, ws, user int64, tokenHash string, expires time.Time, msg Message) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		now := ms(db.now())
		if _, err := tx.ExecContext(ctx, db.q("UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL"), now, user); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)"),
			tokenHash, user, now, ms(expires)); err != nil {
			return err
		}
		_, err := db.enqueueTx(ctx, tx, ws, []Message{msg})
		return err
	})
	if err != nil {
		return fmt.Errorf("store: create password reset: %w", err)
	}
	return nil
}

// PasswordResetUser returns the user of a live (unused, unexpired) reset
// token, or cx.ErrNotFound.
func (db *DB) PasswordResetUser(ctx context.Context, tokenHash string) (User, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, db.q("SELECT user_id FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?"),
		tokenHash, ms(db.now())).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("store: password reset: %w", cx.ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("store: password reset: %w", err)
	}
	return db.User(ctx, id)
}

// UsePasswordReset spends a live reset token: the user's password becomes
// passwordHash and all their sessions end. A used, expired or unknown
// token is cx.ErrNotFound.
func (db *DB) UsePasswordReset(ctx context.Context, tokenHash, passwordHash string) (User, error) {
	var id int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		now := ms(db.now())
		err := tx.QueryRowContext(ctx, db.q("UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id"),
			now, tokenHash, now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("token: %w", cx.ErrNotFound)
		}
		if err != nil {
			return err
		}
		return db.setPasswordTx(ctx, tx, id, passwordHash)
	})
	if err != nil {
		return User{}, fmt.Errorf("store: use password reset: %w", err)
	}
	return db.User(ctx, id)
}
