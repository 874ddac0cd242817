package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
)

// MaxInvitationBatch is the most invitations CreateInvitations takes at once.
const MaxInvitationBatch = 1000

const invitationColumns = `i.id, s.key, coalesce(c.external_id, ''), i.survey_id, coalesce(i.customer_id, 0), i.channel, i.language,
	i.email, i.touchpoint, i.touchpoint_ref, i.attributes, coalesce(i.trigger_id, 0), i.status, i.error, i.scheduled_at,
	i.sent_at, i.opened_at, i.answered_at, i.reminded_at, i.expires_at, coalesce(i.response_id, 0),
	coalesce(i.idempotency_key, ''), i.created_at`

const invitationFrom = ` FROM invitations i
	JOIN surveys s ON s.workspace_id = i.workspace_id AND s.id = i.survey_id
	LEFT JOIN customers c ON c.workspace_id = i.workspace_id AND c.id = i.customer_id`

func scanInvitation(row interface{ Scan(...any) error }) (cx.Invitation, error) {
	var in cx.Invitation
	var attrs []byte
	var status string
	var scheduled, expires, created int64
	var sent, opened, answered, reminded sql.NullInt64
	err := row.Scan(&in.ID, &in.Survey, &in.Customer, &in.SurveyID, &in.CustomerID, &in.Channel, &in.Language,
		&in.Email, &in.Touchpoint, &in.TouchpointRef, &attrs, &in.TriggerID, &status, &in.Error, &scheduled,
		&sent, &opened, &answered, &reminded, &expires, &in.ResponseID, &in.IdempotencyKey, &created)
	if err != nil {
		return in, err
	}
	in.Status = cx.InvitationStatus(status)
	in.ScheduledAt, in.ExpiresAt, in.CreatedAt = fromMS(scheduled), fromMS(expires), fromMS(created)
	in.SentAt, in.OpenedAt, in.AnsweredAt, in.RemindedAt = fromNullMS(sent), fromNullMS(opened), fromNullMS(answered), fromNullMS(reminded)
	in.Attributes, err = decodeAttrs(attrs)
	return in, err
}

// CreateInvitations validates and stores invitations in one transaction:
// all of them or, when one is invalid, none (a *cx.ValidationError names
// every bad field by index). The survey is named by key (or SurveyID) and
// the customer by external id, created when new. An invitation whose
// idempotency key is already stored is not created again: the stored one
// is returned in its place, so a retried batch never doubles an invitation.
func (db *DB) CreateInvitations(ctx context.Context, ws int64, list []cx.Invitation) ([]cx.Invitation, error) {
	if len(list) > MaxInvitationBatch {
		return nil, fmt.Errorf("store: create invitations: %w", cx.Invalid("items", fmt.Sprintf("at most %d invitations per batch, got %d", MaxInvitationBatch, len(list))))
	}
	surveys, err := db.surveysByKey(ctx, ws)
	if err != nil {
		return nil, fmt.Errorf("store: create invitations: %w", err)
	}
	byID := make(map[int64]cx.Survey, len(surveys))
	for _, s := range surveys {
		byID[s.ID] = s
	}
	now := db.now().Truncate(time.Millisecond)
	out := make([]cx.Invitation, len(list))
	copy(out, list)
	var bad []cx.FieldError
	for i := range out {
		in := &out[i]
		errs := in.Validate(now)
		if in.Survey != "" {
			if s, ok := surveys[in.Survey]; ok {
				in.SurveyID = s.ID
			} else {
				errs = append(errs, cx.FieldError{Field: "survey", Reason: fmt.Sprintf("no survey with key %q", in.Survey)})
			}
		} else if s, ok := byID[in.SurveyID]; ok {
			in.Survey = s.Key
		} else if in.SurveyID != 0 {
			errs = append(errs, cx.FieldError{Field: "survey", Reason: fmt.Sprintf("no survey with id %d", in.SurveyID)})
		}
		for j := range errs {
			errs[j].Index = i
		}
		bad = append(bad, errs...)
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("store: create invitations: %w", &cx.ValidationError{Fields: bad})
	}
	for attempt := 0; attempt < 3; attempt++ {
		err = db.inWriteTx(ctx, func(tx dbtx) error { return db.createInvitationsTx(ctx, tx, ws, out, now) })
		if !isUniqueViolation(err) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store: create invitations: %w", err)
	}
	return out, nil
}

