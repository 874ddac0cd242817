package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/cxlens/cxlens/internal/cx"
	"github.com/cxlens/cxlens/internal/store"
)

// app is what every command shares: the process's environment and the
// global flags.
type app struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer

	dsn      string // --db
	logLevel string // --log-level
	logger   *slog.Logger
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(a *app, ctx context.Context, args []string) error
}

// commands lists the subcommands, in the order help shows them. It is a
// function, not a variable, because help refers back to it.
func commands() []command {
	return []command{
		{"serve", "run the API, the dashboard and the survey pages", (*app).serve},
		{"migrate", "apply database migrations", (*app).migrate},
		{"workspace create", "create a workspace and print its id", (*app).workspaceCreate},
		{"workspace list", "list workspaces", (*app).workspaceList},
		{"apikey create", "create an API key and print it", (*app).apikeyCreate},
		{"apikey list", "list a workspace's API keys", (*app).apikeyList},
		{"apikey revoke", "revoke an API key", (*app).apikeyRevoke},
		{"user create", "create a dashboard user with a role in a workspace", (*app).userCreate},
		{"survey create", "create a survey and print its id", (*app).surveyCreate},
		{"survey list", "list a workspace's surveys", (*app).surveyList},
		{"survey show", "show a survey's design and wording in a language", (*app).surveyShow},
		{"survey update", "change a survey's name, question or design, or archive it", (*app).surveyUpdate},
		{"import", "import a CSV or NDJSON file", (*app).importFile},
		{"export", "export records as CSV or NDJSON", (*app).export},
		{"report", "compute a behavioural KPI by period and segment", (*app).report},
		{"drivers", "rank what drives a survey's score (key drivers)", (*app).drivers},
		{"clv fit", "fit a customer-lifetime-value model to purchases", (*app).clvFit},
		{"alert rules", "list a workspace's alert rules", (*app).alertRules},
		{"alert rule create", "create an alert rule and print its id", (*app).alertRuleCreate},
		{"alert rule delete", "delete an alert rule", (*app).alertRuleDelete},
		{"case list", "list a workspace's cases", (*app).caseList},
		{"case show", "show a case with its notes", (*app).caseShow},
		{"case update", "change a case's status, owner or resolution; add a note", (*app).caseUpdate},
		{"invite send", "invite a customer to a survey by email", (*app).inviteSend}, {"invite list", "list invitations", (*app).inviteList}, {"suppress add", "add addresses to the suppression list", (*app).suppressAdd}, {"suppress list", "list the suppression list", (*app).suppressList}, {"suppress remove", "remove an address from the suppression list", (*app).suppressRemove},
		{"text discover", "propose a codeframe from a workspace's comments", (*app).textDiscover}, {"text tag", "re-train sentiment and re-tag every comment", (*app).textTag}, {"text eval", "evaluate sentiment on the workspace's scored comments", (*app).textEval},
		{"demo", "create a demo workspace with generated data", (*app).demo},
		{"version", "print the version", (*app).version},
		{"help", "explain a command and its flags", (*app).help},
	}
}

// run is the whole program; main only adds the process's context, streams
// and exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	a := &app{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	fs := a.newFlagSet("", "COMMAND [flags] [args]", globalHelp())
	if len(args) > 0 {
		args = args[1:] // the program name
	}
	rest, err := a.parse(fs, args, true)
	if err != nil {
		return quiet(err)
	}
	if len(rest) == 0 {
		a.printUsage(fs, a.stderr)
		return usageError{"no command given"}
	}
	cmd, cmdArgs, ok := lookup(rest)
	if !ok {
		if group := subcommands(rest[0]); group != "" {
			if len(rest) > 1 && (rest[1] == "-h" || rest[1] == "--help" || rest[1] == "-help") {
				fmt.Fprintf(a.stdout, "cxlens %s has these commands:\n%s", rest[0], group)
				return nil
			}
			fmt.Fprintf(a.stderr, "cxlens %s has these commands:\n%s", rest[0], group)
			return usageErrorf("cxlens %s: missing or unknown subcommand", rest[0])
		}
		return usageErrorf("unknown command %q; run cxlens help", rest[0])
	}
	return quiet(cmd.run(a, ctx, cmdArgs))
}

// lookup finds the command named by the first one or two words of args.
func lookup(args []string) (command, []string, bool) {
	for _, c := range commands() {
		if c.name == args[0] {
			return c, args[1:], true
		}
		if len(args) > 1 && c.name == args[0]+" "+args[1] {
			return c, args[2:], true
		}
		if len(args) > 2 && c.name == args[0]+" "+args[1]+" "+args[2] {
			return c, args[3:], true
		}
	}
	return command{}, nil, false
}

// errHelpShown means -h was given and the usage has been printed.
var errHelpShown = errors.New("help shown")

func quiet(err error) error {
	if errors.Is(err, errHelpShown) {
		return nil
	}
	return err
}

// usageError is a bad command line; it exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

// exitCode is 2 for usage errors and invalid input, 1 for anything else.
func exitCode(err error) int {
	var ue usageError
	if errors.As(err, &ue) || errors.Is(err, cx.ErrInvalid) {
		return 2
	}
	return 1
}

// openDB opens the --db database and, when migrate is set, brings its
// schema up to date (Migrate is idempotent and cheap when nothing is new).
func (a *app) openDB(ctx context.Context, migrate bool) (*store.DB, error) {
	db, err := store.Open(ctx, a.dsn, store.Options{})
	if err != nil {
		return nil, err
	}
	if migrate {
		applied, err := db.Migrate(ctx)
		if err != nil {
			db.Close()
			return nil, err
		}
		for _, m := range applied {
			a.logger.Info("applied migration", "name", m)
		}
	}
	return db, nil
}

// openWorkspace checks the --workspace value, opens the database and
// makes sure the workspace exists, so every command fails the same way.
func (a *app) openWorkspace(ctx context.Context, ws string) (*store.DB, int64, error) {
	id, err := workspaceID(ws)
	if err != nil {
		return nil, 0, err
	}
	db, err := a.openDB(ctx, true)
	if err != nil {
		return nil, 0, err
	}
	if _, err := db.Workspace(ctx, id); err != nil {
		db.Close()
		return nil, 0, fmt.Errorf("--workspace: %w", err)
	}
	return db, id, nil
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
