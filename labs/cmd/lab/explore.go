package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/explore"
	"github.com/failover-lab/failover-lab/labs/report"
	"github.com/failover-lab/failover-lab/labs/runner"
	"github.com/failover-lab/failover-lab/labs/scenario"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

func init() {
	verbs["explore"] = verb{run: runExplore, usage: "explore [-kind KIND] [-driver auto|docker|process] [-load-in-network] [-runs N | -for DURATION] [-seed S] [-parallel P] [-report DIR] [-no-shrink] FILE  search for failover bugs: random timelines on FILE's topology and load, invariants checked on every run, each violation shrunk to a minimal scenario in reports/explore/ (index.html: runs, coverage, violations)"}
}

func runExplore(ctx context.Context, args []string) error {
	return exploreTo(ctx, args, os.Stdout, os.Stderr)
}

func exploreTo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("explore", stderr)
	kind := fs.String("kind", "", "explore in front of this proxy kind instead of the file's: builtin, apache, nginx, haproxy")
	driverName := fs.String("driver", "", "docker, process or auto (default: $LAB_DRIVER, else auto)")
	runs := fs.Int("runs", 0, "how many timelines to run (default 10 unless -for)")
	forDur := fs.Duration("for", 0, "run timelines for this long instead of a count (shrinking comes after)")
	seed := fs.Uint64("seed", 0, "the seed of the timelines: the same seed gives the same timelines (default: from the clock, printed)")
	parallel := fs.Int("parallel", 1, "runs at once; each keeps a proxy, its nodes and a load generator busy")
	root := fs.String("report", filepath.Join("reports", "explore"), "directory of index.html, the minimal scenarios and each run's report")
	hostIP := fs.String("docker-host-ip", "", dockerHostIPUsage)
	place := loadPlaceFlag(fs)
	noShrink := fs.Bool("no-shrink", false, "report violations with their original timelines, unshrunk")
	if err := fs.parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() != 1:
		return fmt.Errorf("%w: one scenario file (got %d)", errUsage, fs.NArg())
	case *runs != 0 && *forDur != 0:
		return fmt.Errorf("%w: -runs or -for, not both", errUsage)
	case *runs < 0 || *forDur < 0:
		return fmt.Errorf("%w: -runs and -for must be > 0", errUsage)
	case *parallel < 1:
		return fmt.Errorf("%w: -parallel: must be at least 1 (got %d)", errUsage, *parallel)
	case *kind != "" && !slices.Contains(vocab.ProxyKinds, vocab.ProxyKind(*kind)):
		return fmt.Errorf("%w: -kind: must be one of %v (got %q)", errUsage, vocab.ProxyKinds, *kind)
	}
	if *runs == 0 && *forDur == 0 {
		*runs = 10
	}
	if *seed == 0 {
		*seed = uint64(time.Now().UnixNano()%999_999) + 1
	}
	b, err := explore.ReadBase(fs.Arg(0))
	if err != nil {
		return invalidError{err}
	}
	if *kind != "" {
		if b, err = b.WithKind(vocab.ProxyKind(*kind)); err != nil {
			return invalidError{err}
		}
	}
	d, err := cliDriver(ctx, *driverName, *hostIP, place())
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if name := d.Name(); name != "docker" && name != "process" {
		return fmt.Errorf("%w: -driver: explore starts its own runs: docker, process or auto (got %s)", errUsage, name)
	}
	x := &explore.Explorer{
		Base: b, Seed: *seed, Runs: *runs, For: *forDur, Parallel: *parallel, NoShrink: *noShrink, Out: *root,
		Command: strings.Join(append([]string{"lab explore"}, args...), " "),
		Run: func(ctx context.Context, s *scenario.Scenario) report.Run {
			return runner.Run(ctx, s, d, runner.Options{})
		},
		Progress: func(line string) { fmt.Fprintln(stdout, line) },
	}
	fmt.Fprintf(stdout, "explore %s on the %s driver, proxy %s, seed %d\n", b.Scenario.Name, d.Name(), b.Scenario.Proxy.Label(), *seed)
	sum, err := x.Explore(ctx)
	sum.Text(stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nreport: %s\n", filepath.Join(*root, "index.html"))
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("interrupted: %w", context.Cause(ctx))
	case sum.Count(explore.CannotRun) > 0:
		return fmt.Errorf("%d of %d runs could not be made", sum.Count(explore.CannotRun), len(sum.Outcomes))
	}
	// A violation that did not come back in two more runs is noise by the
	// 2-of-3 rule: reported, not counted.
	n := 0
	for _, v := range sum.Violations {
		if v.Reproduced || !v.Shrunk {
			n++
		}
	}
	if n > 0 {
		return fmt.Errorf("%d invariants violated: %w", n, errFailed)
	}
	return nil
}
