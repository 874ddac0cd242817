package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cxlens/cxlens/internal/alert"
	"github.com/cxlens/cxlens/internal/cx"
)

// ErrNoResurvey is the error of closing a case with resurvey when the case
// has no customer's response to ask about again.
var ErrNoResurvey = errors.New("the case has no customer's response to re-survey")

// resurvey creates, in tx, an invitation for case k's customer to answer
// again the survey of the response behind the case: by email when the
// customer has an address, else as a link. Its idempotency key is the
// case's, so closing, reopening and closing again invites once.
func (db *DB) resurvey(ctx context.Context, tx dbtx, ws int64, k Case) (int64, error) {
	if k.Customer == "" || k.ResponseID == 0 {
		return 0, cx.Invalid("resurvey", ErrNoResurvey.Error())
	}
	var surveyID, customerID int64
	var email sql.NullString
	err := tx.QueryRowContext(ctx, db.q(`SELECT r.survey_id, r.customer_id, c.email FROM responses r
		JOIN customers c ON c.workspace_id = r.workspace_id AND c.id = r.customer_id
		WHERE r.workspace_id = ? AND r.id = ?`), ws, k.ResponseID).Scan(&surveyID, &customerID, &email)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, cx.Invalid("resurvey", ErrNoResurvey.Error())
	}
	if err != nil {
		return 0, fmt.Errorf("load the case's response: %w", err)
	}
	now := db.now().Truncate(time.Millisecond)
	in := cx.Invitation{SurveyID: surveyID, Customer: k.Customer, Channel: cx.ChannelLink, Touchpoint: "case",
		TouchpointRef: fmt.Sprintf("case:%d", k.ID), IdempotencyKey: fmt.Sprintf("case:%d:resurvey", k.ID)}
	if email.Valid && email.String != "" {
		in.Channel, in.Email = cx.ChannelEmail, email.String
	}
	if errs := in.Validate(now); len(errs) > 0 {
		return 0, &cx.ValidationError{Fields: errs}
	}
	list := []cx.Invitation{in}
	if err := db.createInvitationsTx(ctx, tx, ws, list, now); err != nil {
		return 0, fmt.Errorf("create re-survey invitation: %w", err)
	}
	return list[0].ID, nil
}

// CaseMetricsFilter bounds the cases measured by their creation time.
type CaseMetricsFilter struct {
	From, To time.Time // [From, To); zero is unbounded
	Now      time.Time // the date of the SLA outcome; default the store's clock
}

// CaseMetrics measures workspace ws's cases created in the range:
// alert.Metrics (time to first contact, time to close, % closed within
// SLA) and the recovery rate: of the closed cases opened on a detractor's
// NPS response (0–6), the share whose customer later answered the same
// survey with a higher score.
func (db *DB) CaseMetrics(ctx context.Context, ws int64, f CaseMetricsFilter) (alert.CaseMetrics, error) {
	now := f.Now
	if now.IsZero() {
		now = db.now()
	}
	var l listQuery
	l.add("k.workspace_id = ?", ws)
	if !f.From.IsZero() {
		l.add("k.created_at >= ?", ms(f.From))
	}
	if !f.To.IsZero() {
		l.add("k.created_at < ?", ms(f.To))
	}
	// For each case: times, and for a detractor NPS response behind it,
	// whether a later answer of the same customer to the same survey
	// scored higher.
	q := `SELECT k.created_at, k.due_at, k.closed_at, k.first_contact_at,
		CASE WHEN s.kind = 'nps' AND r.score <= 6 THEN 1 ELSE 0 END,
		CASE WHEN EXISTS (SELECT 1 FROM responses r2 WHERE r2.workspace_id = r.workspace_id AND r2.customer_id = r.customer_id
			AND r2.survey_id = r.survey_id AND r2.submitted_at > r.submitted_at AND r2.score > r.score) THEN 1 ELSE 0 END
		FROM cases k
		LEFT JOIN responses r ON r.workspace_id = k.workspace_id AND r.id = k.response_id
		LEFT JOIN surveys s ON s.workspace_id = r.workspace_id AND s.id = r.survey_id
		WHERE ` + strings.Join(l.where, " AND ")
	rows, err := db.read.QueryContext(ctx, db.q(q), l.args...)
	if err != nil {
		return alert.CaseMetrics{}, fmt.Errorf("store: case metrics: %w", err)
	}
	defer rows.Close()
	var times []alert.CaseTimes
	for rows.Next() {
		var created int64
		var due, closed, contact sql.NullInt64
		var detractor, higher int
		if err := rows.Scan(&created, &due, &closed, &contact, &detractor, &higher); err != nil {
			return alert.CaseMetrics{}, fmt.Errorf("store: case metrics: %w", err)
		}
		times = append(times, alert.CaseTimes{CreatedAt: fromMS(created), DueAt: fromNullMS(due), ClosedAt: fromNullMS(closed),
			FirstContactAt: fromNullMS(contact), Detractor: detractor == 1, Recovered: higher == 1})
	}
	if err := rows.Err(); err != nil {
		return alert.CaseMetrics{}, fmt.Errorf("store: case metrics: %w", err)
	}
	return alert.Metrics(times, now), nil
}
