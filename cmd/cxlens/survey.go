package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/survey"
	"github.com/cxlens/cxlens/internal/web"
)

// designFlags are the survey design flags shared by create and update.
type designFlags struct {
	designFile, defaultLang, brandColor, logoURL, referralURL string
}

func (d *designFlags) register(fs *flagSet) {
	fs.StringVar(&d.designFile, "design", "", "JSON `file` with the survey design (questions, texts per language, thank-you...; see GET /api/v1/openapi.json SurveyDesign); replaces the design")
	fs.StringVar(&d.defaultLang, "default-language", "", "`language` shown when none of the customer's matches, e.g. en, zh-Hans, zh-Hant, ro")
	fs.StringVar(&d.brandColor, "brand-color", "", "brand `colour` of the survey page, like #1a73e8")
	fs.StringVar(&d.logoURL, "logo-url", "", "`URL` of the logo shown on the survey page")
	fs.StringVar(&d.referralURL, "referral-url", "", "`URL` offered to promoters on the thank-you page (a review or referral page)")
}

// apply changes the design as the flags say.
func (d *designFlags) apply(s *cx.Survey) error {
	if d.designFile != "" {
		b, err := os.ReadFile(d.designFile)
		if err != nil {
			return usageErrorf("--design: %v", err)
		}
		var design cx.SurveyDesign
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&design); err != nil {
			return usageErrorf("--design %s: not a survey design: %v", d.designFile, err)
		}
		s.Design = design
	}
	if d.defaultLang != "" {
		s.Design.DefaultLanguage = d.defaultLang
	}
	if d.brandColor != "" {
		s.Design.BrandColor = d.brandColor
	}
	if d.logoURL != "" {
		s.Design.LogoURL = d.logoURL
	}
	if d.referralURL != "" {
		s.Design.ReferralURL = d.referralURL
	}
	return nil
}

// surveyCreate creates a survey and prints its id on stdout.
func (a *app) surveyCreate(ctx context.Context, args []string) error {
	fs := a.newFlagSet("survey create", "--workspace ID (--kind KIND | --template NAME) --key KEY [flags]",
		"Create a survey and print its id on stdout. Responses name the survey by its key. A template (nps, csat, ces) brings\nthe classic question, follow-ups and thank-you messages in en, zh-Hans, zh-Hant and ro.")
	var ws, kind, key, name, question, template string
	var scaleMin, scaleMax int
	var df designFlags
	a.workspaceVar(fs, &ws)
	fs.StringVar(&kind, "kind", "", "survey `kind`: nps (0–10), csat (1–5), ces (1–7) or custom")
	fs.StringVar(&template, "template", "", "built-in `template`: "+strings.Join(survey.TemplateNames(), ", "))
	fs.StringVar(&key, "key", "", "survey `key` responses refer to: a–z, 0–9, '-' or '_', up to 64")
	fs.StringVar(&name, "name", "", "display `name` (default: the key)")
	fs.StringVar(&question, "question", "", "the question asked (default: the classic wording for the kind)")
	fs.IntVar(&scaleMin, "scale-min", 0, "lowest score (default: the kind's scale)")
	fs.IntVar(&scaleMax, "scale-max", 0, "highest score (default: the kind's scale)")
	df.register(fs)
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	id, err := workspaceID(ws)
	if err != nil {
		return err
	}
	if kind == "" && template == "" {
		return usageErrorf("--kind (nps, csat, ces or custom) or --template (%s) is required", strings.Join(survey.TemplateNames(), ", "))
	}
	if key == "" {
		return usageErrorf("--key is required")
	}
	s := cx.Survey{Key: key, Name: name, Kind: cx.SurveyKind(kind), ScaleMin: scaleMin, ScaleMax: scaleMax, Question: question}
	if template != "" {
		t, err := survey.FromTemplate(template, key)
		if err != nil {
			return usageErrorf("--template: must be one of %s", strings.Join(survey.TemplateNames(), ", "))
		}
		if kind != "" && cx.SurveyKind(kind) != t.Kind {
			return usageErrorf("--kind %s contradicts --template %s (a %s survey); leave --kind out", kind, template, t.Kind)
		}
		if name != "" {
			t.Name = name
		}
		if question != "" {
			t.Question = question
			en := t.Design.Texts["en"]
			en.Question = question
			t.Design.Texts["en"] = en
		}
		if scaleMin != 0 || scaleMax != 0 {
			t.ScaleMin, t.ScaleMax = scaleMin, scaleMax
		}
		s = t
	}
	if err := df.apply(&s); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("survey create: %w", err)
	}
	db, err := a.openDB(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err = db.CreateSurvey(ctx, id, s)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "created %s survey %q (id %d, scale %d–%d, languages %s)\n", s.Kind, s.Key, s.ID, s.ScaleMin, s.ScaleMax, strings.Join(survey.Available(s), ", "))
	fmt.Fprintln(a.stdout, s.ID)
	return nil
}

