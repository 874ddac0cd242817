package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cxlens/cxlens/internal/store"
	"github.com/cxlens/cxlens/internal/text"
	"github.com/cxlens/cxlens/internal/text/themes"
)

// textDiscover proposes a codeframe from a workspace's comments.
func (a *app) textDiscover(ctx context.Context, args []string) error {
	fs := a.newFlagSet("text discover", "--workspace ID [flags]",
		"Propose a codeframe (themes, optionally with sub-themes, each with terms per language)\n"+
			"from the workspace's most recent 100,000 comments and feedback items, without labels.\n"+
			"With --apply it becomes the workspace's codeframe and every comment is re-tagged.")
	var ws, format string
	a.workspaceVar(fs, &ws)
	n := fs.Int("themes", 10, "number of top-level `themes`, 1–50")
	sub := fs.Int("sub-themes", 0, "sub-themes per theme, 0–10")
	apply := fs.Bool("apply", false, "save the proposal as the workspace's codeframe and re-tag")
	fs.StringVar(&format, "format", "table", "output `format`: table or json")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	if _, err := workspaceID(ws); err != nil {
		return err
	}
	switch {
	case *n < 1 || *n > 50:
		return usageErrorf("--themes: must be 1–50")
	case *sub < 0 || *sub > 10:
		return usageErrorf("--sub-themes: must be 0–10")
	case format != "table" && format != "json":
		return usageErrorf("--format: %q is not table or json", format)
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	d, count, err := db.DiscoverThemes(ctx, id, themes.DiscoverOptions{Themes: *n, SubThemes: *sub})
	if err != nil {
		return err
	}
	retagged := 0
	if *apply {
		if retagged, err = db.SaveCodeframe(ctx, id, store.CodeframeChange{Codeframe: d.Codeframe}); err != nil {
			return err
		}
	}
	if format == "json" {
		return printJSON(a.stdout, struct {
			Comments int            `json:"comments"`
			Themes   []themes.Theme `json:"themes"`
			Applied  bool           `json:"applied"`
			Retagged int            `json:"retagged"`
		}{count, d.Codeframe.Themes, *apply, retagged})
	}
	fmt.Fprintf(a.stdout, "%d themes from %d comments\n\n", len(d.Codeframe.Themes), count)
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPARENT\tNAME\tTERMS")
	for _, t := range d.Codeframe.Themes {
		var terms []string
		for _, l := range []string{"en", "ro", "zh"} {
			for i, term := range t.Terms[l] {
				if i == 6 {
					break
				}
				terms = append(terms, term)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.ID, t.Parent, t.Name, strings.Join(terms, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if *apply {
		fmt.Fprintf(a.stdout, "\napplied; %d comments re-tagged\n", retagged)
	}
	return nil
}

// textTag rebuilds everything derived from a workspace's comments.
func (a *app) textTag(ctx context.Context, args []string) error {
	fs := a.newFlagSet("text tag", "--workspace ID",
		"Re-train the workspace's sentiment model from its scored comments (or fall back to the\n"+
			"builtin lexicon with too few), then re-analyse every comment and feedback item:\n"+
			"language, sentiment and themes. Manual tags and removals are kept.")
	var ws string
	a.workspaceVar(fs, &ws)
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	if _, err := workspaceID(ws); err != nil {
		return err
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	info, n, err := db.RebuildText(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%d comments analysed; sentiment model: %s", n, info.Model)
	if info.Model == text.ModelWorkspace {
		fmt.Fprintf(a.stdout, " (%d scored comments, ECE %.3f)", info.Examples, info.ECE)
	} else if info.Reason != "" {
		fmt.Fprintf(a.stdout, " (%s)", info.Reason)
	}
	fmt.Fprintln(a.stdout)
	return nil
}

// textEval measures sentiment on the workspace's own scored comments.
func (a *app) textEval(ctx context.Context, args []string) error {
	fs := a.newFlagSet("text eval", "--workspace ID [flags]",
		"Evaluate sentiment on the workspace's scored comments: labels come from the scores\n"+
			"(NPS 9–10 positive, 0–6 negative; CSAT 4–5 / 1–2; CES 5–7 / 1–3; neutral scores left\n"+
			"out). Rows are split deterministically (row index % 10 == 7 is the test slice); a\n"+
			"workspace model is trained on the rest and scored on the test slice, beside the\n"+
			"builtin lexicon.")
	var ws, format string
	a.workspaceVar(fs, &ws)
	fs.StringVar(&format, "format", "table", "output `format`: table or json")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	if _, err := workspaceID(ws); err != nil {
		return err
	}
	if format != "table" && format != "json" {
		return usageErrorf("--format: %q is not table or json", format)
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	comments, err := db.ScoredComments(ctx, id)
	if err != nil {
		return err
	}
	an := store.TextAnalyzer()
	var train []text.ScoredComment
	type row struct {
		tokens []string
		label  text.Polarity
	}
	var test []row
	n := 0
	for _, c := range comments {
		label, ok := text.LabelFromScore(c.Kind, c.Score)
		if !ok || label == text.Neutral {
			continue
		}
		if text.IsTestRow(n) {
			test = append(test, row{an.AnalyzeAs(c.Text, c.Lang).Tokens, label})
		} else {
			train = append(train, c)
		}
		n++
	}
	type result struct {
		Model    string  `json:"model"`
		Test     int     `json:"test_comments"`
		Accuracy float64 `json:"accuracy"`
		MacroF1  float64 `json:"macro_f1"`
		Note     string  `json:"note,omitempty"`
	}
	score := func(name string, p text.Predictor) result {
		truth, pred := make([]int, len(test)), make([]int, len(test))
		for i, r := range test {
			truth[i] = int(r.label)
			// A two-class task: a neutral prediction counts as the nearer pole.
			pr := p.Predict(r.tokens)
			pred[i] = int(text.Negative)
			if pr.Probs[text.Positive] >= pr.Probs[text.Negative] {
				pred[i] = int(text.Positive)
			}
		}
		return result{Model: name, Test: len(test), Accuracy: text.Accuracy(truth, pred), MacroF1: text.MacroF1(truth, pred, 3)}
	}
	var results []result
	if len(test) == 0 {
		return fmt.Errorf("text eval: %d scored comments with a non-neutral score; nothing to evaluate", n)
	}
	m, _, err := text.TrainFromScores(an, train, false, text.TrainOptions{})
	switch {
	case errors.Is(err, text.ErrTooFewExamples):
		results = append(results, result{Model: text.ModelWorkspace, Test: len(test), Note: fmt.Sprintf("not trained: %d training comments", len(train))})
	case err != nil:
		return err
	default:
		results = append(results, score(text.ModelWorkspace, m))
	}
	results = append(results, score(text.ModelBuiltin, text.BuiltinLexicon()))
	if format == "json" {
		return printJSON(a.stdout, results)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MODEL\tTEST COMMENTS\tACCURACY\tMACRO-F1\tNOTE")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%s\n", r.Model, r.Test, r.Accuracy, r.MacroF1, r.Note)
	}
	return tw.Flush()
}

// maintainText keeps every workspace's sentiment model fresh: at start and
// then every interval it calls store.RefreshText, which re-trains (and
// re-analyses the comments) only when the scored comments grew by a tenth
// since the last training. serve starts it beside maintainIndexes.
func (a *app) maintainText(ctx context.Context, db *store.DB, every time.Duration) {
	refresh := func() {
		wss, err := db.Workspaces(ctx)
		if err != nil {
			if ctx.Err() == nil {
				a.logger.Error("list workspaces for text models", "err", err)
			}
			return
		}
		for _, w := range wss {
			trained, err := db.RefreshText(ctx, w.ID)
			switch {
			case err != nil && ctx.Err() == nil:
				a.logger.Error("refresh text model", "workspace", w.ID, "err", err)
			case trained:
				a.logger.Info("text model refreshed", "workspace", w.ID)
			}
		}
	}
	refresh()
	repeat(ctx, every, refresh)
}

// repeat calls fn every interval until ctx ends; never when interval is 0.
func repeat(ctx context.Context, interval time.Duration, fn func()) {
	if interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn()
		}
	}
}
