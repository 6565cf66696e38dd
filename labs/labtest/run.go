package labtest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/carrier"
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

// Run runs the scenario in file (a path relative to the test's working
// directory; paths inside it are relative to the file) and judges each
// expectation in a subtest of t. It returns the run for assertions of the
// test's own; a run that could not be made is already an error of t, and
// is also the Result's Err.
//
// It stops t at once (t.Fatal) when the file is invalid, the driver is
// unknown or an image cannot be built; it skips t (t.Skip), saying why,
// under -short when the file is not `short: true`, when the driver or the
// proxy kind cannot run the scenario at all (e.g. image nodes on the
// process driver), and when a program it needs is not installed (nginx
// for proxy kind nginx on the process driver: the message names the
// Debian package).
func Run(t *testing.T, file string, opts ...Option) *Result {
	t.Helper()
	set := newSettings(opts)
	s, err := scenario.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Short() && !s.Short {
		t.Skip("not in the -short subset (short: true)")
	}
	if set.kind != "" {
		if s, err = s.WithKind(vocab.ProxyKind(set.kind)); err != nil {
			t.Skipf("proxy kind %s cannot run it: %v", set.kind, err)
		}
	}
	d, err := set.resolveDriver()
	if err != nil {
		t.Fatal(err)
	}
	if err := drivers.Supports(d, s.Topology()); err != nil {
		t.Skipf("the %s driver cannot run it: %v", d.Name(), err)
	}
	switch err := prebuild(d, s); {
	case errors.Is(err, products.ErrNotInstalled), errors.Is(err, exec.ErrNotFound):
		t.Skipf("skipped: %v", err) // a proxy kind's Debian package; mmdebstrap, for the products image
	case err != nil:
		t.Fatal(err)
	}
	if set.limiter != nil {
		set.limiter.acquire()
		defer set.limiter.release()
	}
	ctx, cancel := context.WithTimeout(context.Background(), cmp.Or(set.timeout, s.EndAt()+defaultGrace))
	defer cancel()
	o := runner.Options{}
	if !set.quiet {
		o.Progress = func(line string) { t.Log(line) }
	}
	res := &Result{Run: runner.Run(ctx, s, d, o), t: t}
	res.Requests = report.ResultsOf(res.Run).Requests
	if res.Err != nil {
		t.Errorf("%s: %v", s.File, res.Err)
	}
	for _, r := range res.Results {
		t.Run(subtestName(r), func(t *testing.T) {
			if !r.Pass {
				t.Error("\n" + report.Failure(s, res.Ledger, r))
				return
			}
			t.Logf("%s:%d: %s", s.File, r.Pos.Line, r.Measured)
		})
	}
	if res.Report, err = writeReport(set.reportDir, res.Run); err != nil {
		t.Errorf("write report: %v", err)
	} else if !res.Pass() {
		t.Logf("report: %s", res.Report)
	}
	return res
}

// subtestName is the expectation's name, else its place in the file's
// expect list: "failover time", "expect[0]".
func subtestName(r expect.Result) string {
	if r.Expectation.Name != "" {
		return r.Expectation.Name
	}
	return fmt.Sprintf("expect[%d]", r.Index)
}

// driversByName keeps one driver per name, engine and load place for the test binary:
// "auto" asks the Docker daemon once, and parallel runs share a Docker
// client.
var driversByName sync.Map // "name engine place" → labs.Driver

func (set settings) resolveDriver() (labs.Driver, error) {
	if set.driver != nil {
		return set.driver, nil
	}
	if set.engineErr != nil {
		return nil, fmt.Errorf("labtest: %w", set.engineErr)
	}
	key := fmt.Sprintf("%s %s %d", set.driverName, set.engine, set.load)
	if d, ok := driversByName.Load(key); ok {
		return d.(labs.Driver), nil
	}
	d, err := drivers.For(context.Background(), set.driverName, drivers.Options{Engine: set.engine, Load: set.load})
	if err != nil {
		return nil, fmt.Errorf("labtest: %w", err)
	}
	if _, ok := d.(*docker.Driver); set.load == docker.LoadInNetwork && !ok {
		return nil, fmt.Errorf("labtest: LoadInNetwork: the docker driver only (got the %s driver)", d.Name())
	}
	kept, _ := driversByName.LoadOrStore(key, d)
	return kept.(labs.Driver), nil
}

// prebuildTimeout bounds building the images ahead: a cold products image
// (a Debian root filesystem from the archive) took 13 min on a loaded
// 2-core machine.
const prebuildTimeout = 30 * time.Minute

// prebuild builds the images (docker) or the lab binary (process) a run of s
// needs before its run's deadline starts and before it waits for a slot:
// a cold build on a loaded machine takes minutes. Builds are memoized per
// process and locked per image, so parallel runs wait for one build.
func prebuild(d labs.Driver, s *scenario.Scenario) error {
	ctx, cancel := context.WithTimeout(context.Background(), prebuildTimeout)
	defer cancel()
	t := s.Topology()
	switch d := d.(type) {
	case *docker.Driver:
		_, err := d.BuildImages(ctx, docker.ImageNames(t)...)
		return err
	case *process.Driver:
		if k := products.For(t.Proxy.Kind); k.Pkg != "" && !t.Proxy.Given() { // a proxy given by command is the user's program, found on PATH at start
			if _, err := products.SystemBinary(k.Binary, k.Pkg); err != nil {
				return fmt.Errorf("proxy %s: %w", t.Proxy.Kind.OrDefault(), err)
			}
		}
		if _, err := carrier.Find(ctx, d.Carrier, carrier.Host()); err != nil {
			return err
		}
	}
	return nil
}