func (db *DB) createInvitationsTx(ctx context.Context, tx dbtx, ws int64, out []cx.Invitation, now time.Time) error {
	var keys []string
	for _, in := range out {
		if in.IdempotencyKey != "" {
			keys = append(keys, in.IdempotencyKey)
		}
	}
	seen, err := db.lookupKeys(ctx, tx, "invitations", ws, keys)
	if err != nil {
		return err
	}
	var fresh []int
	first := map[string]int{}
	dup := map[int]int{} // index → earlier index in the batch with the same key
	need := map[string]time.Time{}
	for i := range out {
		k := out[i].IdempotencyKey
		if _, ok := seen[k]; ok && k != "" {
			continue
		}
		if k != "" {
			if j, ok := first[k]; ok {
				dup[i] = j
				continue
			}
			first[k] = i
		}
		fresh = append(fresh, i)
		if c := out[i].Customer; c != "" {
			if t, ok := need[c]; !ok || now.Before(t) {
				need[c] = now
			}
		}
	}
	customers, err := db.ensureCustomers(ctx, tx, ws, need)
	if err != nil {
		return err
	}
	ids, err := db.allocIDs(ctx, tx, "invitations", ws, len(fresh))
	if err != nil {
		return err
	}
	for n, i := range fresh {
		in := &out[i]
		in.ID, in.CreatedAt = ids[n], now
		if in.Customer != "" {
			in.CustomerID = customers[in.Customer]
		}
		attrs, err := encodeAttrs(in.Attributes)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO invitations (workspace_id, id, survey_id, customer_id, channel, language, email,
			touchpoint, touchpoint_ref, attributes, trigger_id, status, error, scheduled_at, sent_at, expires_at, idempotency_key, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			ws, in.ID, in.SurveyID, nullID(in.CustomerID), in.Channel, in.Language, in.Email,
			in.Touchpoint, in.TouchpointRef, attrs, nullID(in.TriggerID), string(in.Status), in.Error, ms(in.ScheduledAt),
			msOrNil(in.SentAt), ms(in.ExpiresAt), nullString(in.IdempotencyKey), ms(now))
		if err != nil {
			return fmt.Errorf("insert invitation: %w", err)
		}
	}
	for i := range out {
		k := out[i].IdempotencyKey
		id, ok := seen[k]
		if !ok || k == "" {
			continue
		}
		stored, err := scanInvitation(tx.QueryRowContext(ctx, db.q("SELECT "+invitationColumns+invitationFrom+" WHERE i.workspace_id = ? AND i.id = ?"), ws, id))
		if err != nil {
			return fmt.Errorf("read invitation %d: %w", id, err)
		}
		out[i] = stored
	}
	for i, j := range dup {
		out[i] = out[j]
	}
	return nil
}

// Invitation returns one invitation, or cx.ErrNotFound.
func (db *DB) Invitation(ctx context.Context, ws, id int64) (cx.Invitation, error) {
	in, err := scanInvitation(db.read.QueryRowContext(ctx, db.q("SELECT "+invitationColumns+invitationFrom+" WHERE i.workspace_id = ? AND i.id = ?"), ws, id))
	if errors.Is(err, sql.ErrNoRows) {
		return cx.Invitation{}, fmt.Errorf("store: invitation %d: %w", id, cx.ErrNotFound)
	}
	if err != nil {
		return cx.Invitation{}, fmt.Errorf("store: invitation %d: %w", id, err)
	}
	return in, nil
}

// MarkInvitationOpened records the first page view of an invitation; later
// views keep the first time. It reports whether this call was the first.
func (db *DB) MarkInvitationOpened(ctx context.Context, ws, id int64, at time.Time) (bool, error) {
	res, err := db.write.ExecContext(ctx, db.q("UPDATE invitations SET opened_at = ? WHERE workspace_id = ? AND id = ? AND opened_at IS NULL"), ms(at), ws, id)
	if err != nil {
		return false, fmt.Errorf("store: mark invitation %d opened: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: mark invitation %d opened: %w", id, err)
	}
	if n == 0 {
		if _, err := db.Invitation(ctx, ws, id); err != nil {
			return false, fmt.Errorf("store: mark invitation opened: %w", err)
		}
	}
	return n == 1, nil
}

