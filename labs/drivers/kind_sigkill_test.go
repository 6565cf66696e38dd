package drivers

import (
	"errors"
	"fmt"
	"github.com/failover-lab/failover-lab/labs/drivers/drivertest"
	"github.com/failover-lab/failover-lab/labs/drivers/process"
	"github.com/failover-lab/failover-lab/labs/products"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The packaged proxies run as one process each (nginx master_process off,
// apache2 -X, haproxy -db): when the process that started the run is
// killed with SIGKILL, Pdeathsig takes the proxy down, and nothing of its
// process group is left (no orphaned workers).
func TestKindsDieWithSIGKILL(t *testing.T) {
	for _, kind := range []vocab.ProxyKind{vocab.ProxyApache, vocab.ProxyNginx, vocab.ProxyHAProxy} {
		t.Run(string(kind), func(t *testing.T) {
			k := products.For(kind)
			if _, err := products.SystemBinary(k.Binary, k.Pkg); errors.Is(err, products.ErrNotInstalled) {
				t.Skipf("%s: %v", kind, err)
			}
			helper, pids := startKindHelper(t, string(kind))
			if err := helper.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = helper.Wait()
			deadline := time.Now().Add(5 * time.Second)
			for {
				left := groupMembers(pids)
				if len(left) == 0 {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("5s after SIGKILL of their parent: got %v alive, want none", left)
				}
				time.Sleep(20 * time.Millisecond) // the kernel delivers Pdeathsig asynchronously
			}
		})
	}
}

// groupMembers lists the live processes in the process groups of pids
// (each child of a run leads its own group).
func groupMembers(pids []int) []string {
	groups := map[int]bool{}
	for _, p := range pids {
		groups[p] = true
	}
	entries, _ := os.ReadDir("/proc")
	var left []string
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...
		f := strings.Fields(string(b)[drivertest.LastParen(string(b))+1:])
		if len(f) < 3 || f[0] == "Z" {
			continue
		}
		if pg, _ := strconv.Atoi(f[2]); groups[pg] {
			left = append(left, fmt.Sprintf("pid %d (group %d)", pid, pg))
		}
	}
	return left
}

// startKindHelper re-executes the test binary as TestHelperKindRun with
// the seed topology on kind, and returns it with the pids of its run.
func startKindHelper(t *testing.T, kind string) (*exec.Cmd, []int) {
	t.Helper()
	cmd, line := drivertest.ExecHelper(t, "TestHelperKindRun", "LABS_HELPER_KIND="+kind)
	var pids []int
	for _, s := range strings.Fields(line)[2:] {
		pid, _ := strconv.Atoi(s)
		pids = append(pids, pid)
	}
	return cmd, pids
}

// TestHelperKindRun is not a test: TestKindsDieWithSIGKILL runs it in a
// child process, which prints "RUN <id> <pids...>" and blocks.
func TestHelperKindRun(t *testing.T) {
	kind := os.Getenv("LABS_HELPER_KIND")
	if kind == "" {
		t.Skip("helper process of TestKindsDieWithSIGKILL")
	}
	r, err := process.New().Start(t.Context(), kindTopology(vocab.ProxyKind(kind)), nil)
	if err != nil {
		t.Fatal(err)
	}
	drivertest.AnnounceRun(r)
}
