package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/cxlens/cxlens/internal/cx"
)

// surveyCreate creates a survey and prints its id on stdout.
func (a *app) surveyCreate(ctx context.Context, args []string) error {
	fs := a.newFlagSet("survey create", "--workspace ID --kind KIND --key KEY [flags]",
		"Create a survey and print its id on stdout. Responses name the survey by its key.")
	var ws, kind, key, name, question string
	var scaleMin, scaleMax int
	a.workspaceVar(fs, &ws)
	fs.StringVar(&kind, "kind", "", "survey `kind`: nps (0–10), csat (1–5), ces (1–7) or custom")
	fs.StringVar(&key, "key", "", "survey `key` responses refer to: a–z, 0–9, '-' or '_', up to 64")
	fs.StringVar(&name, "name", "", "display `name` (default: the key)")
	fs.StringVar(&question, "question", "", "the question asked (default: the classic wording for the kind)")
	fs.IntVar(&scaleMin, "scale-min", 0, "lowest score (default: the kind's scale)")
	fs.IntVar(&scaleMax, "scale-max", 0, "highest score (default: the kind's scale)")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	id, err := workspaceID(ws)
	if err != nil {
		return err
	}
	if kind == "" {
		return usageErrorf("--kind is required (nps, csat, ces or custom)")
	}
	if key == "" {
		return usageErrorf("--key is required")
	}
	s := cx.Survey{Key: key, Name: name, Kind: cx.SurveyKind(kind), ScaleMin: scaleMin, ScaleMax: scaleMax, Question: question}
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
	fmt.Fprintf(a.stderr, "created %s survey %q (id %d, scale %d–%d)\n", s.Kind, s.Key, s.ID, s.ScaleMin, s.ScaleMax)
	fmt.Fprintln(a.stdout, s.ID)
	return nil
}

// surveyList prints a workspace's surveys.
func (a *app) surveyList(ctx context.Context, args []string) error {
	fs := a.newFlagSet("survey list", "--workspace ID [flags]", "List a workspace's surveys.")
	var ws string
	a.workspaceVar(fs, &ws)
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	db, id, err := a.openWorkspace(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Surveys(ctx, id)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(a.stdout, list)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKEY\tKIND\tSCALE\tNAME")
	for _, s := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d–%d\t%s\n", s.ID, s.Key, s.Kind, s.ScaleMin, s.ScaleMax, s.Name)
	}
	return tw.Flush()
}
