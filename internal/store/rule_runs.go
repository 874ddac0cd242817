package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cxlens/cxlens/internal/alert"
)

// DueRule is a scheduled rule claimed for a run.
type DueRule struct {
	WorkspaceID int64
	Rule        alert.Rule
}

// ClaimDueRules claims up to n active scheduled rules (every kind but
// score) whose next run is due at now, and moves each one's next run to
// now + its EveryMinutes before returning them, in one transaction. On
// PostgreSQL the candidates are locked with FOR UPDATE SKIP LOCKED, so
// instances running the scheduler at once claim disjoint rules; SQLite has
// one writer. A run that crashes is simply retried at the next run time;
// the alerts' dedup keys keep a rule that runs twice from firing twice.
func (db *DB) ClaimDueRules(ctx context.Context, now time.Time, n int) ([]DueRule, error) {
	if n <= 0 {
		return nil, fmt.Errorf("store: claim due rules: %w", errInvalidN)
	}
	lock := ""
	if db.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []DueRule
	err := db.inWriteTx(ctx, func(tx dbtx) error {
		rows, err := tx.QueryContext(ctx, db.q(`SELECT workspace_id, `+alertRuleColumns+` FROM alert_rules
			WHERE active = ? AND kind <> ? AND next_run_at <= ? ORDER BY next_run_at, workspace_id, id LIMIT ?`+lock),
			true, string(alert.KindScore), ms(now), n)
		if err != nil {
			return err
		}
		for rows.Next() {
			var d DueRule
			var ws int64
			r, err := scanAlertRule(scanPrefix{row: rows, first: &ws})
			if err != nil {
				rows.Close()
				return err
			}
			d.WorkspaceID, d.Rule = ws, r
			out = append(out, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range out {
			every := max(d.Rule.EveryMinutes, 1)
			next := now.Add(time.Duration(every) * time.Minute)
			if _, err := tx.ExecContext(ctx, db.q("UPDATE alert_rules SET next_run_at = ? WHERE workspace_id = ? AND id = ?"),
				ms(next), d.WorkspaceID, d.Rule.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim due rules: %w", err)
	}
	return out, nil
}

var errInvalidN = fmt.Errorf("n must be positive")

// scanPrefix scans one leading column into first, then the rest with row.
type scanPrefix struct {
	row interface {
		Scan(...any) error
	}
	first *int64
}

func (s scanPrefix) Scan(dest ...any) error { return s.row.Scan(append([]any{s.first}, dest...)...) }

// FireFindings writes the alerts of scheduled rule r's findings in
// workspace ws at now and takes the rule's actions, in one transaction. A
// finding is skipped when its dedup key is already stored (one incident
// alerts once, even when two instances run the rule at once) or when the
// rule fired on the same subject within its cooldown. It returns the
// alerts written.
func (db *DB) FireFindings(ctx context.Context, ws int64, r alert.Rule, findings []alert.Finding, now time.Time) ([]Alert, error) {
	if len(findings) == 0 {
		return nil, nil
	}
	now = now.Truncate(time.Millisecond)
	var out []Alert
	err := db.inWriteTx(ctx, func(tx dbtx) error {
		out = nil
		last := map[string]time.Time{}
		if r.CooldownSeconds > 0 {
			rows, err := tx.QueryContext(ctx, db.q(`SELECT subject, max(fired_at) FROM alerts WHERE workspace_id = ? AND rule_id = ? AND fired_at >= ?
				GROUP BY subject`), ws, r.ID, ms(now.Add(-time.Duration(r.CooldownSeconds)*time.Second)))
			if err != nil {
				return fmt.Errorf("load last alerts: %w", err)
			}
			for rows.Next() {
				var subject string
				var at int64
				if err := rows.Scan(&subject, &at); err != nil {
					rows.Close()
					return err
				}
				last[subject] = fromMS(at)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		var alerts []Alert
		var finds []alert.Finding
		keys := map[string]bool{}
		for _, f := range findings {
			if keys[f.DedupKey] || alert.InCooldown(r, last[f.Subject], now) {
				continue
			}
			keys[f.DedupKey] = true
			last[f.Subject] = now
			alerts = append(alerts, Alert{RuleID: r.ID, ResponseID: f.ResponseID, Customer: f.Customer, CustomerID: f.CustomerID,
				DedupKey: f.DedupKey, FiredAt: now, Subject: f.Subject, Title: f.Title, Detail: f.Detail})
			finds = append(finds, f)
		}
		if len(alerts) == 0 {
			return nil
		}
		ids, err := db.allocIDs(ctx, tx, "alerts", ws, len(alerts))
		if err != nil {
			return err
		}
		for i := range alerts {
			alerts[i].ID = ids[i]
		}
		inserted, err := db.insertAlerts(ctx, tx, ws, alerts)
		if err != nil {
			return err
		}
		var list []fired
		for i, a := range alerts {
			if inserted[a.ID] {
				list = append(list, fired{alert: a, rule: &r, find: &finds[i]})
			}
		}
		if err := db.actOnAlerts(ctx, tx, ws, list, now); err != nil {
			return err
		}
		for _, f := range list {
			out = append(out, f.alert)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: fire alerts of rule %d: %w", r.ID, err)
	}
	return out, nil
}

// DigestSubscribers lists the addresses that receive workspace ws's
// weekly digest.
func (db *DB) DigestSubscribers(ctx context.Context, ws int64) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, db.q("SELECT email FROM digest_subscribers WHERE workspace_id = ? ORDER BY email"), ws)
	if err != nil {
		return nil, fmt.Errorf("store: digest subscribers: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, fmt.Errorf("store: digest subscribers: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: digest subscribers: %w", err)
	}
	return out, nil
}

// SendDigest records workspace ws's digest of ISO week and enqueues its
// emails (alert.Email, as mail.Envelope) in the same transaction, unless
// that week's digest was already recorded: then it does nothing and
// returns false. The (workspace, week) key makes each digest go out once
// however many instances try.
func (db *DB) SendDigest(ctx context.Context, ws int64, week string, emails []alert.Email) (bool, error) {
	sent := false
	err := db.inWriteTx(ctx, func(tx dbtx) error {
		res, err := tx.ExecContext(ctx, db.q("INSERT INTO digests_sent (workspace_id, week, sent_at) VALUES (?, ?, ?) ON CONFLICT (workspace_id, week) DO NOTHING"),
			ws, week, ms(db.now()))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		sent = true
		msgs := make([]Message, len(emails))
		for i, e := range emails {
			b, err := json.Marshal(e)
			if err != nil {
				return fmt.Errorf("encode digest: %w", err)
			}
			msgs[i] = Message{Topic: TopicMailSend, Payload: b}
		}
		if len(msgs) == 0 {
			return nil
		}
		_, err = db.enqueueTx(ctx, tx, ws, msgs)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: send digest %s: %w", week, err)
	}
	return sent, nil
}

// DigestSent reports whether workspace ws's digest of ISO week went out.
func (db *DB) DigestSent(ctx context.Context, ws int64, week string) (bool, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, db.q("SELECT count(*) FROM digests_sent WHERE workspace_id = ? AND week = ?"), ws, week).Scan(&n); err != nil {
		return false, fmt.Errorf("store: digest sent: %w", err)
	}
	return n > 0, nil
}