// ErrInvitationExpired means the invitation can no longer be answered.
var ErrInvitationExpired = errors.New("invitation expired")

// invitationResponseKey is the idempotency key of the response an
// invitation creates: the responses table's unique index then guarantees
// one response per invitation, even under concurrent clicks.
func invitationResponseKey(id int64) string { return "invitation:" + strconv.FormatInt(id, 10) }

// Answer is what AnswerInvitation stores.
type Answer struct {
	Score    int
	Language string // the page's language
	// Attributes are merged into the response's (driver ratings such as
	// rating_support, choice answers).
	Attributes cx.Attributes
}

// AnswerInvitation stores the score of an invitation's response: the first
// answer creates the response (with the invitation's survey, customer,
// channel, touchpoint and attributes; alerts and webhooks fire as for any
// ingested response) and records answered_at; a later answer through the
// same invitation updates that response's score instead of adding one.
// It returns the response and whether it was created. An expired
// invitation gives ErrInvitationExpired; a score outside the survey's
// scale a *cx.ValidationError.
func (db *DB) AnswerInvitation(ctx context.Context, ws, id int64, a Answer) (cx.Response, bool, error) {
	in, err := db.Invitation(ctx, ws, id)
	if err != nil {
		return cx.Response{}, false, fmt.Errorf("store: answer invitation: %w", err)
	}
	now := db.now().Truncate(time.Millisecond)
	if !now.Before(in.ExpiresAt) {
		return cx.Response{}, false, fmt.Errorf("store: answer invitation %d: %w", id, ErrInvitationExpired)
	}
	if in.Status == cx.InvitationCancelled {
		return cx.Response{}, false, fmt.Errorf("store: answer invitation %d: cancelled: %w", id, ErrInvitationExpired)
	}
	lang := a.Language
	if lang == "" {
		lang = in.Language
	}
	attrs := in.ResponseAttributes()
	for k, v := range a.Attributes {
		attrs[k] = v
	}
	r := cx.Response{
		Survey: in.Survey, Customer: in.Customer, SubmittedAt: now, Score: &a.Score, Language: lang,
		Channel: in.Channel, Touchpoint: in.Touchpoint, Attributes: attrs, IdempotencyKey: invitationResponseKey(id),
	}
	res, err := db.insertResponsesAfter(ctx, ws, []cx.Response{r}, BatchOptions{}, func(ctx context.Context, tx dbtx, rid int64) error {
		_, err := tx.ExecContext(ctx, db.q("UPDATE invitations SET response_id = ?, answered_at = ? WHERE workspace_id = ? AND id = ?"), rid, ms(now), ws, id)
		return err
	})
	if err != nil {
		return cx.Response{}, false, fmt.Errorf("store: answer invitation %d: %w", id, err)
	}
	it := res.Items[0]
	if it.Status != Created {
		if err := db.UpdateResponseAnswer(ctx, ws, it.ID, a.Score, a.Attributes); err != nil {
			return cx.Response{}, false, fmt.Errorf("store: answer invitation %d: %w", id, err)
		}
	}
	out, err := db.Response(ctx, ws, it.ID)
	if err != nil {
		return cx.Response{}, false, fmt.Errorf("store: answer invitation %d: %w", id, err)
	}
	return out, it.Status == Created, nil
}

// InvitationReader reads invitations through a prepared statement, for a
// hot path such as the survey page: parsing the query was 40% of a page
// view's CPU time on SQLite (bench/survey profile). Safe for concurrent use.
type InvitationReader struct {
	stmt *sql.Stmt
}

// PrepareInvitationReader prepares an InvitationReader; close it when done
// (closing the database closes it too).
func (db *DB) PrepareInvitationReader(ctx context.Context) (*InvitationReader, error) {
	stmt, err := db.read.PrepareContext(ctx, db.q("SELECT "+invitationColumns+invitationFrom+" WHERE i.workspace_id = ? AND i.id = ?"))
	if err != nil {
		return nil, fmt.Errorf("store: prepare invitation reader: %w", err)
	}
	return &InvitationReader{stmt: stmt}, nil
}