// surveyList prints a workspace's surveys.
func (a *app) surveyList(ctx context.Context, args []string) error {
	db, id, asJSON, err := a.openListing(ctx, "survey list", "List a workspace's surveys.", args)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Surveys(ctx, id)
	if err != nil {
		return err
	}
	if asJSON {
		return printJSON(a.stdout, list)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKEY\tKIND\tSCALE\tLANGUAGES\tSTATUS\tNAME")
	for _, s := range list {
		status := "active"
		if s.ArchivedAt != nil {
			status = "archived"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d–%d\t%s\t%s\t%s\n", s.ID, s.Key, s.Kind, s.ScaleMin, s.ScaleMax, strings.Join(survey.Available(s), ","), status, s.Name)
	}
	return tw.Flush()
}

// surveyShow prints one survey, as a language shows it.
func (a *app) surveyShow(ctx context.Context, args []string) error {
	fs := a.newFlagSet("survey show", "--workspace ID --key KEY [flags]", "Show a survey: its design and its wording in one language.")
	var ws, key, lang string
	a.workspaceVar(fs, &ws)
	fs.StringVar(&key, "key", "", "survey `key`")
	fs.StringVar(&lang, "lang", "", "show the wording in this `language` (default: the survey's default)")
	asJSON := fs.Bool("json", false, "print the survey as JSON")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	if key == "" {
		return usageErrorf("--key is required")
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := db.Survey(ctx, id, key)
	if err != nil {
		return err
	}
	avail := survey.Available(s)
	l := avail[0]
	if lang != "" {
		if l = survey.Match(lang, avail); l == "" {
			return usageErrorf("--lang %s: survey %q is available in %s", lang, key, strings.Join(avail, ", "))
		}
	}
	if *asJSON {
		return printJSON(a.stdout, s)
	}
	loc := survey.Localize(s, l)
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "key\t%s\nname\t%s\nkind\t%s (%d–%d)\nlanguages\t%s\nshown in\t%s\n", s.Key, s.Name, s.Kind, s.ScaleMin, s.ScaleMax, strings.Join(avail, ", "), l)
	fmt.Fprintf(tw, "question\t%s\nscale labels\t%s … %s\n", loc.Question, loc.LowLabel, loc.HighLabel)
	fmt.Fprintf(tw, "follow-up (detractor)\t%s\nfollow-up (passive)\t%s\nfollow-up (promoter)\t%s\n", loc.FollowUp.Detractor, loc.FollowUp.Passive, loc.FollowUp.Promoter)
	fmt.Fprintf(tw, "thank you (promoter)\t%s\n", loc.ThankYou.Promoter)
	for _, q := range loc.Questions {
		fmt.Fprintf(tw, "question %s (%s)\t%s → attribute %s\n", q.ID, q.Type, q.Label, q.AttributeKey())
	}
	if s.ArchivedAt != nil {
		fmt.Fprintf(tw, "archived\t%s\n", s.ArchivedAt.Format("2006-01-02 15:04"))
	}
	w, err := db.Widget(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(tw, "anonymous link\t%s\n", web.AnonymousLinkPath(w.PublicKey, s.Key))
	fmt.Fprintf(tw, "widget\t<script src=\"/w/widget.js\" data-key=%q data-survey=%q async></script>\n", w.PublicKey, s.Key)
	if len(w.AllowedOrigins) == 0 {
		fmt.Fprintf(tw, "widget origins\tnone allowed yet (PUT /api/v1/widget)\n")
	} else {
		fmt.Fprintf(tw, "widget origins\t%s\n", strings.Join(w.AllowedOrigins, ", "))
	}
	return tw.Flush()
}

// surveyUpdate changes a survey's name, question or design, or archives it.
func (a *app) surveyUpdate(ctx context.Context, args []string) error {
	fs := a.newFlagSet("survey update", "--workspace ID --key KEY [flags]", "Change a survey's name, question or design, or archive (restore) it.")
	var ws, key, name, question string
	var archive, unarchive bool
	var df designFlags
	a.workspaceVar(fs, &ws)
	fs.StringVar(&key, "key", "", "survey `key`")
	fs.StringVar(&name, "name", "", "new display `name`")
	fs.StringVar(&question, "question", "", "new question (in the default language)")
	fs.BoolVar(&archive, "archive", false, "archive the survey: its pages and widget stop taking answers")
	fs.BoolVar(&unarchive, "unarchive", false, "restore an archived survey")
	df.register(fs)
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	if key == "" {
		return usageErrorf("--key is required")
	}
	if archive && unarchive {
		return usageErrorf("--archive and --unarchive contradict each other")
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := db.Survey(ctx, id, key)
	if err != nil {
		return err
	}
	if name != "" {
		s.Name = name
	}
	if question != "" {
		s.Question = question
		if t, ok := s.Design.Texts[s.Design.DefaultLanguage]; ok {
			t.Question = question
			s.Design.Texts[s.Design.DefaultLanguage] = t
		}
	}
	if err := df.apply(&s); err != nil {
		return err
	}
	if s, err = db.UpdateSurvey(ctx, id, s); err != nil {
		if errors.Is(err, cx.ErrInvalid) {
			return fmt.Errorf("survey update: %w", err)
		}
		return err
	}
	if archive || unarchive {
		if s, err = db.ArchiveSurvey(ctx, id, key, archive); err != nil {
			return err
		}
	}
	fmt.Fprintf(a.stderr, "updated survey %q\n", s.Key)
	return nil
}
