package main

import (
	"context"
	"fmt"
	"os"

	"github.com/failover-lab/failover-lab/labs/scenario"
)

func init() {
	verbs["schema"] = verb{run: runSchema, usage: "schema  print the JSON schema of scenario files (for editors: save it next to them, as lab init does)"}
}

func runSchema(_ context.Context, args []string) error {
	fs := newFlags("schema", os.Stderr)
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: no arguments expected (got %q)", errUsage, fs.Args())
	}
	_, err := os.Stdout.Write(scenario.SchemaJSON())
	return err
}
