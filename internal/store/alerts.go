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

// TopicAlertFired is the outbox topic (and webhook event type) of a fired
// alert whose rule has the webhook action.
const TopicAlertFired = "alert.fired"

// Alert is one firing of a rule on a response.
type Alert struct {
	ID         int64     `json:"id"`
	RuleID     int64     `json:"rule_id"`
	ResponseID int64     `json:"response_id"`
	Customer   string    `json:"customer,omitempty"` // external id; "" for an anonymous response
	DedupKey   string    `json:"dedup_key"`
	FiredAt    time.Time `json:"fired_at"`
	CaseID     int64     `json:"case_id,omitempty"` // the case it opened, if any
	// Subject, Title and Detail describe an alert of a scheduled rule
	// (alert.Finding); ResponseID is 0 for those not caused by a response.
	Subject string         `json:"subject,omitempty"`
	Title   string         `json:"title,omitempty"`
	Detail  map[string]any `json:"detail,omitempty"`

	CustomerID int64 `json:"-"`
}

const alertRuleColumns = `id, name, kind, survey, max_score, min_customer_value, cooldown_seconds, sla_hours, actions, active, created_at, params`

func scanAlertRule(row interface{ Scan(...any) error }) (alert.Rule, error) {
	var r alert.Rule
	var minValue sql.NullFloat64
	var actions string
	var created int64
	var params string
	if err := row.Scan(&r.ID, &r.Name, &r.Kind, &r.Survey, &r.MaxScore, &minValue, &r.CooldownSeconds, &r.SLAHours,
		&actions, &r.Active, &created, &params); err != nil {
		return alert.Rule{}, err
	}
	if err := json.Unmarshal([]byte(params), &r.Params); err != nil {
		return alert.Rule{}, fmt.Errorf("rule %d params: %w", r.ID, err)
	}
	if minValue.Valid {
		r.MinCustomerValue = &minValue.Float64
	}
	r.Actions = []alert.Action{}
	for _, a := range strings.Split(actions, ",") {
		if a != "" {
			r.Actions = append(r.Actions, alert.Action(a))
		}
	}
	r.CreatedAt = fromMS(created)
	return r, nil
}

// CreateAlertRule validates r and stores it, active, in workspace ws.
func (db *DB) CreateAlertRule(ctx context.Context, ws int64, r alert.Rule) (alert.Rule, error) {
	if err := r.Validate(); err != nil {
		return alert.Rule{}, fmt.Errorf("store: create alert rule: %w", err)
	}
	if _, err := db.Workspace(ctx, ws); err != nil {
		return alert.Rule{}, fmt.Errorf("store: create alert rule: %w", err)
	}
	if r.Survey != "" {
		surveys, err := db.surveysByKey(ctx, ws)
		if err != nil {
			return alert.Rule{}, fmt.Errorf("store: create alert rule: %w", err)
		}
		if _, ok := surveys[r.Survey]; !ok {
			return alert.Rule{}, fmt.Errorf("store: create alert rule: %w", cx.Invalid("survey", fmt.Sprintf("no survey with key %q", r.Survey)))
		}
	}
	r.Active, r.CreatedAt = true, db.now().Truncate(time.Millisecond)
	if r.Actions == nil {
		r.Actions = []alert.Action{}
	}
	actions := make([]string, len(r.Actions))
	for i, a := range r.Actions {
		actions[i] = string(a)
	}
	var minValue any
	if r.MinCustomerValue != nil {
		minValue = *r.MinCustomerValue
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		ids, err := db.allocIDs(ctx, tx, "alert_rules", ws, 1)
		if err != nil {
			return err
		}
		r.ID = ids[0]
		params, err := json.Marshal(r.Params)
		if err != nil {
			return fmt.Errorf("encode params: %w", err)
		}
		// A scheduled rule is due at once (next_run_at 0).
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO alert_rules (workspace_id, `+alertRuleColumns+`, next_run_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), ws, r.ID, r.Name, string(r.Kind), r.Survey, r.MaxScore, minValue,
			r.CooldownSeconds, r.SLAHours, strings.Join(actions, ","), r.Active, ms(r.CreatedAt), string(params), 0)
		return err
	})
	if err != nil {
		return alert.Rule{}, fmt.Errorf("store: create alert rule: %w", err)
	}
	return r, nil
}

