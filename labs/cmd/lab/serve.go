package main

import (
	"context"
	"fmt"
	"os"

	"github.com/failover-lab/failover-lab/labs/multicall"
)

func init() {
	verbs["serve"] = verb{run: runServe, usage: "serve PROGRAM [ARGS]  run a program this binary carries: app, errorpage, failover-proxy, toxiproxy, healthcheck, load (what the drivers start in containers and as processes)"}
}

// runServe hands the words after serve to the program, whose own exit
// code is lab's.
func runServe(_ context.Context, args []string) error {
	if code := multicall.Serve(args, os.Stdout, os.Stderr); code != 0 {
		return exitCode(code)
	}
	return nil
}

// exitCode is an exit code a verb sets itself, printing nothing more.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit code %d", int(c)) }
