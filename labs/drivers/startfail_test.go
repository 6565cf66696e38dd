package drivers

import (
	"context"
	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
	"github.com/failover-lab/failover-lab/labs/drivers/drivertest"
	"github.com/failover-lab/failover-lab/labs/drivers/process"
	"strings"
	"testing"
	"time"
)

// A node that cannot start fails Start fast, with its exit and last log
// lines, and leaves nothing behind.
func testStartFailsFast(t *testing.T, d labs.Driver, leftovers func(t *testing.T) []string) {
	top := drivertest.Topology("t-fail")
	top.Nodes[1].Args = []string{"-no-such-flag"}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	began := time.Now()
	r, err := d.Start(ctx, top, nil)
	if err == nil {
		r.Close(ctx)
		t.Fatal("Start: got no error, want the errorpage's exit")
	}
	t.Logf("Start failed after %v: %v", time.Since(began).Round(time.Millisecond), err)
	// Failing fast means on the exit, not on the readiness deadline; how
	// long creating the network and containers takes is the machine's.
	if took := time.Since(began); took >= labs.ReadyTimeout {
		t.Errorf("Start took %v to fail, want it to fail on the exit, before the %v readiness deadline", took, labs.ReadyTimeout)
	}
	for _, want := range []string{"failover", "exit", "no-such-flag"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got error %q, want it to mention %q", err, want)
		}
	}
	if left := leftovers(t); len(left) > 0 {
		t.Errorf("after a failed Start: got %v left behind, want nothing", left)
	}
}

func TestProcessStartFailsFast(t *testing.T) {
	testStartFailsFast(t, process.New(), func(t *testing.T) []string {
		var left []string
		for range drivertest.ChildPIDs(t) {
			left = append(left, "child process")
		}
		return left
	})
}

func TestDockerStartFailsFast(t *testing.T) {
	drivertest.RequireDocker(t)
	testStartFailsFast(t, docker.New(), func(t *testing.T) []string {
		return drivertest.OwnedResources(t)
	})
}
