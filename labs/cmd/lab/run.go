package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/drivers"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
	"github.com/failover-lab/failover-lab/labs/drivers/process"
	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/report"
	"github.com/failover-lab/failover-lab/labs/runner"
	"github.com/failover-lab/failover-lab/labs/scenario"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

func init() {
	verbs["run"] = verb{run: runRun, usage: "run [-driver auto|docker|process|compose:PROJECT] [-docker-host-ip ADDR] [-load-in-network] [-kind KIND | -proxy PROXYFILE] [-shard K/N] [-durations FILE] [-list] [-reports ROOT] [-report DIR] [-quiet] FILE...  run scenarios: progress, verdict, report in reports/NAME/ (index.html, results.json, junit.xml), reports/index.html across them"}
}

func runRun(ctx context.Context, args []string) error {
	return runTo(ctx, args, os.Stdout, os.Stderr)
}

// runTo checks every file first (an invalid one runs nothing), then runs
// them one after the other. A run the lab could not make outweighs failed
// expectations in the exit code.
func runTo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", stderr)
	driverName := fs.String("driver", "", "docker, process, auto or compose:PROJECT (default: $LAB_DRIVER, else auto)")
	dir := fs.String("report", "", "directory of the report of one FILE (default reports/NAME, listed in reports/index.html)")
	quiet := fs.Bool("quiet", false, "no per-second lines while the load runs")
	hostIP := fs.String("docker-host-ip", "", dockerHostIPUsage)
	place := loadPlaceFlag(fs)
	kind := fs.String("kind", "", "run in front of this proxy kind instead of the file's: builtin, apache, nginx, haproxy (process driver)")
	proxyFile := fs.String("proxy", "", "run in front of the proxy this file gives instead of the file's (image or command and your config, as for lab conform -proxy)")
	root := fs.String("reports", "reports", "root of the reports: ROOT/NAME/ per scenario, ROOT/index.html, ROOT/durations.json")
	shardFlag := fs.String("shard", "", "run shard K/N of the files only (default $LAB_SHARD, else $CI_NODE_INDEX/$CI_NODE_TOTAL, else all), balanced by -durations")
	durations := fs.String("durations", filepath.Join("reports", report.DurationsFile), "how long each scenario ran last (a run writes ROOT/durations.json; lab report merge, the shards' together), to balance the shards")
	list := fs.Bool("list", false, "print the files this shard would run, and run nothing")
	if err := fs.parse(args); err != nil {
		return err
	}
	sh, err := cliShard(*shardFlag)
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	switch {
	case fs.NArg() == 0:
		return fmt.Errorf("%w: no scenario file", errUsage)
	case *dir != "" && fs.NArg() > 1:
		return fmt.Errorf("%w: -report is the directory of one scenario's report (got %d files)", errUsage, fs.NArg())
	case *kind != "" && !slices.Contains(vocab.ProxyKinds, vocab.ProxyKind(*kind)):
		return fmt.Errorf("%w: -kind: must be one of %v (got %q)", errUsage, vocab.ProxyKinds, *kind)
	case *kind != "" && *proxyFile != "":
		return fmt.Errorf("%w: -kind or -proxy, not both", errUsage)
	}
	var col *column
	switch {
	case *kind != "":
		col = &column{name: *kind, kind: vocab.ProxyKind(*kind)}
	case *proxyFile != "":
		pf, err := scenario.ParseProxyFile(*proxyFile)
		if err != nil {
			return fmt.Errorf("%w: -proxy: %w", errUsage, err)
		}
		col = &column{name: pf.Name, file: pf}
	}
	ss, err := parseScenarios(fs.Args(), col)
	if err != nil {
		return err
	}
	if ss, err = shardOf(sh, ss, *durations); err != nil {
		return err
	}
	if *list {
		for _, s := range ss {
			fmt.Fprintln(stdout, s.File)
		}
		return nil
	}
	if len(ss) == 0 {
		fmt.Fprintf(stdout, "shard %s: no scenario of the %d files falls in it\n", sh, fs.NArg())
		return nil
	}
	d, err := cliDriver(ctx, *driverName, *hostIP, place())
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err) // only a name it does not know
	}
	reports := &report.Reports{Root: *root}
	write := reports.Write
	if *dir != "" {
		write = func(r report.Run) (string, error) { return report.WriteDir(*dir, r) }
	}
	var failed, cannotRun []error
	for i, s := range ss {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		err := runScenario(ctx, s, d, *quiet, write, stdout)
		switch {
		case errors.Is(err, errFailed):
			failed = append(failed, err)
		case err != nil:
			cannotRun = append(cannotRun, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	if path, err := reports.WriteIndex(time.Now()); err != nil {
		cannotRun = append(cannotRun, err)
	} else if path != "" && len(ss) > 1 {
		fmt.Fprintf(stdout, "\nindex: %s\n", path)
	}
	if len(cannotRun) > 0 {
		return errors.Join(cannotRun...)
	}
	return errors.Join(failed...)
}

// runScenario runs s with its live lines, then prints its verdict and
// writes its report.
func runScenario(ctx context.Context, s *scenario.Scenario, d labs.Driver, quiet bool, write func(report.Run) (string, error), stdout io.Writer) error {
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
	if !quiet {
		wg.Go(func() { live(liveCtx, s, l, say) })
	}
	r := runner.Run(ctx, s, d, runner.Options{Progress: say, Ledger: l})
	stopLive()
	wg.Wait()
	return verdict(r, write, stdout)
}

// verdict prints every result and writes the report.
func verdict(r report.Run, write func(report.Run) (string, error), w io.Writer) error {
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
	path, err := write(r)
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

// parseScenarios reads every file, in front of col's proxy unless col is
// nil; any invalid file fails them all, each with its own errors (exit 2).
func parseScenarios(files []string, col *column) ([]*scenario.Scenario, error) {
	var ss []*scenario.Scenario
	var invalid []error
	for _, file := range files {
		s, err := scenario.ParseFile(file)
		if err == nil && col != nil {
			s, err = col.in(s)
		}
		if err != nil {
			invalid = append(invalid, err)
			continue
		}
		ss = append(ss, s)
	}
	if len(invalid) > 0 {
		return nil, invalidError{errors.Join(invalid...)}
	}
	return ss, nil
}

// cliDriver is the driver named by -driver, else $LAB_DRIVER, else auto.
// Ctrl-C cancels ctx (main): the runs close themselves and the reports
// are still written, which the drivers' own signal handler would prevent.
// The Docker engine is the docker CLI's (cliEngine).
// The process driver needs no engine: broken engine settings do not stop it.
// -load-in-network (place LoadInNetwork) asks for the docker driver.
func cliDriver(ctx context.Context, name, hostIP string, place docker.LoadPlace) (labs.Driver, error) {
	name = cmp.Or(name, os.Getenv("LAB_DRIVER"))
	e, err := cliEngine(hostIP)
	if err != nil && name != process.Name {
		return nil, err
	}
	d, err := drivers.For(ctx, name, drivers.Options{NoSignalHandler: true, Engine: e, Carrier: self(), Load: place})
	if err != nil {
		return nil, err
	}
	if _, ok := d.(*docker.Driver); place == docker.LoadInNetwork && !ok {
		return nil, fmt.Errorf("-load-in-network: the docker driver only (this run is on the %s driver)", d.Name())
	}
	return d, nil
}

// self is this binary, the carrier of every program a run starts
// (labs/multicall). It is "" in this package's test binary, which carries
// no `serve`, and when the OS cannot say: the drivers then build a lab
// from source, as for any go test.
func self() string {
	if testing.Testing() {
		return ""
	}
	path, err := os.Executable()
	if err != nil {
		return ""
	}
	return path
}
