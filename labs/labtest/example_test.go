package labtest_test

import (
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/labtest"
)

// A test of your own module: the scenario file lives next to it, the
// driver comes from LAB_DRIVER (docker, process, auto), and the test holds
// the run to a budget of its own on top of the file's expectations.
func ExampleRun() {
	testFailover := func(t *testing.T) {
		res := labtest.Run(t, "failover/service-crash.yaml", labtest.DriverFromEnv())
		if res.Err != nil {
			t.Fatal(res.Err) // the lab could not run (already an error of t)
		}
		failover := res.Expectation("failover time")
		if failover.Figure > 500*time.Millisecond {
			t.Errorf("failover took %v, our budget is 500ms (%s)", failover.Figure, failover.Measured)
		}
		if n := res.ClientErrors(); n > 0 {
			t.Errorf("%d requests failed for clients", n)
		}
	}
	_ = testFailover // in your code: func TestFailover(t *testing.T) { ... }
}

// Parallel scenarios on a small machine: at most two topologies at once,
// reports in one directory, every file on the process driver.
func ExampleLimit() {
	testAll := func(t *testing.T) {
		limit := labtest.NewLimiter(2)
		for _, file := range []string{"failover/crash.yaml", "failover/slow.yaml"} {
			t.Run(file, func(t *testing.T) {
				t.Parallel()
				labtest.Run(t, file, labtest.Driver("process"), labtest.Limit(limit), labtest.ReportDir("build/reports"))
			})
		}
	}
	_ = testAll
}
