package main

import (
	"context"
	"fmt"
	"os"

	"github.com/failover-lab/failover-lab/proxy/buildinfo"
)

func init() {
	verbs["version"] = verb{run: runVersion, usage: "version  module version, commit and Go version of this binary"}
}

func runVersion(_ context.Context, args []string) error {
	fs := newFlags("version", os.Stderr)
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: no arguments expected (got %q)", errUsage, fs.Args())
	}
	buildinfo.Read().Print(os.Stdout, "lab")
	return nil
}
