package main

import (
	"github.com/failover-lab/failover-lab/labs/drivers"
	"github.com/failover-lab/failover-lab/labs/vocab"

	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/report"
	"github.com/failover-lab/failover-lab/labs/runner"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

func init() {
	verbs["run"] = verb{run: runRun, usage: "run [-driver auto|docker|process|compose:PROJECT] [-kind KIND] [-report DIR] [-quiet] FILE  run one scenario: progress, verdict, HTML report (default reports/NAME/index.html)"}
}

// errFailed is returned when the run completed but expectations failed.
var errFailed = errors.New("expectations failed")

func runRun(ctx context.Context, args []string) error {
	return runTo(ctx, args, os.Stdout, os.Stderr)
}

func runTo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	driverName := fs.String("driver", "", "docker, process, auto or compose:PROJECT (default: $LAB_DRIVER, else auto)")
	dir := fs.String("report", "", "directory of the HTML report (default reports/NAME)")
	quiet := fs.Bool("quiet", false, "no per-second lines while the load runs")
	kind := fs.String("kind", "", "run in front of this proxy kind instead of the file's: builtin, apache, nginx, haproxy (process driver)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return errUsage
	}
	s, err := scenario.ParseFile(fs.Arg(0))
	if err != nil {
		return err
	}
	if *kind != "" {
		s.Proxy.Kind = vocab.ProxyKind(*kind)
	}
	if *driverName != "" {
		os.Setenv("LAB_DRIVER", *driverName)
	}
	d, err := drivers.FromEnv(drivers.Options{})
	if err != nil {
		return err
	}
	if *dir == "" {
		*dir = filepath.Join("reports", s.Name)
	}
	fmt.Fprintf(stdout, "%s: %s\n", s.Name, s.About)

	l := ledger.New(time.Now())
	var out sync.Mutex // progress and live lines come from two goroutines
	say := func(line string) {
		out.Lock()
		fmt.Fprintln(stdout, line)
		out.Unlock()
	}
	liveCtx, stopLive := context.WithCancel(ctx)
	var wg sync.WaitGroup
	if !*quiet {
		wg.Go(func() { live(liveCtx, s, l, say) })
	}
	r := runner.Run(ctx, s, d, runner.Options{Progress: say, Ledger: l})
	stopLive()
	wg.Wait()
	return verdict(r, *dir, stdout)
}

// verdict prints every result and writes the report.
func verdict(r report.Run, dir string, w io.Writer) error {
	s, l, runErr := r.Scenario, r.Ledger, r.Err
	fmt.Fprintln(w)
	for _, res := range r.Results {
		mark := "ok  "
		if !res.Pass {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "%s %s:%d %s\n     %s\n", mark, s.File, res.Pos.Line, res.Name(), res.Measured)
	}
	for _, res := range expect.Failed(r.Results) {
		fmt.Fprintln(w, "\n"+report.Failure(s, l, res))
	}
	path, err := report.WriteDir(dir, r)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "report: %s\n", path)
	switch {
	case runErr != nil:
		return runErr
	case !r.Pass():
		return fmt.Errorf("%s: %d of %d %w", s.Name, len(expect.Failed(r.Results)), len(r.Results), errFailed)
	}
	fmt.Fprintf(w, "PASS %s\n", s.Name)
	return nil
}

// live prints one line per second of the run: who answered, errors, the
// slowest answer.
func live(ctx context.Context, s *scenario.Scenario, l *ledger.Ledger, say func(string)) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	next := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		start, ok := l.FindMark("start", ledger.MarkEvent)
		if !ok {
			continue // still starting
		}
		var rows []ledger.Row
		rows, next = l.RowsFrom(next)
		if len(rows) > 0 {
			say(fmt.Sprintf("+%.0fs %s", time.Since(start.At).Seconds(), runSummary(s, rows)))
		}
	}
}

// runSummary is "     50 answers: service 50 │ client errors 0 │ slowest 3ms".
func runSummary(s *scenario.Scenario, rows []ledger.Row) string {
	by := map[string]int{}
	clientErrors := 0
	var slowest time.Duration
	for _, r := range rows {
		by[expect.Describe(r)]++
		if expect.IsClientError(s, r) {
			clientErrors++
		}
		slowest = max(slowest, r.Latency)
	}
	var parts []string
	for _, c := range ledger.Counts(by, func(k string) string { return k }) {
		parts = append(parts, fmt.Sprintf("%d× %s", c.N, c.Name))
	}
	return fmt.Sprintf("   %4d answers: %s │ client errors %d │ slowest %s",
		len(rows), strings.Join(parts, ", "), clientErrors, slowest.Round(time.Millisecond))
}