// AlertRules lists workspace ws's rules, oldest first.
func (db *DB) AlertRules(ctx context.Context, ws int64) ([]alert.Rule, error) {
	out, err := db.queryAlertRules(ctx, db.read, "SELECT "+alertRuleColumns+" FROM alert_rules WHERE workspace_id = ? ORDER BY id", ws)
	if err != nil {
		return nil, fmt.Errorf("store: list alert rules: %w", err)
	}
	return out, nil
}

// AlertRule returns one rule of workspace ws, or cx.ErrNotFound.
func (db *DB) AlertRule(ctx context.Context, ws, id int64) (alert.Rule, error) {
	r, err := scanAlertRule(db.read.QueryRowContext(ctx, db.q("SELECT "+alertRuleColumns+" FROM alert_rules WHERE workspace_id = ? AND id = ?"), ws, id))
	if errors.Is(err, sql.ErrNoRows) {
		return alert.Rule{}, fmt.Errorf("store: alert rule %d: %w", id, cx.ErrNotFound)
	}
	if err != nil {
		return alert.Rule{}, fmt.Errorf("store: alert rule %d: %w", id, err)
	}
	return r, nil
}

// DeleteAlertRule removes a rule; the alerts and cases it raised stay.
func (db *DB) DeleteAlertRule(ctx context.Context, ws, id int64) error {
	res, err := db.write.ExecContext(ctx, db.q("DELETE FROM alert_rules WHERE workspace_id = ? AND id = ?"), ws, id)
	if err != nil {
		return fmt.Errorf("store: delete alert rule %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: delete alert rule %d: %w", id, cx.ErrNotFound)
	}
	return nil
}

