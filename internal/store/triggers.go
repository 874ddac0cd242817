package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/distribution"
)

const triggerColumns = `t.id, s.key, t.survey_id, t.name, t.source, t.event_type, t.delay_seconds, t.every_days, t.language,
	t.touchpoint, t.enabled, t.watermark, t.created_at, t.updated_at`

const triggerFrom = ` FROM triggers t JOIN surveys s ON s.workspace_id = t.workspace_id AND s.id = t.survey_id`

func scanTrigger(row interface{ Scan(...any) error }) (distribution.Trigger, error) {
	var t distribution.Trigger
	var enabled int
	var created, updated int64
	err := row.Scan(&t.ID, &t.Survey, &t.SurveyID, &t.Name, &t.Source, &t.EventType, &t.DelaySeconds, &t.EveryDays, &t.Language,
		&t.Touchpoint, &enabled, &t.Watermark, &created, &updated)
	t.Enabled = enabled != 0
	t.CreatedAt, t.UpdatedAt = fromMS(created), fromMS(updated)
	return t, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateTrigger stores trigger rule t for workspace ws. It looks only at
// what happens after its creation: its watermark starts at the newest
// event, or now for resolved tickets.
func (db *DB) CreateTrigger(ctx context.Context, ws int64, t distribution.Trigger) (distribution.Trigger, error) {
	if err := t.Validate(); err != nil {
		return t, fmt.Errorf("store: create trigger: %w", err)
	}
	s, err := db.Survey(ctx, ws, t.Survey)
	if errors.Is(err, cx.ErrNotFound) {
		return t, fmt.Errorf("store: create trigger: %w", cx.Invalid("survey", fmt.Sprintf("no survey with key %q", t.Survey)))
	}
	if err != nil {
		return t, fmt.Errorf("store: create trigger: %w", err)
	}
	t.SurveyID = s.ID
	now := db.now().Truncate(time.Millisecond)
	t.CreatedAt, t.UpdatedAt = now, now
	err = db.inWriteTx(ctx, func(tx dbtx) error {
		switch t.Source {
		case distribution.SourceEvent:
			if err := tx.QueryRowContext(ctx, db.q("SELECT coalesce(max(id), 0) FROM events WHERE workspace_id = ?"), ws).Scan(&t.Watermark); err != nil {
				return err
			}
		case distribution.SourceTicketResolved:
			t.Watermark = ms(now)
		}
		ids, err := db.allocIDs(ctx, tx, "triggers", ws, 1)
		if err != nil {
			return err
		}
		t.ID = ids[0]
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO triggers (workspace_id, id, survey_id, name, source, event_type, delay_seconds,
			every_days, language, touchpoint, enabled, watermark, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			ws, t.ID, t.SurveyID, t.Name, t.Source, t.EventType, t.DelaySeconds, t.EveryDays, t.Language, t.Touchpoint,
			boolInt(t.Enabled), t.Watermark, ms(now), ms(now))
		return err
	})
	if err != nil {
		return t, fmt.Errorf("store: create trigger: %w", err)
	}
	return t, nil
}

// Triggers lists workspace ws's trigger rules by id.
func (db *DB) Triggers(ctx context.Context, ws int64) ([]distribution.Trigger, error) {
	return db.triggers(ctx, "t.workspace_id = ? ORDER BY t.id", ws)
}

func (db *DB) triggers(ctx context.Context, where string, args ...any) ([]distribution.Trigger, error) {
	rows, err := db.read.QueryContext(ctx, db.q("SELECT "+triggerColumns+triggerFrom+" WHERE "+where), args...)
	if err != nil {
		return nil, fmt.Errorf("store: triggers: %w", err)
	}
	defer rows.Close()
	out := []distribution.Trigger{}
	for rows.Next() {
		t, err := scanTrigger(rows)
		if err != nil {
			return nil, fmt.Errorf("store: triggers: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: triggers: %w", err)
	}
	return out, nil
}

// Trigger returns one trigger rule, or cx.ErrNotFound.
func (db *DB) Trigger(ctx context.Context, ws, id int64) (distribution.Trigger, error) {
	t, err := scanTrigger(db.read.QueryRowContext(ctx, db.q("SELECT "+triggerColumns+triggerFrom+" WHERE t.workspace_id = ? AND t.id = ?"), ws, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("store: trigger %d: %w", id, cx.ErrNotFound)
	}
	if err != nil {
		return t, fmt.Errorf("store: trigger %d: %w", id, err)
	}
	return t, nil
}

// UpdateTrigger replaces trigger rule t.ID's settings (its survey, source
// and watermark stay).
func (db *DB) UpdateTrigger(ctx context.Context, ws int64, t distribution.Trigger) (distribution.Trigger, error) {
	old, err := db.Trigger(ctx, ws, t.ID)
	if err != nil {
		return t, err
	}
	if t.Survey == "" {
		t.Survey = old.Survey
	}
	if t.Source == "" {
		t.Source = old.Source
	}
	if t.Survey != old.Survey || t.Source != old.Source {
		return t, fmt.Errorf("store: update trigger: %w", cx.Invalid("survey", "a trigger's survey and source cannot change; create a new trigger"))
	}
	if err := t.Validate(); err != nil {
		return t, fmt.Errorf("store: update trigger: %w", err)
	}
	now := db.now().Truncate(time.Millisecond)
	_, err = db.write.ExecContext(ctx, db.q(`UPDATE triggers SET name = ?, event_type = ?, delay_seconds = ?, every_days = ?, language = ?,
		touchpoint = ?, enabled = ?, updated_at = ? WHERE workspace_id = ? AND id = ?`),
		t.Name, t.EventType, t.DelaySeconds, t.EveryDays, t.Language, t.Touchpoint, boolInt(t.Enabled), ms(now), ws, t.ID)
	if err != nil {
		return t, fmt.Errorf("store: update trigger: %w", err)
	}
	return db.Trigger(ctx, ws, t.ID)
}

// DeleteTrigger deletes a trigger rule; its invitations stay.
func (db *DB) DeleteTrigger(ctx context.Context, ws, id int64) error {
	res, err := db.write.ExecContext(ctx, db.q("DELETE FROM triggers WHERE workspace_id = ? AND id = ?"), ws, id)
	if err != nil {
		return fmt.Errorf("store: delete trigger: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: delete trigger %d: %w", id, cx.ErrNotFound)
	}
	return nil
}

// triggerBatch is how many source rows one trigger takes per run.
const triggerBatch = 500

// RunTriggers evaluates every enabled trigger rule of every workspace at
// now: events and resolved tickets after its watermark, and for periodic
// rules the customers with an email not invited to the survey in the last
// every_days. Invitations go through CreateThrottledInvitations with the
// idempotency key trigger:ID:source, so a row seen twice (a crash between
// creating and moving the watermark) never doubles an invitation. It
// returns how many invitations it created or found.
func (db *DB) RunTriggers(ctx context.Context, now time.Time) (int, error) {
	rows, err := db.read.QueryContext(ctx, db.q("SELECT t.workspace_id, "+triggerColumns+triggerFrom+" WHERE t.enabled = 1 ORDER BY t.workspace_id, t.id"))
	if err != nil {
		return 0, fmt.Errorf("store: run triggers: %w", err)
	}
	type wsTrigger struct {
		ws int64
		t  distribution.Trigger
	}
	var all []wsTrigger
	for rows.Next() {
		var w wsTrigger
		if w.t, err = scanTrigger(prefixScan{rows, &w.ws}); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: run triggers: %w", err)
		}
		all = append(all, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("store: run triggers: %w", err)
	}
	total := 0
	for _, w := range all {
		n, err := db.runTrigger(ctx, w.ws, w.t, now)
		if err != nil {
			return total, fmt.Errorf("store: run trigger %d: %w", w.t.ID, err)
		}
		total += n
	}
	return total, nil
}

func (db *DB) runTrigger(ctx context.Context, ws int64, t distribution.Trigger, now time.Time) (int, error) {
	var list []cx.Invitation
	mark := t.Watermark
	base := func(customer, email, ref string, at time.Time) cx.Invitation {
		return cx.Invitation{Survey: t.Survey, Customer: customer, Email: email, Channel: cx.ChannelEmail, Language: t.Language,
			Touchpoint: t.Touchpoint, TriggerID: t.ID, ScheduledAt: at.Add(t.Delay()), IdempotencyKey: t.IdempotencyKey(ref)}
	}
	var q string
	var args []any
	switch t.Source {
	case distribution.SourceEvent:
		q = `SELECT e.id, e.occurred_at, e.attributes, c.external_id, c.email FROM events e
			JOIN customers c ON c.workspace_id = e.workspace_id AND c.id = e.customer_id
			WHERE e.workspace_id = ? AND e.type = ? AND e.id > ? ORDER BY e.id LIMIT ?`
		args = []any{ws, t.EventType, t.Watermark, triggerBatch}
	case distribution.SourceTicketResolved:
		// >= the watermark: tickets resolved in the same millisecond as
		// the last one seen are looked at again; their keys dedupe them.
		q = `SELECT tk.id, tk.resolved_at, tk.attributes, c.external_id, c.email, tk.external_id, tk.agent, tk.channel FROM tickets tk
			JOIN customers c ON c.workspace_id = tk.workspace_id AND c.id = tk.customer_id
			WHERE tk.workspace_id = ? AND tk.resolved_at >= ? AND tk.resolved_at <= ?
			AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.workspace_id = tk.workspace_id
				AND i.idempotency_key = ? || CAST(tk.id AS TEXT))
			ORDER BY tk.resolved_at, tk.id LIMIT ?`
		args = []any{ws, t.Watermark, ms(now), t.IdempotencyKey("ticket:"), triggerBatch}
	case distribution.SourcePeriodic:
		since := now.Add(-time.Duration(t.EveryDays) * 24 * time.Hour)
		q = `SELECT c.id, 0, c.attributes, c.external_id, c.email FROM customers c
			WHERE c.workspace_id = ? AND c.email <> '' AND c.erased_at IS NULL AND c.churned_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.workspace_id = c.workspace_id AND i.customer_id = c.id
				AND i.survey_id = ? AND i.created_at > ?) ORDER BY c.id LIMIT ?`
		args = []any{ws, t.SurveyID, ms(since), triggerBatch}
	default:
		return 0, nil
	}
	rows, err := db.read.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var id, at int64
		var attrs []byte
		var ext, email string
		var tkExt, agent, channel string
		dst := []any{&id, &at, &attrs, &ext, &email}
		if t.Source == distribution.SourceTicketResolved {
			dst = append(dst, &tkExt, &agent, &channel)
		}
		if err := rows.Scan(dst...); err != nil {
			rows.Close()
			return 0, err
		}
		a, err := decodeAttrs(attrs)
		if err != nil {
			rows.Close()
			return 0, err
		}
		var in cx.Invitation
		switch t.Source {
		case distribution.SourceEvent:
			mark = max(mark, id)
			in = base(ext, email, "event:"+strconv.FormatInt(id, 10), fromMS(at))
			in.TouchpointRef = "event:" + strconv.FormatInt(id, 10)
			if ref, ok := a["order_id"].(string); ok && ref != "" {
				in.TouchpointRef = ref
			}
			in.Attributes = cx.Attributes{}
			for _, k := range []string{"agent", "channel", "store", "product", "region"} {
				if v, ok := a[k]; ok {
					in.Attributes[k] = v
				}
			}
		case distribution.SourceTicketResolved:
			mark = max(mark, at)
			in = base(ext, email, "ticket:"+strconv.FormatInt(id, 10), fromMS(at))
			in.TouchpointRef = tkExt
			if in.TouchpointRef == "" {
				in.TouchpointRef = "ticket:" + strconv.FormatInt(id, 10)
			}
			in.Attributes = cx.Attributes{}
			if agent != "" {
				in.Attributes["agent"] = agent
			}
			if channel != "" {
				in.Attributes["channel"] = channel
			}
		case distribution.SourcePeriodic:
			in = base(ext, email, fmt.Sprintf("periodic:%d:%d", id, t.Period(now)), now)
		}
		if email == "" {
			continue // nowhere to send it
		}
		list = append(list, in)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(list) > 0 {
		if _, err := db.CreateThrottledInvitations(ctx, ws, list, now); err != nil {
			return 0, err
		}
	}
	if mark != t.Watermark {
		if _, err := db.write.ExecContext(ctx, db.q("UPDATE triggers SET watermark = ? WHERE workspace_id = ? AND id = ? AND watermark < ?"),
			mark, ws, t.ID, mark); err != nil {
			return 0, err
		}
	}
	return len(list), nil
}
