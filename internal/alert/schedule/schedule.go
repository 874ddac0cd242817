// Package schedule runs the scheduled alert rules (metric change, theme,
// at-risk customer, SLA breach) and the weekly digest: it loads what each
// rule reads from the store, decides with the pure functions of package
// alert, and fires through the store, which writes the alerts, cases,
// webhooks and emails in one transaction. Any number of instances may run
// it on one database: rules are claimed (store.ClaimDueRules) and every
// alert and digest has a unique key, so none fires twice.
package schedule

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/cxlens/cxlens/internal/alert"
	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/metrics"
	"github.com/cxlens/cxlens/internal/report"
	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/text"
	"github.com/cxlens/cxlens/internal/value"
)

// Scheduler evaluates due rules and sends digests.
type Scheduler struct {
	db     *store.DB
	logger *slog.Logger
}

// New returns a scheduler over db; logger nil discards.
func New(db *store.DB, logger *slog.Logger) *Scheduler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{db: db, logger: logger}
}

// Result counts what one RunScheduled did.
type Result struct {
	Rules   int // rules run
	Alerts  int // alerts fired
	Digests int // digests sent
}

// claimBatch is how many rules one claim takes.
const claimBatch = 20

// RunScheduled runs every scheduled rule due at now and sends the weekly
// digests not yet sent. A rule that fails is logged and retried at its
// next run; the first error is returned after the others ran.
func (s *Scheduler) RunScheduled(ctx context.Context, now time.Time) (Result, error) {
	var res Result
	var errs []error
	for {
		due, err := s.db.ClaimDueRules(ctx, now, claimBatch)
		if err != nil {
			return res, err
		}
		for _, d := range due {
			n, err := s.RunRule(ctx, d.WorkspaceID, d.Rule, now)
			res.Rules++
			res.Alerts += n
			if err != nil {
				s.logger.Error("scheduled alert rule", "workspace", d.WorkspaceID, "rule", d.Rule.ID, "kind", d.Rule.Kind, "err", err)
				errs = append(errs, err)
			}
		}
		if len(due) < claimBatch || ctx.Err() != nil {
			break
		}
	}
	n, err := s.SendDigests(ctx, now)
	res.Digests = n
	if err != nil {
		errs = append(errs, err)
	}
	return res, errors.Join(errs...)
}

