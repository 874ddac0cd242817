package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// inviteSend creates an email invitation; a running `cxlens serve` with
// --smtp-host sends it when due.
func (a *app) inviteSend(ctx context.Context, args []string) error {
	fs := a.newFlagSet("invite send", "--workspace ID --survey KEY --customer EXT [flags]",
		"Invite a customer to answer a survey by email. The invitation passes the suppression list and the\n"+
			"throttle (or is stored as suppressed, with the reason); `cxlens serve --smtp-host …` sends it when due.")
	var ws, surveyKey, customer, email, lang, touchpoint, ref, sendAt, key string
	var attrs stringList
	a.workspaceVar(fs, &ws)
	fs.StringVar(&surveyKey, "survey", "", "survey `key`")
	fs.StringVar(&customer, "customer", "", "the customer's external `id` (created when new)")
	fs.StringVar(&email, "email", "", "`address` to send to; default the customer's email")
	fs.StringVar(&lang, "language", "", "BCP 47 `tag` of the email and survey page: en, zh-Hans, zh-Hant, ro")
	fs.StringVar(&touchpoint, "touchpoint", "", "`touchpoint` asked about, e.g. support or delivery")
	fs.StringVar(&ref, "touchpoint-ref", "", "the ticket or order `id` asked about")
	fs.Var(&attrs, "attr", "`key=value` attribute copied to the response (agent, channel, …); repeatable")
	fs.StringVar(&sendAt, "send-at", "", "RFC 3339 `time` to send at; default now")
	fs.StringVar(&key, "idempotency-key", "", "`key` that makes a repeated command create one invitation")
	asJSON := fs.Bool("json", false, "print the invitation as JSON")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	if surveyKey == "" {
		return usageErrorf("--survey is required (a survey key; see cxlens survey list)")
	}
	if customer == "" {
		return usageErrorf("--customer is required (the customer's external id)")
	}
	in := cx.Invitation{Survey: surveyKey, Customer: customer, Email: email, Channel: cx.ChannelEmail, Language: lang,
		Touchpoint: touchpoint, TouchpointRef: ref, IdempotencyKey: key, Attributes: cx.Attributes{}}
	for _, kv := range attrs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return usageErrorf("--attr: %q is not key=value", kv)
		}
		in.Attributes[k] = v
	}
	if sendAt != "" {
		t, err := time.Parse(time.RFC3339, sendAt)
		if err != nil {
			return usageErrorf("--send-at: %q is not an RFC 3339 time like 2026-03-01T09:00:00Z", sendAt)
		}
		in.ScheduledAt = t
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	out, err := db.CreateThrottledInvitations(ctx, id, []cx.Invitation{in}, time.Now())
	if err != nil {
		return err
	}
	got := out[0]
	if *asJSON {
		return printJSON(a.stdout, got)
	}
	fmt.Fprintf(a.stdout, "invitation %d to %s: %s", got.ID, got.Email, got.Status)
	if got.Error != "" {
		fmt.Fprintf(a.stdout, " (%s)", got.Error)
	}
	fmt.Fprintf(a.stdout, ", due %s\n", got.ScheduledAt.Format(time.RFC3339))
	return nil
}

// inviteList lists invitations.
func (a *app) inviteList(ctx context.Context, args []string) error {
	fs := a.newFlagSet("invite list", "--workspace ID [flags]", "List a workspace's invitations, oldest first, with their status and delivery times.")
	var ws string
	var f store.InvitationFilter
	a.workspaceVar(fs, &ws)
	fs.StringVar(&f.Survey, "survey", "", "only this survey `key`")
	fs.StringVar(&f.Status, "status", "", "only this `status`: scheduled, sent, failed, suppressed or cancelled")
	fs.StringVar(&f.Customer, "customer", "", "only this customer's external `id`")
	fs.StringVar(&f.Cursor, "cursor", "", "`cursor` printed at the end of the previous page")
	fs.IntVar(&f.Limit, "limit", 100, "at most `n` invitations (1–1000)")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	switch cx.InvitationStatus(f.Status) {
	case "", cx.InvitationScheduled, cx.InvitationSent, cx.InvitationFailed, cx.InvitationSuppressed, cx.InvitationCancelled:
	default:
		return usageErrorf("--status: %q: want scheduled, sent, failed, suppressed or cancelled", f.Status)
	}
	if f.Limit < 1 || f.Limit > store.MaxLimit {
		return usageErrorf("--limit: must be 1–%d", store.MaxLimit)
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	page, err := db.ListInvitations(ctx, id, f)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(a.stdout, page)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSURVEY\tCUSTOMER\tEMAIL\tLANG\tSTATUS\tSCHEDULED\tSENT\tOPENED\tANSWERED\tNOTE")
	for _, in := range page.Items {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", in.ID, in.Survey, in.Customer, in.Email, dash(in.Language), in.Status,
			in.ScheduledAt.Format(time.RFC3339), timeOrDash(in.SentAt), timeOrDash(in.OpenedAt), timeOrDash(in.AnsweredAt), dash(in.Error))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if page.NextCursor != "" {
		fmt.Fprintf(a.stderr, "more: --cursor %s\n", page.NextCursor)
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
