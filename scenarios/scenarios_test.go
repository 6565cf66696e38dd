// Package scenarios holds the outage scenarios (*.yaml) and the test that
// runs each of them as a subtest named after its file:
//
//	go test ./scenarios/...                               # all, both drivers: LAB_DRIVER=docker|process|auto
//	go test ./scenarios/... -run 'TestScenarios/primary-answers-500$'
//	go test -short ./scenarios/...                        # the fast subset (short: true)
//	LAB_PARALLEL=2 go test ./scenarios/...                # at most 2 runs at once (default 3)
//	LAB_DRIVER=process LAB_PROXY_KIND=nginx go test ./scenarios/...   # the same outages in front of nginx
//
// Each expectation is a subtest of its scenario, named after the
// expectation (or expect[i] when it has no name), so go test -json and
// gotestsum show one case per expectation. A failing one prints its line,
// the measured value and an ASCII timeline of its window. Every scenario
// run writes reports/<scenario>/ at the repository root (index.html,
// results.json, junit.xml, the ledger), and reports/index.html lists the
// scenarios of the last go test run.
package scenarios

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/drivers"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
	"github.com/failover-lab/failover-lab/labs/drivers/process"
	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/products"
	"github.com/failover-lab/failover-lab/labs/report"
	"github.com/failover-lab/failover-lab/labs/runner"
	"github.com/failover-lab/failover-lab/labs/scenario"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// defaultParallel is how many scenarios run at once: each keeps a proxy,
// its nodes and a load generator busy on a 2-core machine.
const defaultParallel = 3

// slots caps the scenarios running at once (LAB_PARALLEL).
var slots = make(chan struct{}, parallelism())

func parallelism() int {
	if n, err := strconv.Atoi(os.Getenv("LAB_PARALLEL")); err == nil && n > 0 {
		return n
	}
	return defaultParallel
}

// reports collects the runs of this go test for reports/index.html.
var reports = &report.Reports{Root: reportRoot()}

func TestMain(m *testing.M) {
	code := m.Run()
	path, err := reports.WriteIndex(time.Now())
	switch {
	case err != nil:
		fmt.Fprintf(os.Stderr, "write reports index: %v\n", err)
		code = max(code, 1)
	case path != "":
		fmt.Printf("reports: %s\n", path)
	}
	os.Exit(code)
}

func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios found: %v", err)
	}
	driver, err := drivers.FromEnv(drivers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("driver %s, up to %d scenarios at once", driver.Name(), cap(slots))
	for _, file := range files {
		name := strings.TrimSuffix(file, ".yaml")
		t.Run(name, func(t *testing.T) {
			s, err := parse(file)
			if err != nil {
				t.Fatal(err)
			}
			if testing.Short() && !s.Short {
				t.Skip("not in the -short subset (short: true)")
			}
			if k := os.Getenv("LAB_PROXY_KIND"); k != "" {
				// Expectations tuned to failover-proxy may fail: that is the
				// comparison. What the kind cannot do at all is skipped.
				if s, err = s.WithKind(vocab.ProxyKind(k)); err != nil {
					t.Skipf("proxy kind %s cannot run it: %v", k, err)
				}
			}
			if err := drivers.Supports(driver, s.Topology()); err != nil {
				t.Skipf("the %s driver cannot run it: %v", driver.Name(), err)
			}
			if err := installed(driver, s); err != nil {
				t.Skipf("skipped: %v", err)
			}
			t.Parallel()
			if err := prebuild(driver, s); errors.Is(err, exec.ErrNotFound) {
				t.Skipf("skipped: %v", err) // mmdebstrap, for the products image
			} else if err != nil {
				t.Fatal(err)
			}
			slots <- struct{}{}
			defer func() { <-slots }()
			runOne(t, s, driver)
		})
	}
}

// prebuildTimeout bounds building the images ahead: a cold products image
// (a Debian root filesystem from the archive) took 13 min on a loaded
// 2-core machine.
const prebuildTimeout = 30 * time.Minute

// prebuild builds the images a Docker run of s needs before its run's
// deadline starts (builds are memoized per process and locked per image,
// so parallel scenarios wait for one build).
func prebuild(driver labs.Driver, s *scenario.Scenario) error {
	if driver.Name() != docker.Name {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), prebuildTimeout)
	defer cancel()
	for _, name := range docker.ImageNames(s.Topology()) {
		if _, err := labs.BuildImage(ctx, name); err != nil {
			return fmt.Errorf("image %s: %w", name, err)
		}
	}
	return nil
}

// installed says which Debian package a process-driver run of s lacks: a
// proxy kind runs the host's apache2, nginx or haproxy (labs/products).
func installed(driver labs.Driver, s *scenario.Scenario) error {
	if driver.Name() != process.Name {
		return nil
	}
	p := products.For(s.Topology().Proxy.Kind)
	if p.Pkg == "" {
		return nil
	}
	_, err := products.SystemBinary(p.Binary, p.Pkg)
	return err
}

// parse reads a scenario, naming it scenarios/FILE in messages as a user
// at the repository root would.
func parse(file string) (*scenario.Scenario, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return scenario.ParseIn(".", filepath.Join("scenarios", file), f)
}

// runOne runs one scenario, judges each expectation in a subtest and
// writes its report.
func runOne(t *testing.T, s *scenario.Scenario, driver labs.Driver) {
	ctx, cancel := context.WithTimeout(context.Background(), s.EndAt()+2*time.Minute)
	defer cancel()
	r := runner.Run(ctx, s, driver, runner.Options{Progress: func(line string) { t.Log(line) }})
	if r.Err != nil {
		t.Errorf("%s: %v", s.File, r.Err)
	}
	for _, res := range r.Results {
		t.Run(subtestName(res), func(t *testing.T) {
			if !res.Pass {
				t.Error("\n" + report.Failure(s, r.Ledger, res))
				return
			}
			t.Logf("%s:%d: %s", s.File, res.Pos.Line, res.Measured)
		})
	}
	path, err := reports.Write(r)
	if err != nil {
		t.Errorf("write report: %v", err)
		return
	}
	if !r.Pass() {
		t.Logf("report: %s", path)
	}
}

// subtestName is the expectation's name, else its place in the file's
// expect list: "failover time", "expect[0]".
func subtestName(res expect.Result) string {
	if res.Expectation.Name != "" {
		return res.Expectation.Name
	}
	return fmt.Sprintf("expect[%d]", res.Index)
}

// reportRoot is reports/ at the repository root (gitignored).
func reportRoot() string {
	root, err := filepath.Abs("..")
	if err != nil {
		root = ".."
	}
	return filepath.Join(root, "reports")
}