func (db *DB) queryAlertRules(ctx context.Context, q dbtx, query string, args ...any) ([]alert.Rule, error) {
	rows, err := q.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []alert.Rule{}
	for rows.Next() {
		r, err := scanAlertRule(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AlertFilter selects alerts; zero fields match all.
type AlertFilter struct {
	RuleID int64
	Cursor string
	Limit  int // default DefaultLimit, at most MaxLimit
}

// Alerts lists workspace ws's alerts, oldest first, a page at a time.
func (db *DB) Alerts(ctx context.Context, ws int64, f AlertFilter) (Page[Alert], error) {
	after, err := decodeCursor(f.Cursor)
	if err != nil {
		return Page[Alert]{}, fmt.Errorf("store: list alerts: %w", err)
	}
	var l listQuery
	l.add("a.workspace_id = ?", ws)
	if after > 0 {
		l.add("a.id > ?", after)
	}
	if f.RuleID != 0 {
		l.add("a.rule_id = ?", f.RuleID)
	}
	limit := clampLimit(f.Limit)
	q := l.sql(`SELECT a.id, a.rule_id, a.response_id, coalesce(c.external_id, ''), a.dedup_key, a.fired_at,
		coalesce((SELECT k.id FROM cases k WHERE k.workspace_id = a.workspace_id AND k.alert_id = a.id), 0), a.subject, a.title, a.detail
		FROM alerts a LEFT JOIN customers c ON c.workspace_id = a.workspace_id AND c.id = a.customer_id`, "a", limit)
	page, err := list(ctx, db, q, l.args, limit, func(row interface{ Scan(...any) error }) (Alert, int64, error) {
		var a Alert
		var fired int64
		var detail string
		if err := row.Scan(&a.ID, &a.RuleID, &a.ResponseID, &a.Customer, &a.DedupKey, &fired, &a.CaseID, &a.Subject, &a.Title, &detail); err != nil {
			return a, 0, err
		}
		if detail != "" {
			if err := json.Unmarshal([]byte(detail), &a.Detail); err != nil {
				return a, 0, fmt.Errorf("alert %d detail: %w", a.ID, err)
			}
		}
		a.FiredAt = fromMS(fired)
		return a, a.ID, nil
	})
	if err != nil {
		return page, fmt.Errorf("store: list alerts: %w", err)
	}
	return page, nil
}

// AlertFired is the data of an alert.fired message: the alert, its rule,
// and the response (score rules, and at-risk detractors) or the case it
// opened, when there is one.
type AlertFired struct {
	Alert    Alert        `json:"alert"`
	Rule     alert.Rule   `json:"rule"`
	Response *cx.Response `json:"response,omitempty"`
	Case     *Case        `json:"case,omitempty"`
	// CaseURL links to the case in the dashboard: the workspace's
	// dashboard_url (loop settings) + /app/cases/{id}, relative when unset.
	CaseURL string `json:"case_url,omitempty"`
}

// evaluateAlerts runs inside the ingest transaction of a response batch:
// for each created response (rs[i] for i in fresh, stored as ids[i]) it
// fires the workspace's active score rules that match, writing the alert
// (once per dedup key), the case and the alert.fired message in tx. With
// no active rule it costs one small query.
func (db *DB) evaluateAlerts(ctx context.Context, tx dbtx, ws int64, rs []cx.Response, ids []int64, fresh []int,
	customers map[string]int64, surveys map[string]cx.Survey, created time.Time) error {
	if len(fresh) == 0 {
		return nil
	}
	rules, err := db.queryAlertRules(ctx, tx, "SELECT "+alertRuleColumns+" FROM alert_rules WHERE workspace_id = ? AND active = ? AND kind = ? ORDER BY id",
		ws, true, string(alert.KindScore))
	if err != nil || len(rules) == 0 {
		if err != nil {
			return fmt.Errorf("load alert rules: %w", err)
		}
		return nil
	}

	// Candidates: responses matching a rule on survey and score.
	type candidate struct {
		i        int
		rule     *alert.Rule
		customer int64
	}
	var cands []candidate
	needValue, needCooldown := map[int64]bool{}, map[int64]bool{}
	for _, i := range fresh {
		s := surveys[rs[i].Survey]
		for k := range rules {
			if !alert.Match(rules[k], rs[i], s) {
				continue
			}
			c := candidate{i: i, rule: &rules[k], customer: customers[rs[i].Customer]}
			if c.customer == 0 && c.rule.MinCustomerValue != nil {
				continue // an anonymous response has no value
			}
			if c.customer != 0 && c.rule.MinCustomerValue != nil {
				needValue[c.customer] = true
			}
			if c.customer != 0 && c.rule.CooldownSeconds > 0 {
				needCooldown[c.customer] = true
			}
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	values, err := db.customerAttributes(ctx, tx, ws, needValue)
	if err != nil {
		return err
	}
	maxCooldown := 0
	for _, r := range rules {
		maxCooldown = max(maxCooldown, r.CooldownSeconds)
	}
	last, err := db.lastAlerts(ctx, tx, ws, needCooldown, created.Add(-time.Duration(maxCooldown)*time.Second))
	if err != nil {
		return err
	}

	// Decide in order, so a cooldown or dedup key also holds within the batch.
	type firing struct {
		a    Alert
		rule *alert.Rule
		resp cx.Response
	}
	var fires []firing
	keys := map[string]bool{}
	for _, c := range cands {
		r := c.rule
		if !alert.ValueQualifies(*r, c.customer != 0, values[c.customer]) {
			continue
		}
		key := [2]int64{r.ID, c.customer}
		if c.customer != 0 && alert.InCooldown(*r, last[key], created) {
			continue
		}
		resp := rs[c.i]
		resp.ID, resp.CreatedAt = ids[c.i], created
		a := Alert{RuleID: r.ID, ResponseID: resp.ID, Customer: resp.Customer, CustomerID: c.customer, FiredAt: created,
			DedupKey: alert.DedupKey(r.ID, c.customer, resp.ID, resp.SubmittedAt)}
		if keys[a.DedupKey] {
			continue
		}
		keys[a.DedupKey] = true
		if c.customer != 0 {
			last[key] = created
		}
		fires = append(fires, firing{a: a, rule: r, resp: resp})
	}
	if len(fires) == 0 {
		return nil
	}
	alertIDs, err := db.allocIDs(ctx, tx, "alerts", ws, len(fires))
	if err != nil {
		return err
	}
	for n := range fires {
		fires[n].a.ID = alertIDs[n]
	}
	list := make([]Alert, len(fires))
	for n := range fires {
		list[n] = fires[n].a
	}
	inserted, err := db.insertAlerts(ctx, tx, ws, list)
	if err != nil {
		return err
	}

	var out []fired
	for _, f := range fires {
		if inserted[f.a.ID] {
			resp := f.resp
			out = append(out, fired{alert: f.a, rule: f.rule, resp: &resp})
		}
	}
	return db.actOnAlerts(ctx, tx, ws, out, created)
}

// insertAlertsSQL is a multi-row insert of n alerts that skips those whose
// dedup key is already stored and returns the ids it wrote.
func insertAlertsSQL(n int) string {
	tuple := "(" + placeholders(10) + ")"
	return "INSERT INTO alerts (workspace_id, id, rule_id, response_id, customer_id, dedup_key, fired_at, subject, title, detail) VALUES " +
		strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ") + " ON CONFLICT (workspace_id, dedup_key) DO NOTHING RETURNING id"
}

// insertAlerts writes alerts (their ids allocated), skipping those whose
// dedup key is already stored, and returns the ids it wrote.
func (db *DB) insertAlerts(ctx context.Context, tx dbtx, ws int64, alerts []Alert) (map[int64]bool, error) {
	out := map[int64]bool{}
	for start := 0; start < len(alerts); start += 500 {
		chunk := alerts[start:min(start+500, len(alerts))]
		args := make([]any, 0, 10*len(chunk))
		for _, a := range chunk {
			detail := ""
			if len(a.Detail) > 0 {
				b, err := json.Marshal(a.Detail)
				if err != nil {
					return nil, fmt.Errorf("encode alert detail: %w", err)
				}
				detail = string(b)
			}
			args = append(args, ws, a.ID, a.RuleID, a.ResponseID, nullID(a.CustomerID), a.DedupKey, ms(a.FiredAt), a.Subject, a.Title, detail)
		}
		rows, err := tx.QueryContext(ctx, db.q(insertAlertsSQL(len(chunk))), args...)
		if err != nil {
			return nil, fmt.Errorf("insert alerts: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("insert alerts: %w", err)
			}
			out[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("insert alerts: %w", err)
		}
	}
	return out, nil
}

// customerAttributes loads the attributes of the customers in ids.
func (db *DB) customerAttributes(ctx context.Context, tx dbtx, ws int64, ids map[int64]bool) (map[int64]cx.Attributes, error) {
	out := map[int64]cx.Attributes{}
	err := db.queryByCustomer(ctx, tx, "SELECT id, attributes FROM customers WHERE workspace_id = ? AND id IN (%s)", ws, ids, nil,
		func(rows *sql.Rows) error {
			var id int64
			var attrs []byte
			if err := rows.Scan(&id, &attrs); err != nil {
				return err
			}
			a, err := decodeAttrs(attrs)
			out[id] = a
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("load customer values: %w", err)
	}
	return out, nil
}

// lastAlerts returns, per (rule, customer), the last time a rule fired for
// one of the customers in ids since since.
func (db *DB) lastAlerts(ctx context.Context, tx dbtx, ws int64, ids map[int64]bool, since time.Time) (map[[2]int64]time.Time, error) {
	out := map[[2]int64]time.Time{}
	err := db.queryByCustomer(ctx, tx, "SELECT rule_id, customer_id, max(fired_at) FROM alerts WHERE workspace_id = ? AND customer_id IN (%s) AND fired_at >= ? GROUP BY rule_id, customer_id",
		ws, ids, []any{ms(since)}, func(rows *sql.Rows) error {
			var rule, customer, at int64
			if err := rows.Scan(&rule, &customer, &at); err != nil {
				return err
			}
			out[[2]int64{rule, customer}] = fromMS(at)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load last alerts: %w", err)
	}
	return out, nil
}

// queryByCustomer runs query (with %s for the customer id placeholders)
// over ids in chunks, with ws before and extra after the ids.
func (db *DB) queryByCustomer(ctx context.Context, tx dbtx, query string, ws int64, ids map[int64]bool, extra []any, scan func(*sql.Rows) error) error {
	list := make([]int64, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	if len(list) == 0 {
		return nil
	}
	if db.dialect == Postgres {
		// One array parameter: a single plan however many ids, where an IN
		// list of a thousand placeholders costs PostgreSQL a parse per size.
		args := append([]any{ws, list}, extra...)
		return scanAll(tx.QueryContext(ctx, db.q(strings.Replace(query, "IN (%s)", "= ANY(?)", 1)), args...))(scan)
	}
	for start := 0; start < len(list); start += 1000 {
		chunk := list[start:min(start+1000, len(list))]
		args := make([]any, 0, len(chunk)+1+len(extra))
		args = append(args, ws)
		for _, id := range chunk {
			args = append(args, id)
		}
		args = append(args, extra...)
		rows, err := tx.QueryContext(ctx, db.q(fmt.Sprintf(query, placeholders(len(chunk)))), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// scanAll runs scan over every row of a query's result.
func scanAll(rows *sql.Rows, err error) func(scan func(*sql.Rows) error) error {
	return func(scan func(*sql.Rows) error) error {
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
}
