package main

import (
	"context"
	"fmt"
	"strings"
)

// globalHelp is the description "cxlens -h" prints.
func globalHelp() string {
	var b strings.Builder
	b.WriteString("cxlens measures customer experience: surveys (NPS, CSAT, CES), what customers do,\nand support tickets, in one binary on SQLite or PostgreSQL.\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-17s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun \"cxlens COMMAND -h\" (or \"cxlens help COMMAND\") for a command's flags.\n" +
		"Flags may come before or after the command; a flag wins over its CXLENS_* variable.\n" +
		"Exit status: 0 on success, 2 for bad usage or invalid input (including rejected\nimport rows), 1 for other errors.")
	return b.String()
}

// help explains the program, or one command.
func (a *app) help(ctx context.Context, args []string) error {
	fs := a.newFlagSet("help", "[COMMAND]", "Explain a command and its flags; without a command, list the commands.")
	rest, err := a.parse(fs, args, false)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		a.printUsage(a.newFlagSet("", "COMMAND [flags] [args]", globalHelp()), a.stdout)
		return nil
	}
	if cmd, _, ok := lookup(rest); ok && cmd.name != "help" {
		return cmd.run(a, ctx, []string{"-h"})
	}
	if group := subcommands(rest[0]); len(group) > 0 {
		fmt.Fprintf(a.stdout, "cxlens %s has these commands:\n%s", rest[0], group)
		return nil
	}
	return usageErrorf("unknown command %q; run cxlens help", strings.Join(rest, " "))
}

// subcommands lists the commands of a group ("workspace"), one per line;
// "" when name is not a group.
func subcommands(name string) string {
	var b strings.Builder
	for _, c := range commands() {
		if strings.HasPrefix(c.name, name+" ") {
			fmt.Fprintf(&b, "  cxlens %-17s %s\n", c.name, c.summary)
		}
	}
	return b.String()
}
