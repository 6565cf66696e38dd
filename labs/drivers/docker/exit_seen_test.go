package docker

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"

	"github.com/failover-lab/failover-lab/labs/faults"
)

// slowEngine is a Docker engine that answers late, as a loaded daemon
// does: the container stops at exitAt, the answers come later. Only the
// calls the container faults make are implemented.
type slowEngine struct {
	client.APIClient
	exitAt  time.Time // "" in FinishedAt when zero
	running bool
	paused  bool
}

func (e *slowEngine) ContainerKill(context.Context, string, string) error {
	e.running = false
	return nil
}
func (e *slowEngine) ContainerStop(context.Context, string, container.StopOptions) error {
	e.running = false
	return nil
}
func (e *slowEngine) ContainerRestart(context.Context, string, container.StopOptions) error {
	e.running = true
	return nil
}
func (e *slowEngine) ContainerPause(context.Context, string) error { e.paused = true; return nil }

func (e *slowEngine) ContainerWait(context.Context, string, container.WaitCondition) (<-chan container.WaitResponse, <-chan error) {
	ok := make(chan container.WaitResponse, 1)
	ok <- container.WaitResponse{}
	return ok, make(chan error)
}

func (e *slowEngine) ContainerInspect(context.Context, string) (container.InspectResponse, error) {
	finished := "0001-01-01T00:00:00Z"
	if !e.exitAt.IsZero() {
		finished = e.exitAt.UTC().Format(time.RFC3339Nano)
	}
	return container.InspectResponse{ContainerJSONBase: &container.ContainerJSONBase{
		State: &container.State{Running: e.running, Paused: e.paused, FinishedAt: finished},
	}}, nil
}

// A kill, a stop and a restart are seen in force at the exit the engine
// recorded, not when it answered; an exit from before the call (the node
// survived the signal) is not taken; a pause once the engine says paused.
func TestContainerFaultsReportTheEnginesInstant(t *testing.T) {
	const never = time.Duration(0)
	for _, tt := range []struct {
		name string
		exit time.Duration // when the engine says the container exited, from the call's start; never: it did not
		act  func(context.Context, NodeContainer) error
		seen bool
	}{
		{"kill", time.Millisecond, func(ctx context.Context, c NodeContainer) error { return c.Signal(ctx, syscall.SIGKILL) }, true},
		{"stop", 2 * time.Millisecond, func(ctx context.Context, c NodeContainer) error { return c.Stop(ctx) }, true},
		{"restart", 3 * time.Millisecond, func(ctx context.Context, c NodeContainer) error { return c.Restart(ctx) }, true},
		{"kill survived", -time.Hour, func(ctx context.Context, c NodeContainer) error { return c.Signal(ctx, syscall.SIGHUP) }, false},
		{"never exited", never, func(ctx context.Context, c NodeContainer) error { return c.Signal(ctx, syscall.SIGHUP) }, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := &slowEngine{running: true}
			c := NodeContainer{Cli: e, ID: "x", Restarted: func(context.Context) error { return nil }}
			ctx, held := faults.WatchHold(t.Context())
			if tt.exit != never {
				e.exitAt = time.Now().Add(tt.exit)
			}
			if err := tt.act(ctx, c); err != nil {
				t.Fatal(err)
			}
			at, ok := held()
			if ok != tt.seen || tt.seen && !at.Equal(e.exitAt) {
				t.Errorf("got seen %v at %s, want seen %v at the engine's exit %s", ok, at, tt.seen, e.exitAt)
			}
		})
	}
	t.Run("pause", func(t *testing.T) {
		c := NodeContainer{Cli: &slowEngine{running: true}, ID: "x"}
		ctx, held := faults.WatchHold(t.Context())
		before := time.Now()
		if err := c.Pause(ctx); err != nil {
			t.Fatal(err)
		}
		if at, ok := held(); !ok || at.Before(before) {
			t.Errorf("pause: got seen %v at %s, want seen once the engine said paused", ok, at)
		}
	})
}
