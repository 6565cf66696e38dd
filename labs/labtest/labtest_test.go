package labtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/report"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// TestRunProcess runs a scenario on the process driver and reads the
// Result as a user's test would.
func TestRunProcess(t *testing.T) {
	dir := t.TempDir()
	res := Run(t, "testdata/breaks.yaml", Driver("process"), ReportDir(dir), Quiet())
	if res.Err != nil || !res.Pass() {
		t.Fatalf("got err %v, pass %v; want a passing run", res.Err, res.Pass())
	}
	if res.Driver != "process" {
		t.Errorf("got driver %q, want process", res.Driver)
	}
	failover := res.Expectation("failover time")
	if !failover.Pass || !failover.HasFigure || failover.Figure <= 0 || failover.Figure > time.Second {
		t.Errorf("failover time: got pass %v, figure %v (%v); want a pass within 1s", failover.Pass, failover.Figure, failover.HasFigure)
	}
	if got := res.Expectation("expect[2]"); got.Index != 2 || !got.Pass {
		t.Errorf("expect[2]: got index %d pass %v, want the unnamed third expectation", got.Index, got.Pass)
	}
	if res.ClientErrors() != 0 {
		t.Errorf("got %d client errors, want 0", res.ClientErrors())
	}
	if res.ServedBy()["failover"] == 0 || res.ServedBy()["service"] == 0 {
		t.Errorf("served by %v: want both nodes", res.ServedBy())
	}
	if n := len(res.Ledger.Rows()); n != res.Requests.Total || n < 200 {
		t.Errorf("ledger has %d rows, summary %d; want the same, about 240", n, res.Requests.Total)
	}
	for _, f := range []string{"breaks/index.html", "breaks/results.json", "breaks/junit.xml", "index.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("report: %v", err)
		}
	}
	if res.Report != filepath.Join(dir, "breaks", "index.html") {
		t.Errorf("got report %q, want it under %s", res.Report, dir)
	}
}

// fakeT records errors instead of failing the test that holds it.
type fakeT struct {
	testing.TB
	errors []string
}

func (f *fakeT) Helper()           {}
func (f *fakeT) Error(args ...any) { f.errors = append(f.errors, fmt.Sprint(args...)) }

func TestExpectationUnknownName(t *testing.T) {
	ft := &fakeT{TB: t}
	s, err := scenario.ParseFile("testdata/breaks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res := &Result{t: ft, Run: report.Run{Scenario: s, Results: expect.Evaluate(s, ledger.New(time.Now()))}}
	got := res.Expectation("failover tim")
	if got.Pass || len(ft.errors) != 1 || !strings.Contains(got.Measured, `no expectation named "failover tim" in testdata/breaks.yaml; there are: "expect[0]", "failover time", "expect[2]"`) {
		t.Errorf("got pass %v, %q, errors %v; want a failing result and one test error", got.Pass, got.Measured, ft.errors)
	}
}

// TestFailingExpectationFailsItsSubtest runs a scenario whose expectation
// cannot hold in a child test binary and reads its verdict: the subtest
// named after the expectation fails with the measured value.
func TestFailingExpectationFailsItsSubtest(t *testing.T) {
	if os.Getenv("LABTEST_CHILD") != "" {
		t.Skip("in the child")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildImpossible$", "-test.v")
	cmd.Env = append(os.Environ(), "LABTEST_CHILD=1", "LABTEST_REPORTS="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the child passed; want it to fail:\n%s", out)
	}
	for _, want := range []string{"--- FAIL: TestChildImpossible/nobody_fails_over", "testdata/impossible.yaml:11", "0 of 30 answers from failover"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("child output lacks %q:\n%s", want, out)
		}
	}
}

func TestChildImpossible(t *testing.T) {
	dir := os.Getenv("LABTEST_REPORTS")
	if dir == "" {
		t.Skip("run by TestFailingExpectationFailsItsSubtest")
	}
	Run(t, "testdata/impossible.yaml", Driver("process"), ReportDir(dir), Quiet())
}
