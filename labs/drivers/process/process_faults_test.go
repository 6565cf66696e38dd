package process

import (
	"context"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/faults"
)

// A pause is seen to take hold when /proc shows the child stopped, a kill
// when the child is reaped: the instants the lab marks.
func TestContainerReportsWhenItTookHold(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep binary")
	}
	sp := newSpawner()
	defer sp.stop()
	p := newProc("sleeper", sleep, "60")
	if _, err := p.start(t.Context(), sp); err != nil {
		t.Fatal(err)
	}
	defer p.kill()
	c := procContainer{p: p, node: "sleeper"}

	ctx, held := faults.WatchHold(t.Context())
	before := time.Now()
	if err := c.Pause(ctx); err != nil {
		t.Fatal(err)
	}
	at, ok := held()
	if !ok || at.Before(before) || !stopped(p.pid()) {
		t.Fatalf("pause: got seen %v at %s after the start, stopped %v; want seen, within the call, stopped", ok, at.Sub(before), stopped(p.pid()))
	}
	if err := c.Unpause(t.Context()); err != nil {
		t.Fatal(err)
	}

	ctx, held = faults.WatchHold(t.Context())
	if err := c.Signal(ctx, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	at, ok = held()
	if !ok || p.running() || !at.Equal(p.exitTime()) {
		t.Fatalf("kill: got seen %v at %s, running %v; want seen when reaped (%s)", ok, at, p.running(), p.exitTime())
	}
}

// A child that reports its addresses and exits before it listens fails
// start at once, with its last output.
func TestStartFailsWhenTheChildExitsBeforeItReports(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	sp := newSpawner()
	defer sp.stop()
	p := newProc("quitter", sh, "-c", "echo cannot listen >&2; exit 3")
	p.reports = true
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	began := time.Now()
	_, err = p.start(ctx, sp)
	if err == nil || time.Since(began) > 5*time.Second {
		t.Fatalf("got %v after %s, want an error at once", err, time.Since(began))
	}
	for _, want := range []string{"exit status 3", "cannot listen"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %q, want it to say %q", err, want)
		}
	}
}
