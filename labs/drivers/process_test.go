package drivers

import (
	"context"
	"fmt"
	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/cleanup"
	"github.com/failover-lab/failover-lab/labs/drivers/drivertest"
	"github.com/failover-lab/failover-lab/labs/drivers/process"
	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestProcessDriver(t *testing.T) {
	drivertest.Exercise(t, process.New(), func(t *testing.T, r labs.Run) []string {
		var left []string
		for _, pid := range drivertest.ChildPIDs(t) {
			left = append(left, "child process "+strconv.Itoa(pid))
		}
		pr := r.(interface {
			PIDs() []int
			Dir() string
		})
		if pids := pr.PIDs(); len(pids) > 0 {
			left = append(left, "run processes "+strconv.Itoa(len(pids)))
		}
		if _, err := os.Stat(pr.Dir()); err == nil {
			left = append(left, "run directory "+pr.Dir())
		}
		return left
	})
}

// The children of a run die with the process that started it, even when
// that process is killed with SIGKILL and cannot clean up.
func TestProcessChildrenDieWithSIGKILL(t *testing.T) {
	helper, line := startHelper(t, process.Name)
	// line: RUN <id> <pid> <pid> ...
	var pids []int
	for _, f := range strings.Fields(line)[2:] {
		pid, _ := strconv.Atoi(f)
		pids = append(pids, pid)
	}
	if len(pids) != 3 {
		t.Fatalf("helper said %q, want the pids of the proxy and two nodes", line)
	}
	if err := helper.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = helper.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for {
		alive := slices.DeleteFunc(slices.Clone(pids), func(pid int) bool { return syscall.Kill(pid, 0) != nil })
		if len(alive) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("5s after SIGKILL of their parent: got processes %v alive, want none", alive)
		}
		time.Sleep(20 * time.Millisecond) // the kernel delivers Pdeathsig asynchronously
	}
	// Only the run's directory is left; the next run removes it. (Another
	// lab run of this machine, in a test package running alongside, may
	// have swept it already.)
	helperDirs := func() []string {
		dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), fmt.Sprintf("%s%d.*", cleanup.RunDirPrefix, helper.Process.Pid)))
		return dirs
	}
	if len(helperDirs()) > 1 {
		t.Fatalf("after SIGKILL: got run dirs %v of the helper, want at most one left behind", helperDirs())
	}
	cleanup.SweepRunDirs()
	if dirs := helperDirs(); len(dirs) != 0 {
		t.Fatalf("after a sweep: got %v, want the dead run's directory removed", dirs)
	}
}

// startHelper re-executes the test binary as TestHelperRun: it starts a run
// with the named driver, prints one line "RUN <id> <pids...>" and blocks.
func startHelper(t *testing.T, driver string) (*exec.Cmd, string) {
	t.Helper()
	return drivertest.ExecHelper(t, "TestHelperRun", "LABS_HELPER_DRIVER="+driver)
}

// TestHelperRun is not a test: the SIGKILL tests run it in a child process.
func TestHelperRun(t *testing.T) {
	name := os.Getenv("LABS_HELPER_DRIVER")
	if name == "" {
		t.Skip("helper process of the SIGKILL tests")
	}
	d, err := For(t.Context(), name, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := d.Start(t.Context(), drivertest.Topology("t-helper"), nil)
	if err != nil {
		t.Fatal(err)
	}
	drivertest.AnnounceRun(r)
}

// BenchmarkProcessStart measures Start of the seed topology as local
// processes (binaries cached). Close is not timed.
func BenchmarkProcessStart(b *testing.B) {
	ctx := b.Context()
	d := process.New()
	drivertest.BenchStart(b, ctx, d)
}

// A node started again takes whatever port it can: with its old port taken
// by another program meanwhile (as under parallel runs), it comes back on
// another one, and its Toxiproxy link, NodeURL and control API follow, so
// traffic, network faults and HTTP faults still reach it. Each fault is
// marked when it was seen to take hold.
func TestProcessNodeComesBackOnAnotherPort(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	led := ledger.New(time.Now())
	r, err := process.New().Start(ctx, drivertest.Topology("t-moves"), led)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(context.WithoutCancel(ctx))
	defer drivertest.StartLoad(t, ctx, r.ProxyURL(), led)()
	drivertest.WaitRows(t, led, time.Now(), "traffic served by the primary", drivertest.Recovered)

	before := r.NodeURL("service")
	a, err := r.Apply(ctx, vocab.Fault{Name: "kill", Node: "service", Settings: faults.Kill{}})
	if err != nil {
		t.Fatal(err)
	}
	held, err := net.Listen("tcp", strings.TrimPrefix(before, "http://"))
	if err != nil {
		t.Fatalf("the killed node's port: %v", err)
	}
	defer held.Close()
	if err := r.Clear(ctx, a); err != nil {
		t.Fatalf("start again with its port taken: %v", err)
	}
	after := r.NodeURL("service")
	if after == before {
		t.Fatalf("NodeURL %s after the restart, want another port than the taken one", after)
	}
	drivertest.CheckServedBy(t, after, "service")
	clear, _ := led.FindMark("kill", ledger.MarkClear)
	drivertest.WaitRows(t, led, clear.At, "traffic through the link to the moved node", drivertest.Recovered)

	for _, tc := range drivertest.FaultCases() {
		if tc.Fault.Name != "latency" && tc.Fault.Name != "http-500" {
			continue
		}
		a, err := r.Apply(ctx, tc.Fault)
		if err != nil {
			t.Fatalf("%s on the moved node: %v", tc.Fault.Name, err)
		}
		drivertest.WaitRows(t, led, a.At, "the effect of "+tc.Fault.Name+" on the moved node", tc.Effect)
		if err := r.Clear(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"kill", "latency", "http-500"} {
		m, _ := led.FindMark(name, ledger.MarkApply)
		if !strings.Contains(m.Detail, "seen in force") {
			t.Errorf("apply mark of %s: %q, want it marked when seen in force", name, m.Detail)
		}
	}
}

// Direct points the proxy at the nodes' own ports, which its config names:
// a node restarted keeps the ports it first took, so the proxy still
// reaches it.
func TestProcessDirectKeepsANodesPortsAcrossRestarts(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	r, err := (&process.Driver{Direct: true}).Start(ctx, drivertest.Topology("t-direct"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(context.WithoutCancel(ctx))
	drivertest.CheckServedBy(t, r.ProxyURL(), "service")
	before := r.NodeURL("service")
	if _, err := r.Apply(ctx, vocab.Fault{Name: "restart", Node: "service", Settings: faults.Restart{}}); err != nil {
		t.Fatal(err)
	}
	if after := r.NodeURL("service"); after != before {
		t.Fatalf("NodeURL %s after the restart, want %s: the proxy's config names it", after, before)
	}
	led := ledger.New(time.Now())
	defer drivertest.StartLoad(t, ctx, r.ProxyURL(), led)()
	drivertest.WaitRows(t, led, time.Now(), "the restarted node serving through the proxy", drivertest.Recovered)
}
