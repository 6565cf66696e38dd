package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/failover-lab/failover-lab/labs/scenario"
)

func init() {
	verbs["check"] = verb{run: runCheck, usage: "check FILE...  validate scenario files without running them: FILE: ok, or file:line:col: field: problem"}
}

func runCheck(_ context.Context, args []string) error {
	return checkTo(args, os.Stdout, os.Stderr)
}

// checkTo parses every file as lab run would, printing "FILE: ok" to
// stdout or each of its problems to stderr; it returns invalidError when
// any file has one.
func checkTo(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", stderr)
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: no scenario file", errUsage)
	}
	bad := 0
	for _, file := range fs.Args() {
		if _, err := scenario.ParseFile(file); err != nil {
			fmt.Fprintln(stderr, err)
			bad++
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", file)
	}
	if bad > 0 {
		return invalidError{fmt.Errorf("%d of %d files invalid", bad, fs.NArg())}
	}
	return nil
}
