package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/distribution"
)

// Throttle returns workspace ws's contact policy (zero: no limits).
func (db *DB) Throttle(ctx context.Context, ws int64) (distribution.Throttle, error) {
	t, err := db.throttle(ctx, db.read, ws)
	if err != nil {
		return t, fmt.Errorf("store: throttle: %w", err)
	}
	return t, nil
}

func (db *DB) throttle(ctx context.Context, q querier, ws int64) (distribution.Throttle, error) {
	var t distribution.Throttle
	err := q.QueryRowContext(ctx, db.q("SELECT recontact_days, quiet_start, quiet_end, time_zone FROM throttle_settings WHERE workspace_id = ?"), ws).
		Scan(&t.RecontactDays, &t.QuietStart, &t.QuietEnd, &t.TimeZone)
	if errors.Is(err, sql.ErrNoRows) {
		return distribution.Throttle{}, nil
	}
	return t, err
}

// SetThrottle replaces workspace ws's contact policy.
func (db *DB) SetThrottle(ctx context.Context, ws int64, t distribution.Throttle) error {
	if err := t.Validate(); err != nil {
		return fmt.Errorf("store: set throttle: %w", err)
	}
	if _, err := db.Workspace(ctx, ws); err != nil {
		return fmt.Errorf("store: set throttle: %w", err)
	}
	_, err := db.write.ExecContext(ctx, db.q(`INSERT INTO throttle_settings (workspace_id, recontact_days, quiet_start, quiet_end, time_zone, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id) DO UPDATE SET recontact_days = excluded.recontact_days,
		quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, time_zone = excluded.time_zone, updated_at = excluded.updated_at`),
		ws, t.RecontactDays, t.QuietStart, t.QuietEnd, t.TimeZone, ms(db.now()))
	if err != nil {
		return fmt.Errorf("store: set throttle: %w", err)
	}
	return nil
}

// SurveyPolicies returns the distribution settings of workspace ws's
// surveys that have any, by survey key; others use DefaultSurveyPolicy.
func (db *DB) SurveyPolicies(ctx context.Context, ws int64) (map[string]distribution.SurveyPolicy, error) {
	rows, err := db.read.QueryContext(ctx, db.q(`SELECT s.key, d.sample_percent, d.reminder_days FROM survey_distribution d
		JOIN surveys s ON s.workspace_id = d.workspace_id AND s.id = d.survey_id WHERE d.workspace_id = ?`), ws)
	if err != nil {
		return nil, fmt.Errorf("store: survey policies: %w", err)
	}
	defer rows.Close()
	out := map[string]distribution.SurveyPolicy{}
	for rows.Next() {
		var k string
		var p distribution.SurveyPolicy
		if err := rows.Scan(&k, &p.SamplePercent, &p.ReminderDays); err != nil {
			return nil, fmt.Errorf("store: survey policies: %w", err)
		}
		out[k] = p
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: survey policies: %w", err)
	}
	return out, nil
}

func (db *DB) surveyPolicy(ctx context.Context, q querier, ws, surveyID int64) (distribution.SurveyPolicy, error) {
	p := distribution.DefaultSurveyPolicy
	err := q.QueryRowContext(ctx, db.q("SELECT sample_percent, reminder_days FROM survey_distribution WHERE workspace_id = ? AND survey_id = ?"), ws, surveyID).
		Scan(&p.SamplePercent, &p.ReminderDays)
	if errors.Is(err, sql.ErrNoRows) {
		return distribution.DefaultSurveyPolicy, nil
	}
	return p, err
}

