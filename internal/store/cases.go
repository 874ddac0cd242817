package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/alert"
	"github.com/cxlens/cxlens/internal/cx"
)

// TopicCaseUpdated is the outbox topic (and webhook event type) of a case
// changed through UpdateCase; the payload is the case without its notes.
const TopicCaseUpdated = "case.updated"

// Case statuses.
const (
	CaseOpen       = "open"
	CaseInProgress = "in_progress"
	CaseWaiting    = "waiting"
	CaseClosed     = "closed"
)

// validCaseStatus reports whether s is a case status.
func validCaseStatus(s string) bool {
	return s == CaseOpen || s == CaseInProgress || s == CaseWaiting || s == CaseClosed
}

// Case is a follow-up of an alert (closing the loop with a customer).
type Case struct {
	ID             int64      `json:"id"`
	AlertID        int64      `json:"alert_id,omitempty"`
	Customer       string     `json:"customer,omitempty"` // external id
	ResponseID     int64      `json:"response_id,omitempty"`
	Title          string     `json:"title"`
	Status         string     `json:"status"`
	Owner          string     `json:"owner"`
	DueAt          *time.Time `json:"due_at,omitempty"`
	ResolutionCode string     `json:"resolution_code"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
	// FirstContactAt is the first note or status change after opening.
	FirstContactAt *time.Time `json:"first_contact_at,omitempty"`
	// ResurveyInvitation is the invitation created by closing the case
	// with resurvey (UpdateCase); only in UpdateCase's answer.
	ResurveyInvitation int64      `json:"resurvey_invitation,omitempty"`
	Notes              []CaseNote `json:"notes,omitempty"` // only from Case

	CustomerID int64 `json:"-"`
}

// CaseNote is a note written on a case.
type CaseNote struct {
	ID        int64     `json:"id"`
	CaseID    int64     `json:"case_id"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// caseFor is the case rule r opens for alert a on response resp.
func caseFor(r alert.Rule, a Alert, resp cx.Response, now time.Time) Case {
	who := resp.Customer
	if who == "" {
		who = "an anonymous customer"
	}
	k := Case{AlertID: a.ID, Customer: resp.Customer, CustomerID: a.CustomerID, ResponseID: resp.ID, Status: CaseOpen,
		Title: fmt.Sprintf("%s: %s scored %d on %s", r.Name, who, *resp.Score, resp.Survey), CreatedAt: now, UpdatedAt: now}
	if r.SLAHours > 0 {
		due := now.Add(time.Duration(r.SLAHours) * time.Hour)
		k.DueAt = &due
	}
	return k
}

// caseColumns are the columns of caseRow.
var caseColumns = []string{"workspace_id", "id", "alert_id", "customer_id", "response_id", "title", "status", "owner",
	"due_at", "resolution_code", "created_at", "updated_at", "closed_at"}

// caseRow is case k of workspace ws as insertRows writes it.
func caseRow(ws int64, k Case) []any {
	return []any{ws, k.ID, nullID(k.AlertID), nullID(k.CustomerID), nullID(k.ResponseID), k.Title, k.Status, k.Owner,
		msOrNil(k.DueAt), k.ResolutionCode, ms(k.CreatedAt), ms(k.UpdatedAt), msOrNil(k.ClosedAt)}
}

const caseSelect = `SELECT k.id, coalesce(k.alert_id, 0), coalesce(c.external_id, ''), coalesce(k.response_id, 0), k.title, k.status,
	k.owner, k.due_at, k.resolution_code, k.created_at, k.updated_at, k.closed_at, k.first_contact_at
	FROM cases k LEFT JOIN customers c ON c.workspace_id = k.workspace_id AND c.id = k.customer_id`

func scanCase(row interface{ Scan(...any) error }) (Case, int64, error) {
	var k Case
	var due, closed, contact sql.NullInt64
	var created, updated int64
	if err := row.Scan(&k.ID, &k.AlertID, &k.Customer, &k.ResponseID, &k.Title, &k.Status, &k.Owner, &due,
		&k.ResolutionCode, &created, &updated, &closed, &contact); err != nil {
		return Case{}, 0, err
	}
	k.DueAt, k.ClosedAt, k.FirstContactAt = fromNullMS(due), fromNullMS(closed), fromNullMS(contact)
	k.CreatedAt, k.UpdatedAt = fromMS(created), fromMS(updated)
	return k, k.ID, nil
}

// CaseFilter selects cases; zero fields match all.
type CaseFilter struct {
	Status   string
	Owner    string
	Customer string // external id
	// Overdue selects the cases not closed whose due date is before Now.
	Overdue bool
	Now     time.Time // for Overdue; default the store's clock
	Cursor  string
	Limit   int // default DefaultLimit, at most MaxLimit
}

// Cases lists workspace ws's cases, oldest first, a page at a time.
func (db *DB) Cases(ctx context.Context, ws int64, f CaseFilter) (Page[Case], error) {
	if f.Status != "" && !validCaseStatus(f.Status) {
		return Page[Case]{}, fmt.Errorf("store: list cases: %w", cx.Invalid("status", "must be open, in_progress, waiting or closed"))
	}
	after, err := decodeCursor(f.Cursor)
	if err != nil {
		return Page[Case]{}, fmt.Errorf("store: list cases: %w", err)
	}
	var l listQuery
	l.add("k.workspace_id = ?", ws)
	if after > 0 {
		l.add("k.id > ?", after)
	}
	if f.Status != "" {
		l.add("k.status = ?", f.Status)
	}
	if f.Owner != "" {
		l.add("k.owner = ?", f.Owner)
	}
	if f.Customer != "" {
		l.add("c.external_id = ?", f.Customer)
	}
	if f.Overdue {
		now := f.Now
		if now.IsZero() {
			now = db.now()
		}
		l.add("k.status <> 'closed' AND k.due_at IS NOT NULL AND k.due_at < ?", ms(now))
	}
	limit := clampLimit(f.Limit)
	page, err := list(ctx, db, l.sql(caseSelect, "k", limit), l.args, limit, scanCase)
	if err != nil {
		return page, fmt.Errorf("store: list cases: %w", err)
	}
	return page, nil
}

// Case returns one case of workspace ws with its notes, or cx.ErrNotFound.
func (db *DB) Case(ctx context.Context, ws, id int64) (Case, error) {
	k, _, err := scanCase(db.read.QueryRowContext(ctx, db.q(caseSelect+" WHERE k.workspace_id = ? AND k.id = ?"), ws, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Case{}, fmt.Errorf("store: case %d: %w", id, cx.ErrNotFound)
	}
	if err != nil {
		return Case{}, fmt.Errorf("store: case %d: %w", id, err)
	}
	rows, err := db.read.QueryContext(ctx, db.q(`SELECT id, case_id, author, body, created_at FROM case_notes
		WHERE workspace_id = ? AND case_id = ? ORDER BY id`), ws, id)
	if err != nil {
		return Case{}, fmt.Errorf("store: case %d notes: %w", id, err)
	}
	defer rows.Close()
	k.Notes = []CaseNote{}
	for rows.Next() {
		var n CaseNote
		var created int64
		if err := rows.Scan(&n.ID, &n.CaseID, &n.Author, &n.Body, &created); err != nil {
			return Case{}, fmt.Errorf("store: case %d notes: %w", id, err)
		}
		n.CreatedAt = fromMS(created)
		k.Notes = append(k.Notes, n)
	}
	if err := rows.Err(); err != nil {
		return Case{}, fmt.Errorf("store: case %d notes: %w", id, err)
	}
	return k, nil
}

// CasePatch changes a case; nil fields stay as they are.
type CasePatch struct {
	Status         *string `json:"status"`
	Owner          *string `json:"owner"`
	ResolutionCode *string `json:"resolution_code"`
	// Resurvey, with status closed, invites the case's customer to answer
	// the survey of the response behind the case again, to measure
	// recovery. It needs a case opened on a customer's response.
	Resurvey bool `json:"resurvey"`
}

// validate reports the patch's bad fields.
func (p *CasePatch) validate() error {
	var errs []cx.FieldError
	if p.Status != nil && !validCaseStatus(*p.Status) {
		errs = append(errs, cx.FieldError{Field: "status", Reason: "must be open, in_progress, waiting or closed"})
	}
	if p.Owner != nil {
		*p.Owner = strings.TrimSpace(*p.Owner)
		if len(*p.Owner) > cx.MaxShortText {
			errs = append(errs, cx.FieldError{Field: "owner", Reason: fmt.Sprintf("must be at most %d bytes", cx.MaxShortText)})
		}
	}
	if p.Resurvey && (p.Status == nil || *p.Status != CaseClosed) {
		errs = append(errs, cx.FieldError{Field: "resurvey", Reason: `needs "status": "closed"`})
	}
	if p.ResolutionCode != nil && len(*p.ResolutionCode) > cx.MaxShortText {
		errs = append(errs, cx.FieldError{Field: "resolution_code", Reason: fmt.Sprintf("must be at most %d bytes", cx.MaxShortText)})
	}
	if len(errs) > 0 {
		return &cx.ValidationError{Fields: errs}
	}
	return nil
}

// UpdateCase applies p to case id of workspace ws and returns the case.
// Closing sets closed_at; reopening clears it. When a webhook listens, a
// case.updated message is written in the same transaction.
func (db *DB) UpdateCase(ctx context.Context, ws, id int64, p CasePatch) (Case, error) {
	if err := p.validate(); err != nil {
		return Case{}, fmt.Errorf("store: update case %d: %w", id, err)
	}
	now := ms(db.now())
	set := []string{"updated_at = ?"}
	args := []any{now}
	if p.Status != nil {
		set = append(set, "status = ?", "closed_at = CASE WHEN ? = 'closed' THEN coalesce(closed_at, ?) ELSE NULL END",
			"first_contact_at = CASE WHEN ? <> status THEN coalesce(first_contact_at, ?) ELSE first_contact_at END")
		args = append(args, *p.Status, *p.Status, now, *p.Status, now)
	}
	if p.Owner != nil {
		set = append(set, "owner = ?")
		args = append(args, *p.Owner)
	}
	if p.ResolutionCode != nil {
		set = append(set, "resolution_code = ?")
		args = append(args, *p.ResolutionCode)
	}
	args = append(args, ws, id)
	var invitation int64
	err := db.inWriteTx(ctx, func(tx dbtx) error {
		res, err := tx.ExecContext(ctx, db.q("UPDATE cases SET "+strings.Join(set, ", ")+" WHERE workspace_id = ? AND id = ?"), args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return cx.ErrNotFound
		}
		k, _, err := scanCase(tx.QueryRowContext(ctx, db.q(caseSelect+" WHERE k.workspace_id = ? AND k.id = ?"), ws, id))
		if err != nil {
			return err
		}
		if p.Resurvey {
			if invitation, err = db.resurvey(ctx, tx, ws, k); err != nil {
				return err
			}
		}
		if ok, err := db.subscribed(ctx, tx, ws, TopicCaseUpdated); err != nil || !ok {
			return err
		}
		b, err := json.Marshal(k)
		if err != nil {
			return fmt.Errorf("encode %s: %w", TopicCaseUpdated, err)
		}
		_, err = db.enqueueTx(ctx, tx, ws, []Message{{Topic: TopicCaseUpdated, Payload: b}})
		return err
	})
	if err != nil {
		return Case{}, fmt.Errorf("store: update case %d: %w", id, err)
	}
	k, err := db.Case(ctx, ws, id)
	k.ResurveyInvitation = invitation
	return k, err
}

// AddCaseNote writes a note on case id of workspace ws.
func (db *DB) AddCaseNote(ctx context.Context, ws, id int64, n CaseNote) (CaseNote, error) {
	n.Author, n.Body = strings.TrimSpace(n.Author), strings.TrimSpace(n.Body)
	var errs []cx.FieldError
	if n.Body == "" {
		errs = append(errs, cx.FieldError{Field: "body", Reason: "is required"})
	} else if len(n.Body) > cx.MaxText {
		errs = append(errs, cx.FieldError{Field: "body", Reason: fmt.Sprintf("must be at most %d bytes", cx.MaxText)})
	}
	if len(n.Author) > cx.MaxShortText {
		errs = append(errs, cx.FieldError{Field: "author", Reason: fmt.Sprintf("must be at most %d bytes", cx.MaxShortText)})
	}
	if len(errs) > 0 {
		return CaseNote{}, fmt.Errorf("store: add case note: %w", &cx.ValidationError{Fields: errs})
	}
	n.CaseID, n.CreatedAt = id, db.now().Truncate(time.Millisecond)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, db.q("SELECT 1 FROM cases WHERE workspace_id = ? AND id = ?"), ws, id).Scan(&one); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return cx.ErrNotFound
			}
			return err
		}
		ids, err := db.allocIDs(ctx, tx, "case_notes", ws, 1)
		if err != nil {
			return err
		}
		n.ID = ids[0]
		_, err = tx.ExecContext(ctx, db.q("INSERT INTO case_notes (workspace_id, id, case_id, author, body, created_at) VALUES (?, ?, ?, ?, ?, ?)"),
			ws, n.ID, id, n.Author, n.Body, ms(n.CreatedAt))
		if err == nil {
			_, err = tx.ExecContext(ctx, db.q("UPDATE cases SET updated_at = ?, first_contact_at = coalesce(first_contact_at, ?) WHERE workspace_id = ? AND id = ?"),
				ms(n.CreatedAt), ms(n.CreatedAt), ws, id)
		}
		return err
	})
	if err != nil {
		return CaseNote{}, fmt.Errorf("store: add note to case %d: %w", id, err)
	}
	return n, nil
}
