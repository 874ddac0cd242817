// Command cxlens is the cxlens server and its command-line tools: serve
// the API, migrate the database, manage workspaces, API keys and surveys,
// import and export files, and create a demo workspace.
//
// Run "cxlens help" for the commands and their flags.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "cxlens:", err)
		os.Exit(exitCode(err))
	}
}
