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
	if len(args) > 0 {
		return fmt.Errorf("%w: no arguments expected (got %q)", errUsage, args)
	}
	buildinfo.Read().Print(os.Stdout, "lab")
	return nil
}