// Run calls RunScheduled every interval until ctx ends.
func (s *Scheduler) Run(ctx context.Context, every time.Duration, clock func() time.Time) {
	if clock == nil {
		clock = time.Now
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.RunScheduled(ctx, clock()); err != nil && ctx.Err() == nil {
			s.logger.Error("alert scheduler", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunRule evaluates one scheduled rule of workspace ws at now and fires its
// findings; it returns how many alerts were written.
func (s *Scheduler) RunRule(ctx context.Context, ws int64, r alert.Rule, now time.Time) (int, error) {
	var findings []alert.Finding
	var err error
	switch r.Kind {
	case alert.KindMetricChange:
		findings, err = s.metricChange(ctx, ws, r, now)
	case alert.KindEmergingTheme, alert.KindThemeSentiment:
		findings, err = s.themeRule(ctx, ws, r, now)
	case alert.KindAtRisk:
		findings, err = s.atRisk(ctx, ws, r, now)
	case alert.KindSLABreach:
		findings, err = s.slaBreach(ctx, ws, r, now)
	default:
		return 0, fmt.Errorf("schedule: rule %d: kind %q is not scheduled", r.ID, r.Kind)
	}
	if err != nil {
		return 0, fmt.Errorf("schedule: rule %d (%s): %w", r.ID, r.Kind, err)
	}
	fired, err := s.db.FireFindings(ctx, ws, r, findings, now)
	return len(fired), err
}

// responses loads workspace ws's responses submitted in [from, to),
// optionally of one survey.
func (s *Scheduler) responses(ctx context.Context, ws int64, survey string, from, to time.Time) ([]cx.Response, error) {
	return store.All(func(cur string) (store.Page[cx.Response], error) {
		return s.db.Responses(ctx, ws, store.ResponseFilter{ListFilter: store.ListFilter{From: from, To: to, Cursor: cur, Limit: store.MaxLimit}, Survey: survey})
	})
}

func (s *Scheduler) customers(ctx context.Context, ws int64) ([]cx.Customer, error) {
	return store.All(func(cur string) (store.Page[cx.Customer], error) {
		return s.db.Customers(ctx, ws, store.CustomerFilter{Cursor: cur, Limit: store.MaxLimit})
	})
}

// metricChange compares the survey's last 7 days with the 4 weeks before,
// for the rule's segment.
func (s *Scheduler) metricChange(ctx context.Context, ws int64, r alert.Rule, now time.Time) ([]alert.Finding, error) {
	sv, err := s.db.Survey(ctx, ws, r.Survey)
	if err != nil {
		return nil, err
	}
	curFrom, curTo, baseFrom, _ := alert.Periods(now)
	rs, err := s.responses(ctx, ws, r.Survey, baseFrom, curTo)
	if err != nil {
		return nil, err
	}
	var inSegment map[string]bool
	if r.SegmentKey != "" {
		cs, err := s.customers(ctx, ws)
		if err != nil {
			return nil, err
		}
		inSegment = map[string]bool{}
		for _, c := range cs {
			if c.Attributes.String(r.SegmentKey) == r.SegmentValue {
				inSegment[c.ExternalID] = true
			}
		}
	}
	scale := metrics.Scale{Min: sv.ScaleMin, Max: sv.ScaleMax}
	cur, base := metrics.NewDistribution(scale), metrics.NewDistribution(scale)
	for _, x := range rs {
		if x.Score == nil || (inSegment != nil && !inSegment[x.Customer]) {
			continue
		}
		d := &base
		if !x.SubmittedAt.Before(curFrom) {
			d = &cur
		}
		if err := d.Add(*x.Score); err != nil {
			continue // a score outside today's scale (the scale was edited)
		}
	}
	metric := alert.MetricFor(r, sv.Kind)
	d, fires := alert.MetricDrop(r, metric, cur, base)
	if !fires {
		return nil, nil
	}
	return []alert.Finding{alert.MetricFinding(r, metric, d, cur, base, now)}, nil
}

// themedAnswers returns the survey comments of [from, to) with their
// stored themes (the workspace's own codeframe, or the starter one, as
// tagged at ingest, with manual tags), optionally of one survey, and the
// IDs of the workspace's active themes.
func (s *Scheduler) themedAnswers(ctx context.Context, ws int64, survey string, from, to time.Time) ([]store.ThemeRow, []string, error) {
	rows, err := s.db.ThemeRows(ctx, ws, from, to)
	if err != nil {
		return nil, nil, err
	}
	out := rows[:0]
	for _, row := range rows {
		if row.Kind == store.TextResponse && (survey == "" || row.Survey == survey) {
			out = append(out, row)
		}
	}
	cf, err := s.db.Codeframe(ctx, ws)
	if err != nil {
		return nil, nil, err
	}
	var ids []string
	for _, t := range cf.Codeframe.Themes {
		if !slices.Contains(cf.Excluded, t.ID) {
			ids = append(ids, t.ID)
		}
	}
	return out, ids, nil
}

// themeRule compares the comments of the last 7 days with the 7 before.
func (s *Scheduler) themeRule(ctx context.Context, ws int64, r alert.Rule, now time.Time) ([]alert.Finding, error) {
	curFrom := now.Add(-alert.Week)
	rows, ids, err := s.themedAnswers(ctx, ws, r.Survey, curFrom.Add(-alert.Week), now)
	if err != nil {
		return nil, err
	}
	var prev, cur []alert.ThemedAnswer
	for _, row := range rows {
		a := alert.ThemedAnswer{Themes: row.Themes}
		p, ok := text.LabelFromScore(row.SurveyKind, row.Score)
		a.Negative = ok && p == text.Negative
		if row.At.Before(curFrom) {
			prev = append(prev, a)
		} else {
			cur = append(cur, a)
		}
	}
	return alert.ThemeFindings(r, prev, cur, ids, now), nil
}

// atRisk predicts every customer's CLV and P(alive) now and a week ago
// (internal/value, BG/NBD + Gamma-Gamma) and adds their detractor answers
// of the week.
func (s *Scheduler) atRisk(ctx context.Context, ws int64, r alert.Rule, now time.Time) ([]alert.Finding, error) {
	d, err := report.Load(ctx, s.db, ws)
	if err != nil {
		return nil, err
	}
	p, err := value.Predict(d, value.PredictOptions{AsOf: now})
	if err != nil {
		return nil, err
	}
	before, err := value.Predict(d, value.PredictOptions{AsOf: now.Add(-alert.Week)})
	if err != nil {
		return nil, err
	}
	kinds := map[string]cx.SurveyKind{}
	if surveys, err := s.db.Surveys(ctx, ws); err == nil {
		for _, sv := range surveys {
			kinds[sv.Key] = sv.Kind
		}
	} else {
		return nil, err
	}
	if r.Survey != "" {
		// Only that survey's answers count as detractor signals.
		for k := range kinds {
			if k != r.Survey {
				delete(kinds, k)
			}
		}
	}
	type answer struct {
		score int
		id    int64
		at    time.Time
	}
	detractors := map[string]answer{}
	weekAgo := now.Add(-alert.Week)
	for _, x := range d.Responses {
		if x.Score == nil || x.Customer == "" || kinds[x.Survey] != cx.NPS || *x.Score > value.DetractorMax ||
			x.SubmittedAt.Before(weekAgo) || !x.SubmittedAt.Before(now) {
			continue
		}
		if a, ok := detractors[x.Customer]; !ok || x.SubmittedAt.After(a.at) {
			detractors[x.Customer] = answer{score: *x.Score, id: x.ID, at: x.SubmittedAt}
		}
	}
	ids := map[string]int64{}
	for _, c := range d.Customers {
		ids[c.ExternalID] = c.ID
	}
	var cs []alert.ValuedCustomer
	for _, c := range p.Customers {
		if !c.Modelled {
			continue
		}
		v := alert.ValuedCustomer{Customer: c.Customer, CustomerID: ids[c.Customer], PredictedCLV: c.PredictedCLV, PAlive: c.PAlive, PAliveBefore: c.PAlive}
		if b, ok := before.Get(c.Customer); ok && b.Modelled {
			v.PAliveBefore = b.PAlive
		}
		if a, ok := detractors[c.Customer]; ok {
			v.DetractorScore, v.DetractorResponse = a.score, a.id
		}
		cs = append(cs, v)
	}
	return alert.AtRiskFindings(r, cs, now), nil
}

// slaBreach checks the tickets opened in the lookback.
func (s *Scheduler) slaBreach(ctx context.Context, ws int64, r alert.Rule, now time.Time) ([]alert.Finding, error) {
	sla := time.Duration(r.FirstResponseMinutes) * time.Minute
	ts, err := store.All(func(cur string) (store.Page[cx.Ticket], error) {
		return s.db.Tickets(ctx, ws, store.TicketFilter{ListFilter: store.ListFilter{From: now.Add(-alert.SLALookback - sla), To: now, Cursor: cur, Limit: store.MaxLimit}})
	})
	if err != nil {
		return nil, err
	}
	findings := alert.SLAFindings(r, ts, now)
	if len(findings) > 0 {
		// Tickets are listed by external customer id; the alert needs the row id.
		cs, err := s.customers(ctx, ws)
		if err != nil {
			return nil, err
		}
		ids := make(map[string]int64, len(cs))
		for _, c := range cs {
			ids[c.ExternalID] = c.ID
		}
		for i := range findings {
			if findings[i].CustomerID == 0 {
				findings[i].CustomerID = ids[findings[i].Customer]
			}
		}
	}
	return findings, nil
}

// SendDigests sends each workspace with digest subscribers its digest of
// the last ISO week, once: store.SendDigest records the week in the
// transaction that enqueues the emails.
func (s *Scheduler) SendDigests(ctx context.Context, now time.Time) (int, error) {
	wss, err := s.db.Workspaces(ctx)
	if err != nil {
		return 0, fmt.Errorf("schedule: digests: %w", err)
	}
	from, to := alert.WeekBounds(now)
	week := alert.ISOWeek(from)
	sent := 0
	var errs []error
	for _, w := range wss {
		subs, err := s.db.DigestSubscribers(ctx, w.ID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(subs) == 0 {
			continue
		}
		if done, err := s.db.DigestSent(ctx, w.ID, week); err != nil || done {
			if err != nil {
				errs = append(errs, err)
			}
			continue
		}
		d, err := s.Digest(ctx, w, from, to, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var emails []alert.Email
		for _, to := range subs {
			e, err := alert.DigestEmail(to, d)
			if err != nil {
				return sent, err
			}
			emails = append(emails, e)
		}
		ok, err := s.db.SendDigest(ctx, w.ID, week, emails)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			sent++
		}
	}
	return sent, errors.Join(errs...)
}

// Digest computes workspace w's digest of [from, to) as of now.
func (s *Scheduler) Digest(ctx context.Context, w cx.Workspace, from, to, now time.Time) (alert.Digest, error) {
	d := alert.Digest{Workspace: w.Name, Week: alert.ISOWeek(from), From: from, To: to}
	settings, err := s.db.LoopSettings(ctx, w.ID)
	if err != nil {
		return d, err
	}
	d.DashboardURL = settings.DashboardURL
	surveys, err := s.db.Surveys(ctx, w.ID)
	if err != nil {
		return d, err
	}
	rs, err := s.responses(ctx, w.ID, "", from.Add(-alert.Week), to)
	if err != nil {
		return d, err
	}
	bySurvey := map[string][2]metrics.Distribution{}
	for _, sv := range surveys {
		sc := metrics.Scale{Min: sv.ScaleMin, Max: sv.ScaleMax}
		bySurvey[sv.Key] = [2]metrics.Distribution{metrics.NewDistribution(sc), metrics.NewDistribution(sc)}
	}
	for _, x := range rs {
		if pair, ok := bySurvey[x.Survey]; ok && x.Score != nil {
			i := 1
			if !x.SubmittedAt.Before(from) {
				i = 0
			}
			if pair[i].Add(*x.Score) == nil {
				bySurvey[x.Survey] = pair
			}
		}
	}
	rows, _, err := s.themedAnswers(ctx, w.ID, "", from, to)
	if err != nil {
		return d, err
	}
	themeCount := map[string]int{}
	for _, row := range rows {
		for _, id := range row.Themes {
			themeCount[id]++
		}
	}
	for _, sv := range surveys {
		pair := bySurvey[sv.Key]
		if pair[0].N() == 0 && pair[1].N() == 0 {
			continue
		}
		d.KPIs = append(d.KPIs, alert.DigestKPIFor(sv.Key, sv.Kind, pair[0], pair[1]))
	}
	for id, n := range themeCount {
		d.Themes = append(d.Themes, alert.DigestTheme{Theme: id, Comments: n})
	}
	slices.SortFunc(d.Themes, func(a, b alert.DigestTheme) int {
		if c := cmp.Compare(b.Comments, a.Comments); c != 0 {
			return c
		}
		return cmp.Compare(a.Theme, b.Theme)
	})
	d.Themes = d.Themes[:min(5, len(d.Themes))]
	for _, st := range []string{store.CaseOpen, store.CaseInProgress, store.CaseWaiting} {
		cs, err := store.All(func(cur string) (store.Page[store.Case], error) {
			return s.db.Cases(ctx, w.ID, store.CaseFilter{Status: st, Cursor: cur, Limit: store.MaxLimit})
		})
		if err != nil {
			return d, err
		}
		for _, k := range cs {
			d.OpenCases++
			overdue := k.DueAt != nil && k.DueAt.Before(now)
			if overdue {
				d.OverdueCases++
			}
			d.Cases = append(d.Cases, alert.DigestCase{ID: k.ID, Title: k.Title, Owner: k.Owner, Overdue: overdue, URL: alert.CaseURL(d.DashboardURL, k.ID)})
		}
	}
	slices.SortFunc(d.Cases, func(a, b alert.DigestCase) int { return cmp.Compare(a.ID, b.ID) })
	d.Cases = d.Cases[:min(alert.DigestMaxCases, len(d.Cases))]
	return d, nil
}
