package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/distribution"
)

// InvitationFilter narrows ListInvitations.
type InvitationFilter struct {
	Survey   string // survey key
	Status   string
	Channel  string
	Customer string // external id
	From, To time.Time
	Cursor   string
	Limit    int
}

// ListInvitations lists workspace ws's invitations in creation order, a
// page at a time.
func (db *DB) ListInvitations(ctx context.Context, ws int64, f InvitationFilter) (Page[cx.Invitation], error) {
	var l listQuery
	if err := l.common(ws, "i", "created_at", ListFilter{From: f.From, To: f.To, Customer: f.Customer, Cursor: f.Cursor}); err != nil {
		return Page[cx.Invitation]{}, fmt.Errorf("store: list invitations: %w", err)
	}
	if f.Survey != "" {
		l.add("s.key = ?", f.Survey)
	}
	if f.Status != "" {
		l.add("i.status = ?", f.Status)
	}
	if f.Channel != "" {
		l.add("i.channel = ?", f.Channel)
	}
	limit := clampLimit(f.Limit)
	page, err := list(ctx, db, l.sql("SELECT "+invitationColumns+invitationFrom, "i", limit), l.args, limit,
		func(row interface{ Scan(...any) error }) (cx.Invitation, int64, error) {
			in, err := scanInvitation(row)
			return in, in.ID, err
		})
	if err != nil {
		return page, fmt.Errorf("store: list invitations: %w", err)
	}
	return page, nil
}

// CreateThrottledInvitations creates invitations like CreateInvitations,
// after asking the throttle about each: one the policy refuses (other than
// for quiet hours, which only postpone sending) is stored with status
// suppressed and the reason in its error, so the refusal is on record and
// a retry with the same idempotency key changes nothing. An email
// invitation without an address takes the customer's.
func (db *DB) CreateThrottledInvitations(ctx context.Context, ws int64, list []cx.Invitation, now time.Time) ([]cx.Invitation, error) {
	if len(list) > MaxInvitationBatch {
		return nil, fmt.Errorf("store: create invitations: %w", cx.Invalid("items", fmt.Sprintf("at most %d invitations per batch, got %d", MaxInvitationBatch, len(list))))
	}
	surveys, err := db.surveysByKey(ctx, ws)
	if err != nil {
		return nil, fmt.Errorf("store: create invitations: %w", err)
	}
	list = append([]cx.Invitation(nil), list...)
	for i := range list {
		in := &list[i]
		var cust cx.Customer
		if in.Customer != "" {
			c, err := db.customerTx(ctx, db.read, ws, in.Customer)
			if err == nil {
				cust = c
				if in.Email == "" && (in.Channel == "" || in.Channel == cx.ChannelEmail) {
					in.Email = c.Email
				}
			}
		}
		s, ok := surveys[in.Survey]
		if !ok || (in.Status != "" && in.Status != cx.InvitationScheduled) {
			continue // CreateInvitations reports the unknown survey
		}
		at := now // judged as of sending: a delayed invitation may outlive a recontact limit
		if in.ScheduledAt.After(now) {
			at = in.ScheduledAt
		}
		reason, err := db.maySurvey(ctx, db.read, ws, cust.ID, s.ID, in.Email, at)
		if err != nil {
			return nil, fmt.Errorf("store: create invitations: %w", err)
		}
		if reason != "" && reason != distribution.ReasonQuietHours {
			in.Status, in.Error = cx.InvitationSuppressed, reason
		}
	}
	return db.CreateInvitations(ctx, ws, list)
}

// wsInvitation is an invitation with its workspace.
type wsInvitation struct {
	ws int64
	cx.Invitation
}

type prefixScan struct {
	row   interface{ Scan(...any) error }
	first any
}

func (p prefixScan) Scan(dst ...any) error { return p.row.Scan(append([]any{p.first}, dst...)...) }