// Invitation returns one invitation, or cx.ErrNotFound, like DB.Invitation.
func (r *InvitationReader) Invitation(ctx context.Context, ws, id int64) (cx.Invitation, error) {
	in, err := scanInvitation(r.stmt.QueryRowContext(ctx, ws, id))
	if errors.Is(err, sql.ErrNoRows) {
		return cx.Invitation{}, fmt.Errorf("store: invitation %d: %w", id, cx.ErrNotFound)
	}
	if err != nil {
		return cx.Invitation{}, fmt.Errorf("store: invitation %d: %w", id, err)
	}
	return in, nil
}

// Close releases the prepared statement.
func (r *InvitationReader) Close() error { return r.stmt.Close() }

// InsertInvitationHistory stores invitations sent in the past exactly as
// given: status, sent, opened and answered times, the response an answered
// one created, and CreatedAt (the send, for the response rate). It is for
// bringing in a send history (the demo data); invitations to send go
// through CreateInvitations. Surveys are named by key; customers are
// created if missing. The batch is written whole or not at all.
func (db *DB) InsertInvitationHistory(ctx context.Context, ws int64, list []cx.Invitation) error {
	if len(list) > MaxInvitationBatch {
		return fmt.Errorf("store: insert invitation history: %w", cx.Invalid("items", fmt.Sprintf("at most %d invitations per batch, got %d", MaxInvitationBatch, len(list))))
	}
	surveys, err := db.surveysByKey(ctx, ws)
	if err != nil {
		return fmt.Errorf("store: insert invitation history: %w", err)
	}
	need := map[string]time.Time{}
	var bad []cx.FieldError
	for i, in := range list {
		if _, ok := surveys[in.Survey]; !ok {
			bad = append(bad, cx.FieldError{Index: i, Field: "survey", Reason: fmt.Sprintf("no survey with key %q", in.Survey)})
		}
		if in.CreatedAt.IsZero() || in.ExpiresAt.IsZero() {
			bad = append(bad, cx.FieldError{Index: i, Field: "created_at", Reason: "created_at and expires_at are required"})
		}
		if c := in.Customer; c != "" {
			if t, ok := need[c]; !ok || in.CreatedAt.Before(t) {
				need[c] = in.CreatedAt
			}
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("store: insert invitation history: %w", &cx.ValidationError{Fields: bad})
	}
	err = db.inWriteTx(ctx, func(tx dbtx) error {
		customers, err := db.ensureCustomers(ctx, tx, ws, need)
		if err != nil {
			return err
		}
		ids, err := db.allocIDs(ctx, tx, "invitations", ws, len(list))
		if err != nil {
			return err
		}
		rows := make([][]any, len(list))
		for i, in := range list {
			attrs, err := encodeAttrs(in.Attributes)
			if err != nil {
				return err
			}
			status := in.Status
			if status == "" {
				status = cx.InvitationSent
			}
			var delivered *time.Time
			if in.Channel == "email" {
				delivered = in.SentAt
			}
			rows[i] = []any{ws, ids[i], surveys[in.Survey].ID, nullID(customers[in.Customer]), in.Channel, in.Language, in.Email,
				in.Touchpoint, in.TouchpointRef, attrs, string(status), ms(in.ScheduledAt), msOrNil(in.SentAt), msOrNil(delivered),
				msOrNil(in.OpenedAt), msOrNil(in.AnsweredAt), ms(in.ExpiresAt), nullID(in.ResponseID), ms(in.CreatedAt)}
		}
		return db.insertRows(ctx, tx, "invitations", []string{"workspace_id", "id", "survey_id", "customer_id", "channel", "language", "email",
			"touchpoint", "touchpoint_ref", "attributes", "status", "scheduled_at", "sent_at", "delivered_at",
			"opened_at", "answered_at", "expires_at", "response_id", "created_at"}, rows)
	})
	if err != nil {
		return fmt.Errorf("store: insert invitation history: %w", err)
	}
	return nil
}
