package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

// version prints the version, the commit when known, and the Go version.
func (a *app) version(ctx context.Context, args []string) error {
	fs := a.newFlagSet("version", "", "Print the cxlens version and the Go version it was built with.")
	if err := a.parseNoArgs(fs, args); err != nil {
		return err
	}
	commit := ""
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				commit = " " + s.Value[:12]
			}
		}
	}
	fmt.Fprintf(a.stdout, "cxlens %s%s %s %s/%s\n", version, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