// SetSurveyPolicy sets the distribution settings of survey key.
func (db *DB) SetSurveyPolicy(ctx context.Context, ws int64, key string, p distribution.SurveyPolicy) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("store: set survey policy: %w", err)
	}
	s, err := db.Survey(ctx, ws, key)
	if err != nil {
		return fmt.Errorf("store: set survey policy: %w", err)
	}
	_, err = db.write.ExecContext(ctx, db.q(`INSERT INTO survey_distribution (workspace_id, survey_id, sample_percent, reminder_days, updated_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (workspace_id, survey_id) DO UPDATE SET sample_percent = excluded.sample_percent,
		reminder_days = excluded.reminder_days, updated_at = excluded.updated_at`), ws, s.ID, p.SamplePercent, p.ReminderDays, ms(db.now()))
	if err != nil {
		return fmt.Errorf("store: set survey policy: %w", err)
	}
	return nil
}

// workspaceLocation returns workspace ws's time zone.
func (db *DB) workspaceLocation(ctx context.Context, q querier, ws int64) (*time.Location, error) {
	var tz string
	if err := q.QueryRowContext(ctx, db.q("SELECT time_zone FROM workspaces WHERE id = ?"), ws).Scan(&tz); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("workspace %d: %w", ws, cx.ErrNotFound)
		}
		return nil, err
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.UTC, nil
	}
	return loc, nil
}

// subject gathers what the policy needs about customer id (0: unknown)
// reached at email.
func (db *DB) subject(ctx context.Context, q querier, ws, customerID int64, email string) (distribution.Subject, error) {
	s := distribution.Subject{CustomerID: customerID}
	if customerID != 0 {
		var attrs []byte
		var cEmail string
		err := q.QueryRowContext(ctx, db.q("SELECT attributes, email FROM customers WHERE workspace_id = ? AND id = ?"), ws, customerID).Scan(&attrs, &cEmail)
		if errors.Is(err, sql.ErrNoRows) {
			return s, fmt.Errorf("customer %d: %w", customerID, cx.ErrNotFound)
		}
		if err != nil {
			return s, err
		}
		if s.Attributes, err = decodeAttrs(attrs); err != nil {
			return s, err
		}
		if email == "" {
			email = cEmail
		}
		var last sql.NullInt64
		// The latest contact: an invitation sent or a response given.
		err = q.QueryRowContext(ctx, db.q(`SELECT max(t) FROM (
			SELECT max(sent_at) AS t FROM invitations WHERE workspace_id = ? AND customer_id = ?
			UNION ALL SELECT max(submitted_at) AS t FROM responses WHERE workspace_id = ? AND customer_id = ?) x`),
			ws, customerID, ws, customerID).Scan(&last)
		if err != nil {
			return s, err
		}
		s.LastSurveyed = fromNullMS(last)
	}
	sup, err := db.suppressed(ctx, q, ws, email)
	s.Suppressed = sup
	return s, err
}

// MaySurvey reports whether customer customerID of workspace ws may be
// asked to answer survey surveyID at now, and if not why (a
// distribution.Reason…): the suppression list (the customer's email), the
// do_not_survey attribute, the survey's sample, the workspace's recontact
// limit (any invitation sent or response given in the last N days, across
// surveys) and quiet hours in the customer's time zone.
func (db *DB) MaySurvey(ctx context.Context, ws, customerID, surveyID int64, now time.Time) (ok bool, reason string, err error) {
	reason, err = db.maySurvey(ctx, db.read, ws, customerID, surveyID, "", now)
	if err != nil {
		return false, "", fmt.Errorf("store: may survey: %w", err)
	}
	return reason == "", reason, nil
}

func (db *DB) maySurvey(ctx context.Context, q querier, ws, customerID, surveyID int64, email string, now time.Time) (string, error) {
	t, err := db.throttle(ctx, q, ws)
	if err != nil {
		return "", err
	}
	p, err := db.surveyPolicy(ctx, q, ws, surveyID)
	if err != nil {
		return "", err
	}
	loc, err := db.workspaceLocation(ctx, q, ws)
	if err != nil {
		return "", err
	}
	s, err := db.subject(ctx, q, ws, customerID, email)
	if err != nil {
		return "", err
	}
	return distribution.Decide(t, p, s, surveyID, now, loc), nil
}
