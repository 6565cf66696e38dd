package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/failover-lab/failover-lab/labs/report"
)

func init() {
	verbs["report"] = verb{run: runReport, usage: "report merge [-o DIR] DIR...  join the reports of shards (each DIR a -reports root) into one DIR/index.html, junit.xml, results.json and durations.json (default -o reports)"}
}

func runReport(ctx context.Context, args []string) error {
	return reportTo(args, os.Stdout, os.Stderr)
}

// reportTo dispatches report's own verbs; merge is the only one.
func reportTo(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: report needs a verb: merge", errUsage)
	}
	if args[0] == "-h" || args[0] == "-help" {
		fmt.Fprintf(stderr, "usage: lab %s\n", verbs["report"].usage)
		return nil
	}
	if args[0] != "merge" {
		return fmt.Errorf("%w: report: unknown verb %q (want merge)", errUsage, args[0])
	}
	fs := newFlags("report", stderr)
	out := fs.String("o", "reports", "directory of the merged reports")
	if err := fs.parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: report merge: no reports directory", errUsage)
	}
	set, err := report.Merge(*out, fs.Args(), time.Now())
	if err != nil {
		return invalidError{err}
	}
	expectations, failed := 0, 0
	for _, r := range set.Scenarios {
		for _, e := range r.Expectations {
			expectations++
			if !e.Pass {
				failed++
			}
		}
	}
	fmt.Fprintf(stdout, "merged %d scenarios (%d passed, %d failed; %d expectations, %d failed) from %d directories into %s\n",
		len(set.Scenarios), set.Passed, set.Failed, expectations, failed, fs.NArg(), filepath.Join(*out, "index.html"))
	if !set.Pass {
		return fmt.Errorf("%d of %d scenarios: %w", set.Failed, len(set.Scenarios), errFailed)
	}
	return nil
}
