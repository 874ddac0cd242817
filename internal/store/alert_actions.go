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

// TopicCustomerAtRisk is the outbox topic (and webhook event type) an
// at_risk rule with the webhook action writes besides alert.fired; the
// payload is the alert (its detail holds the predicted CLV and P(alive)).
const TopicCustomerAtRisk = "customer.at_risk"

// TopicMailSend is the outbox topic of an email (mail.Envelope JSON), sent
// by the mail worker.
const TopicMailSend = "mail.send"

// fired is an alert just written, with what its actions need.
type fired struct {
	alert Alert
	rule  *alert.Rule
	resp  *cx.Response   // the response behind it, if any
	find  *alert.Finding // the finding of a scheduled rule, if any
	k     *Case
}

// actOnAlerts takes the actions of alerts just inserted, in tx: it opens
// the cases (owner from the assignment rules, due date from the rule's
// SLA), writes alert.fired for subscribed webhooks, and enqueues the
// emails of rules with the email action.
func (db *DB) actOnAlerts(ctx context.Context, tx dbtx, ws int64, list []fired, now time.Time) error {
	if len(list) == 0 {
		return nil
	}
	var cases []*fired
	for n := range list {
		if list[n].rule.Has(alert.ActionCreateCase) {
			cases = append(cases, &list[n])
		}
	}
	if len(cases) > 0 {
		ids, err := db.allocIDs(ctx, tx, "cases", ws, len(cases))
		if err != nil {
			return err
		}
		ks := make([]*Case, len(cases))
		for n, f := range cases {
			var k Case
			if f.resp != nil && f.find == nil {
				k = caseFor(*f.rule, f.alert, *f.resp, now)
			} else {
				k = Case{AlertID: f.alert.ID, Customer: f.alert.Customer, CustomerID: f.alert.CustomerID, ResponseID: f.alert.ResponseID,
					Status: CaseOpen, Title: f.alert.Title, CreatedAt: now, UpdatedAt: now}
				if len(k.Title) > cx.MaxShortText*2 {
					k.Title = k.Title[:cx.MaxShortText*2]
				}
				if f.rule.SLAHours > 0 {
					due := now.Add(time.Duration(f.rule.SLAHours) * time.Hour)
					k.DueAt = &due
				}
			}
			k.ID = ids[n]
			f.alert.CaseID = k.ID
			f.k = &k
			ks[n] = &k
		}
		if err := db.assignOwners(ctx, tx, ws, ks); err != nil {
			return err
		}
		rows := make([][]any, len(ks))
		for n, k := range ks {
			rows[n] = caseRow(ws, *k)
		}
		if err := db.insertRows(ctx, tx, "cases", caseColumns, rows); err != nil {
			return err
		}
	}

	var msgs []Message
	hooked, mailed := false, false
	for _, f := range list {
		hooked = hooked || f.rule.Has(alert.ActionWebhook)
		mailed = mailed || f.rule.Has(alert.ActionEmail)
	}
	if hooked && list[0].rule.Kind == alert.KindAtRisk { // one rule per scheduled run
		ok, err := db.subscribed(ctx, tx, ws, TopicCustomerAtRisk)
		if err != nil {
			return err
		}
		for _, f := range list {
			if !ok || f.rule.Kind != alert.KindAtRisk || !f.rule.Has(alert.ActionWebhook) {
				continue
			}
			b, err := json.Marshal(f.alert)
			if err != nil {
				return fmt.Errorf("encode %s: %w", TopicCustomerAtRisk, err)
			}
			msgs = append(msgs, Message{Topic: TopicCustomerAtRisk, Payload: b})
		}
	}
	base := ""
	if (hooked || mailed) && len(cases) > 0 {
		var err error
		if base, _, err = db.loopSettings(ctx, tx, ws); err != nil {
			return err
		}
	}
	if hooked {
		ok, err := db.subscribed(ctx, tx, ws, TopicAlertFired)
		if err != nil {
			return err
		}
		for _, f := range list {
			if !ok || !f.rule.Has(alert.ActionWebhook) {
				continue
			}
			ev := AlertFired{Alert: f.alert, Rule: *f.rule, Response: f.resp, Case: f.k}
			if f.k != nil {
				ev.CaseURL = alert.CaseURL(base, f.k.ID)
			}
			b, err := json.Marshal(ev)
			if err != nil {
				return fmt.Errorf("encode %s: %w", TopicAlertFired, err)
			}
			msgs = append(msgs, Message{Topic: TopicAlertFired, Payload: b})
		}
	}
	for _, f := range list {
		if !f.rule.Has(alert.ActionEmail) {
			continue
		}
		owner := ""
		if f.k != nil {
			owner = f.k.Owner
		}
		nt := alert.Notice{AlertID: f.alert.ID, Rule: f.rule.Name, Title: f.alert.Title, Customer: f.alert.Customer, FiredAt: f.alert.FiredAt}
		if f.k != nil {
			nt.Title, nt.CaseID, nt.CaseURL = f.k.Title, f.k.ID, alert.CaseURL(base, f.k.ID)
		}
		if f.resp != nil {
			nt.Survey, nt.Score, nt.Comment = f.resp.Survey, f.resp.Score, f.resp.Comment
		}
		for _, to := range alert.Recipients(*f.rule, owner) {
			e, err := alert.AlertEmail(to, nt)
			if err != nil {
				return err
			}
			b, err := json.Marshal(e)
			if err != nil {
				return fmt.Errorf("encode %s: %w", TopicMailSend, err)
			}
			msgs = append(msgs, Message{Topic: TopicMailSend, Payload: b})
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	_, err := db.enqueueTx(ctx, tx, ws, msgs)
	return err
}

// loopSettings reads workspace ws's notification settings: the dashboard
// URL ("" when unset).
func (db *DB) loopSettings(ctx context.Context, q dbtx, ws int64) (dashboardURL string, ok bool, err error) {
	err = q.QueryRowContext(ctx, db.q("SELECT dashboard_url FROM loop_settings WHERE workspace_id = ?"), ws).Scan(&dashboardURL)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("load loop settings: %w", err)
	}
	return dashboardURL, true, nil
}

// LoopSettings are a workspace's notification settings.
type LoopSettings struct {
	// DashboardURL is the public address of the dashboard, e.g.
	// https://cx.example.com, for the case links in emails and Slack
	// messages; "" gives links relative to the server.
	DashboardURL string `json:"dashboard_url"`
	// DigestSubscribers receive the weekly digest email.
	DigestSubscribers []string `json:"digest_subscribers"`
}

// LoopSettings returns workspace ws's notification settings.
func (db *DB) LoopSettings(ctx context.Context, ws int64) (LoopSettings, error) {
	var s LoopSettings
	var err error
	if s.DashboardURL, _, err = db.loopSettings(ctx, db.read, ws); err != nil {
		return s, fmt.Errorf("store: loop settings: %w", err)
	}
	if s.DigestSubscribers, err = db.DigestSubscribers(ctx, ws); err != nil {
		return s, err
	}
	return s, nil
}

// SetLoopSettings replaces workspace ws's notification settings.
func (db *DB) SetLoopSettings(ctx context.Context, ws int64, s LoopSettings) (LoopSettings, error) {
	s.DashboardURL = strings.TrimRight(strings.TrimSpace(s.DashboardURL), "/")
	var errs []cx.FieldError
	if s.DashboardURL != "" && !(strings.HasPrefix(s.DashboardURL, "https://") || strings.HasPrefix(s.DashboardURL, "http://")) || len(s.DashboardURL) > 2048 {
		errs = append(errs, cx.FieldError{Field: "dashboard_url", Reason: "must be an absolute http or https URL (at most 2048 characters), or empty"})
	}
	subs, bad := normalizeEmails(s.DigestSubscribers)
	if bad != "" {
		errs = append(errs, cx.FieldError{Field: "digest_subscribers", Reason: bad})
	}
	if len(errs) > 0 {
		return LoopSettings{}, fmt.Errorf("store: set loop settings: %w", &cx.ValidationError{Fields: errs})
	}
	if _, err := db.Workspace(ctx, ws); err != nil {
		return LoopSettings{}, fmt.Errorf("store: set loop settings: %w", err)
	}
	s.DigestSubscribers = subs
	now := ms(db.now())
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO loop_settings (workspace_id, dashboard_url) VALUES (?, ?)
			ON CONFLICT (workspace_id) DO UPDATE SET dashboard_url = excluded.dashboard_url`), ws, s.DashboardURL); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q("DELETE FROM digest_subscribers WHERE workspace_id = ?"), ws); err != nil {
			return err
		}
		for _, e := range subs {
			if _, err := tx.ExecContext(ctx, db.q("INSERT INTO digest_subscribers (workspace_id, email, created_at) VALUES (?, ?, ?)"), ws, e, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return LoopSettings{}, fmt.Errorf("store: set loop settings: %w", err)
	}
	return s, nil
}

// normalizeEmails trims, validates and deduplicates addresses; bad names
// the first invalid one.
func normalizeEmails(in []string) (out []string, bad string) {
	if len(in) > alert.MaxSubscribers {
		return nil, fmt.Sprintf("at most %d addresses", alert.MaxSubscribers)
	}
	r := alert.Rule{Name: "x", Params: alert.Params{Subscribers: in}}
	if err := r.Validate(); err != nil {
		var ve *cx.ValidationError
		if errors.As(err, &ve) {
			for _, f := range ve.Fields {
				if f.Field == "subscribers" {
					return nil, f.Reason
				}
			}
		}
	}
	return r.Subscribers, ""
}
