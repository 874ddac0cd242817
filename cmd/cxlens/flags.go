package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
)

// Environment variables; a flag given on the command line wins over them.
const (
	envDB        = "CXLENS_DB"
	envLogLevel  = "CXLENS_LOG_LEVEL"
	envAddr      = "CXLENS_ADDR"
	envWorkspace = "CXLENS_WORKSPACE"
)

// flagSet is a flag.FlagSet with the text its usage prints.
type flagSet struct {
	*flag.FlagSet
	synopsis    string // after "cxlens NAME"
	description string
	env         map[string]string // flag name → environment variable
	defaults    map[string]string // flag name → built-in default, shown by the usage
}

// newFlagSet returns a flag set for a command with the global flags
// (--db, --log-level) already defined, so they work after the command
// name too.
func (a *app) newFlagSet(name, synopsis, description string) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), synopsis: synopsis, description: description, env: map[string]string{}, defaults: map[string]string{}}
	fs.SetOutput(io.Discard) // parse errors are returned, usage printed by printUsage
	a.stringVar(fs, &a.dsn, "db", envDB, "./cxlens.db", "database: a SQLite file path or a postgres:// URL")
	a.stringVar(fs, &a.logLevel, "log-level", envLogLevel, "info", "log level: debug, info, warn or error")
	return fs
}

// stringVar defines a string flag whose default comes from an environment
// variable when that is set.
func (a *app) stringVar(fs *flagSet, p *string, name, env, def, usage string) {
	fs.defaults[name] = def
	if v := a.getenv(env); v != "" && env != "" {
		def = v
	}
	if cur := *p; cur != "" && (name == "db" || name == "log-level") {
		def = cur // already set by the global flags before the command name
	}
	fs.StringVar(p, name, def, usage)
	if env != "" {
		fs.env[name] = env
	}
}

// workspaceVar defines the --workspace flag (env CXLENS_WORKSPACE).
func (a *app) workspaceVar(fs *flagSet, p *string) {
	a.stringVar(fs, p, "workspace", envWorkspace, "", "workspace `ID` (see cxlens workspace list)")
}

// workspaceID checks the --workspace value.
func workspaceID(s string) (int64, error) {
	if s == "" {
		return 0, usageErrorf("--workspace is required (a workspace id; see cxlens workspace list)")
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usageErrorf("--workspace: %q is not a workspace id (a positive number)", s)
	}
	return id, nil
}

// parse parses args, letting flags and positional arguments mix
// ("import FILE --dry-run"); "--" ends the flags. With stopAtCommand (the
// global flags) it stops at the first positional argument instead, the
// command name. It prints the usage and returns errHelpShown for -h, and
// sets up the logger from --log-level.
func (a *app) parse(fs *flagSet, args []string, stopAtCommand bool) ([]string, error) {
	var positional []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			a.printUsage(fs, a.stdout)
			return nil, errHelpShown
		}
		if err != nil {
			name := fs.Name()
			if name == "" {
				name = "help"
			}
			return nil, usageErrorf("%v (see cxlens %s -h)", err, name)
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		if stopAtCommand {
			positional = rest
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	level, err := parseLevel(a.logLevel)
	if err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: level}
	if isTerminal(a.stderr) {
		a.logger = slog.New(slog.NewTextHandler(a.stderr, opts))
	} else {
		a.logger = slog.New(slog.NewJSONHandler(a.stderr, opts))
	}
	return positional, nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, usageErrorf("--log-level: %q is not debug, info, warn or error", s)
	}
	return l, nil
}

// printUsage writes a command's synopsis, description and flags.
func (a *app) printUsage(fs *flagSet, w io.Writer) {
	name := "cxlens"
	if fs.Name() != "" {
		name += " " + fs.Name()
	}
	fmt.Fprintf(w, "Usage: %s %s\n\n%s\n\nFlags:\n", name, fs.synopsis, strings.TrimSpace(fs.description))
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		head := "  --" + f.Name
		if kind != "" {
			head += " " + kind
		}
		fmt.Fprintf(w, "%s\n        %s", head, usage)
		var extra []string
		if env := fs.env[f.Name]; env != "" {
			extra = append(extra, "env "+env)
		}
		// The built-in default, not one taken from the environment: a
		// CXLENS_DB URL may hold a password.
		def, ok := fs.defaults[f.Name]
		if !ok {
			def = f.DefValue
		}
		if def != "" && def != "false" && def != "0" {
			extra = append(extra, "default "+def)
		}
		if len(extra) > 0 {
			fmt.Fprintf(w, " (%s)", strings.Join(extra, "; "))
		}
		fmt.Fprintln(w)
	})
}

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// parseNoArgs parses a command's flags and rejects positional arguments.
func (a *app) parseNoArgs(fs *flagSet, args []string) error {
	rest, err := a.parse(fs, args, false)
	if err != nil {
		return err
	}
	return wantArgs(fs, rest, 0)
}

// wantArgs checks the number of positional arguments.
func wantArgs(fs *flagSet, args []string, n int) error {
	if len(args) != n {
		return usageErrorf("cxlens %s %s: want %d argument(s), got %d", fs.Name(), fs.synopsis, n, len(args))
	}
	return nil
}
