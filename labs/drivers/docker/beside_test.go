package docker_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
	"github.com/failover-lab/failover-lab/labs/drivers/drivertest"
	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
	"github.com/failover-lab/failover-lab/labs/load/agent"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// With LoadInNetwork a run sends its probes and its load from a container
// on its own network to the proxy's alias: the rows land in the lab's
// ledger on the lab's clock, a fault applied by the lab shows in them, and
// Close leaves nothing (the agent's container included).
func TestLoadInNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a topology on Docker")
	}
	drivertest.RequireDocker(t)
	d := docker.New()
	d.Load, d.NoSignalHandler = docker.LoadInNetwork, true
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	led := ledger.New(time.Now())
	run, err := d.Start(ctx, drivertest.Topology("beside"), led)
	if err != nil {
		t.Fatal(err)
	}
	id := run.ID()
	t.Cleanup(func() {
		if err := run.Close(context.Background()); err != nil {
			t.Error(err)
		}
		if left := drivertest.RunResources(t, id); len(left) > 0 {
			t.Errorf("left after Close: %v", left)
		}
	})
	b, ok := run.(labs.LoadBeside)
	if !ok || b.Beside() == nil {
		t.Fatal("the run sends from this machine, want from its network")
	}
	snd := b.Beside()
	if w := snd.Where(); !strings.Contains(w, "failover-lab-"+id) || !strings.Contains(w, "http://proxy:8080") {
		t.Errorf("Where: got %q, want the run's network and the proxy's alias", w)
	}
	asked := time.Now()
	sent, a := snd.Get(ctx, "/")
	if a.Status != 200 || a.ServedBy != "service" {
		t.Fatalf("GET / from the network: got %+v, want 200 from service", a)
	}
	if sent.Before(asked.Add(-50*time.Millisecond)) || sent.After(time.Now()) {
		t.Errorf("the GET was sent %v after it was asked for, want within the call", sent.Sub(asked))
	}

	loadCtx, stopLoad := context.WithCancel(ctx)
	loaded := make(chan error, 1)
	began := time.Now()
	go func() {
		loaded <- snd.Load(loadCtx, load.Spec{Target: run.ProxyURL(), Rate: 50, Timeout: 3 * time.Second}, led)
	}()
	drivertest.WaitRows(t, led, began, "answers from service", func(rows []ledger.Row) bool { return len(rows) >= 10 && drivertest.Recovered(rows) })
	broke := time.Now()
	f := vocab.Fault{Name: "broken", Node: "service", Settings: faults.HTTPStatus{Status: 500}}
	if _, err := run.Apply(ctx, f); err != nil {
		t.Fatal(err)
	}
	drivertest.WaitRows(t, led, broke, "answers from failover", drivertest.FailedOver)
	stopLoad()
	if err := <-loaded; err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, r := range led.Rows() {
		if r.Sent.Before(began) || r.Sent.After(time.Now()) {
			t.Fatalf("row %d sent %v after the load began, outside the load's time", r.Seq, r.Sent.Sub(began))
		}
	}

	if err := run.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := snd.Load(ctx, load.Spec{Target: run.ProxyURL(), Rate: 5}, led); !errors.Is(err, agent.ErrGone) {
		t.Errorf("Load after Close: got %v, want ErrGone", err)
	}
}