func (db *DB) wsInvitations(ctx context.Context, where string, args ...any) ([]wsInvitation, error) {
	rows, err := db.read.QueryContext(ctx, db.q("SELECT i.workspace_id, "+invitationColumns+invitationFrom+
		" LEFT JOIN survey_distribution sd ON sd.workspace_id = i.workspace_id AND sd.survey_id = i.survey_id WHERE "+where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []wsInvitation
	for rows.Next() {
		var w wsInvitation
		in, err := scanInvitation(prefixScan{rows, &w.ws})
		if err != nil {
			return nil, err
		}
		w.Invitation = in
		out = append(out, w)
	}
	return out, rows.Err()
}

// RenderFunc makes the outbox message (a "mail.send") of invitation in of
// workspace ws, or of its reminder.
type RenderFunc func(ctx context.Context, ws int64, in cx.Invitation, reminder bool) (Message, error)

// DispatchResult counts what DispatchDue did.
type DispatchResult struct {
	Sent, Reminded, Postponed, Suppressed, Failed int
}

// DispatchDue sends, in every workspace, up to limit email invitations due
// at now and up to limit reminders: each passes the throttle again (the
// list may have changed since it was created); one in quiet hours is
// postponed to their end; one refused is marked suppressed with the
// reason; the rest are rendered and enqueued as mail in the same
// transaction that marks them sent (or reminded) — one transaction per
// call, so a batch costs one commit — guarded by their status,
// so concurrent dispatchers never send one twice and a crash never loses one.
func (db *DB) DispatchDue(ctx context.Context, now time.Time, limit int, render RenderFunc) (DispatchResult, error) {
	var res DispatchResult
	if limit <= 0 {
		limit = 100
	}
	due, err := db.wsInvitations(ctx, `i.status = ? AND i.channel = ? AND i.scheduled_at <= ? ORDER BY i.scheduled_at LIMIT ?`,
		string(cx.InvitationScheduled), cx.ChannelEmail, ms(now), limit)
	if err != nil {
		return res, fmt.Errorf("store: dispatch: %w", err)
	}
	var pending []pendingSend
	for _, in := range due {
		if err := db.dispatchOne(ctx, now, in, false, render, &res, &pending); err != nil {
			return res, fmt.Errorf("store: dispatch invitation %d: %w", in.ID, err)
		}
	}
	if err := db.flushSends(ctx, now, pending, &res); err != nil {
		return res, fmt.Errorf("store: dispatch: %w", err)
	}
	// Reminders: sent, unanswered, not reminded, still open, sent at least
	// the survey's reminder_days ago (default 3; 0 turns reminders off).
	days := "coalesce(sd.reminder_days, 3)"
	rem, err := db.wsInvitations(ctx, `i.status = ? AND i.channel = ? AND i.answered_at IS NULL AND i.reminded_at IS NULL
		AND i.expires_at > ? AND `+days+` > 0 AND i.sent_at <= ? - `+days+` * CAST(86400000 AS BIGINT) ORDER BY i.sent_at LIMIT ?`,
		string(cx.InvitationSent), cx.ChannelEmail, ms(now), ms(now), limit)
	if err != nil {
		return res, fmt.Errorf("store: dispatch reminders: %w", err)
	}
	pending = pending[:0]
	for _, in := range rem {
		if err := db.dispatchOne(ctx, now, in, true, render, &res, &pending); err != nil {
			return res, fmt.Errorf("store: dispatch reminder %d: %w", in.ID, err)
		}
	}
	if err := db.flushSends(ctx, now, pending, &res); err != nil {
		return res, fmt.Errorf("store: dispatch reminders: %w", err)
	}
	return res, nil
}

func (db *DB) dispatchOne(ctx context.Context, now time.Time, in wsInvitation, reminder bool, render RenderFunc, res *DispatchResult, pending *[]pendingSend) error {
	ws := in.ws
	if !reminder && !now.Before(in.ExpiresAt) {
		res.Failed++
		return db.setInvitation(ctx, ws, in.ID, "status = ?, error = ?", string(cx.InvitationFailed), "expired before it was sent")
	}
	t, err := db.throttle(ctx, db.read, ws)
	if err != nil {
		return err
	}
	loc, err := db.workspaceLocation(ctx, db.read, ws)
	if err != nil {
		return err
	}
	subj, err := db.subject(ctx, db.read, ws, in.CustomerID, in.Email)
	if err != nil {
		return err
	}
	if until, quiet := t.QuietUntil(now, t.Location(subj.Attributes, loc)); quiet {
		res.Postponed++
		if reminder {
			return nil // picked up again after the quiet hours
		}
		return db.setInvitation(ctx, ws, in.ID, "scheduled_at = ?", ms(until))
	}
	if reminder {
		// A reminder asks again about the same invitation: the recontact
		// limit and the sample do not apply, the customer's wishes do.
		if subj.Suppressed || distribution.DoNotSurvey(subj.Attributes) {
			return nil
		}
	} else {
		p, err := db.surveyPolicy(ctx, db.read, ws, in.SurveyID)
		if err != nil {
			return err
		}
		if reason := distribution.Decide(t, p, subj, in.SurveyID, now, loc); reason != "" {
			res.Suppressed++
			return db.setInvitation(ctx, ws, in.ID, "status = ?, error = ?", string(cx.InvitationSuppressed), reason)
		}
	}
	msg, err := render(ctx, ws, in.Invitation, reminder)
	if err != nil {
		res.Failed++
		return db.setInvitation(ctx, ws, in.ID, "status = ?, error = ?", string(cx.InvitationFailed), errText(err))
	}
	*pending = append(*pending, pendingSend{ws: ws, id: in.ID, reminder: reminder, msg: msg})
	return nil
}

// pendingSend is an invitation (or reminder) rendered and ready to be
// marked and enqueued.
type pendingSend struct {
	ws       int64
	id       int64
	reminder bool
	msg      Message
}

// flushSends marks each pending invitation sent (or reminded) and enqueues
// its mail, in one transaction: the status guard in the UPDATE skips one
// another dispatcher marked first, so none is sent twice.
func (db *DB) flushSends(ctx context.Context, now time.Time, pending []pendingSend, res *DispatchResult) error {
	if len(pending) == 0 {
		return nil
	}
	var sent, reminded int
	err := db.inWriteTx(ctx, func(tx dbtx) error {
		sent, reminded = 0, 0
		for _, p := range pending {
			var r sql.Result
			var err error
			if p.reminder {
				r, err = tx.ExecContext(ctx, db.q(`UPDATE invitations SET reminded_at = ? WHERE workspace_id = ? AND id = ?
					AND reminded_at IS NULL AND answered_at IS NULL AND status = ?`), ms(now), p.ws, p.id, string(cx.InvitationSent))
			} else {
				r, err = tx.ExecContext(ctx, db.q(`UPDATE invitations SET status = ?, sent_at = ? WHERE workspace_id = ? AND id = ? AND status = ?`),
					string(cx.InvitationSent), ms(now), p.ws, p.id, string(cx.InvitationScheduled))
			}
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n == 0 {
				continue // another dispatcher got there first
			}
			if _, err := db.enqueueTx(ctx, tx, p.ws, []Message{p.msg}); err != nil {
				return err
			}
			if p.reminder {
				reminded++
			} else {
				sent++
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	res.Sent += sent
	res.Reminded += reminded
	return nil
}

func (db *DB) setInvitation(ctx context.Context, ws, id int64, set string, args ...any) error {
	args = append(args, ws, id)
	_, err := db.write.ExecContext(ctx, db.q("UPDATE invitations SET "+set+" WHERE workspace_id = ? AND id = ?"), args...)
	return err
}

// FunnelRow counts one channel and language's invitations.
type FunnelRow struct {
	Channel    string `json:"channel"`
	Language   string `json:"language"`
	Invited    int64  `json:"invited"`    // created, whatever became of them
	Suppressed int64  `json:"suppressed"` // refused by the throttle or the suppression list
	Sent       int64  `json:"sent"`
	Delivered  int64  `json:"delivered"` // accepted by the mail relay (email only)
	Opened     int64  `json:"opened"`    // survey page viewed
	Answered   int64  `json:"answered"`  // score given
}

// Add adds o's counts to r, as a total row does; r keeps its channel and
// language.
func (r *FunnelRow) Add(o FunnelRow) {
	r.Invited += o.Invited
	r.Suppressed += o.Suppressed
	r.Sent += o.Sent
	r.Delivered += o.Delivered
	r.Opened += o.Opened
	r.Answered += o.Answered
}

// ResponseRate is answered / sent, or nil when nothing was sent.
func ResponseRate(answered, sent int64) *float64 {
	if sent == 0 {
		return nil
	}
	x := float64(answered) / float64(sent)
	return &x
}

// Funnel counts survey key's invitations created in [from, to) (zero
// times: unbounded) per channel and language; an empty key counts every
// survey's.
func (db *DB) Funnel(ctx context.Context, ws int64, key string, from, to time.Time) ([]FunnelRow, error) {
	var l listQuery
	l.add("i.workspace_id = ?", ws)
	if key != "" {
		s, err := db.Survey(ctx, ws, key)
		if err != nil {
			return nil, fmt.Errorf("store: funnel: %w", err)
		}
		l.add("i.survey_id = ?", s.ID)
	}
	if !from.IsZero() {
		l.add("i.created_at >= ?", ms(from))
	}
	if !to.IsZero() {
		l.add("i.created_at < ?", ms(to))
	}
	where := ""
	for i, w := range l.where {
		if i > 0 {
			where += " AND "
		}
		where += w
	}
	rows, err := db.read.QueryContext(ctx, db.q(`SELECT i.channel, i.language, count(*),
		sum(CASE WHEN i.status = 'suppressed' THEN 1 ELSE 0 END),
		sum(CASE WHEN i.sent_at IS NOT NULL THEN 1 ELSE 0 END),
		sum(CASE WHEN i.delivered_at IS NOT NULL THEN 1 ELSE 0 END),
		sum(CASE WHEN i.opened_at IS NOT NULL THEN 1 ELSE 0 END),
		sum(CASE WHEN i.answered_at IS NOT NULL THEN 1 ELSE 0 END)
		FROM invitations i WHERE `+where+` GROUP BY i.channel, i.language ORDER BY i.channel, i.language`), l.args...)
	if err != nil {
		return nil, fmt.Errorf("store: funnel: %w", err)
	}
	defer rows.Close()
	out := []FunnelRow{}
	for rows.Next() {
		var r FunnelRow
		if err := rows.Scan(&r.Channel, &r.Language, &r.Invited, &r.Suppressed, &r.Sent, &r.Delivered, &r.Opened, &r.Answered); err != nil {
			return nil, fmt.Errorf("store: funnel: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: funnel: %w", err)
	}
	return out, nil
}
