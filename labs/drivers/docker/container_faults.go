package docker

import (
	"context"
	"github.com/failover-lab/failover-lab/labs"
	"strconv"
	"syscall"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"

	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// stopTimeout is how long a stop waits after SIGTERM before SIGKILL.
const stopTimeout = 5 // seconds

// NodeContainer is a node's container as faults.Container, through one
// Docker client. The Docker and compose drivers share it and differ only
// in the hooks: what "start it again" and "reconnect it" mean (the Docker
// driver owns its network and must re-read the ports Docker publishes
// anew; a compose project's containers keep their networks and aliases),
// and how a node is known to answer again.
type NodeContainer struct {
	Cli  client.APIClient
	ID   string
	Node vocab.Node
	// Restarted runs after a restart (re-read published ports).
	Restarted func(ctx context.Context) error
	// Start starts the stopped or killed container again.
	Start func(ctx context.Context) error
	// Leave takes the container off its network(s); Rejoin puts it back.
	Leave  func(ctx context.Context) error
	Rejoin func(ctx context.Context) error
	// WaitNode returns once the node started or reconnected answers.
	WaitNode func(ctx context.Context) error
}

var _ faults.Container = NodeContainer{}

func (c NodeContainer) Stop(ctx context.Context) error {
	timeout := stopTimeout
	began := time.Now()
	if err := c.Cli.ContainerStop(ctx, c.ID, container.StopOptions{Timeout: &timeout}); err != nil {
		return err
	}
	exitSeen(ctx, c.Cli, c.ID, began)
	return nil
}

// Signal sends sig (Docker reads a signal number) and waits briefly for a
// lethal one to take effect.
func (c NodeContainer) Signal(ctx context.Context, sig syscall.Signal) error {
	began := time.Now()
	if err := c.Cli.ContainerKill(ctx, c.ID, strconv.Itoa(int(sig))); err != nil {
		return err
	}
	waitExit(ctx, c.Cli, c.ID)
	exitSeen(ctx, c.Cli, c.ID, began)
	return nil
}

// Pause freezes the container; the engine answers once its cgroup is
// frozen, and says so in its state (reported: faults.TookHold).
func (c NodeContainer) Pause(ctx context.Context) error {
	if err := c.Cli.ContainerPause(ctx, c.ID); err != nil {
		return err
	}
	if info, err := c.Cli.ContainerInspect(ctx, c.ID); err == nil && info.ContainerJSONBase != nil && info.State != nil && info.State.Paused {
		faults.TookHold(ctx, time.Now())
	}
	return nil
}

func (c NodeContainer) Unpause(ctx context.Context) error { return c.Cli.ContainerUnpause(ctx, c.ID) }

func (c NodeContainer) Restart(ctx context.Context) error {
	timeout := stopTimeout
	began := time.Now()
	if err := c.Cli.ContainerRestart(ctx, c.ID, container.StopOptions{Timeout: &timeout}); err != nil {
		return err
	}
	exitSeen(ctx, c.Cli, c.ID, began) // the restart took hold when the node went down
	return c.Restarted(ctx)
}

func (c NodeContainer) StartAgain(ctx context.Context) error {
	info, err := c.Cli.ContainerInspect(ctx, c.ID)
	if err != nil {
		return err
	}
	if info.State != nil && info.State.Running { // survived the signal
		return nil
	}
	ctx, cancel := labs.WithReadyTimeout(ctx)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		return err
	}
	return c.WaitNode(ctx)
}

// Disconnect takes the container off its network(s); the engine answers
// once the endpoint is gone (reported: faults.TookHold).
func (c NodeContainer) Disconnect(ctx context.Context) error {
	if err := c.Leave(ctx); err != nil {
		return err
	}
	faults.TookHold(ctx, time.Now())
	return nil
}

func (c NodeContainer) Reconnect(ctx context.Context) error {
	ctx, cancel := labs.WithReadyTimeout(ctx)
	defer cancel()
	if err := c.Rejoin(ctx); err != nil {
		return err
	}
	return c.WaitNode(ctx)
}

// waitExit waits briefly for a killed container to stop running, so a
// lethal signal has taken effect when Apply returns.
func waitExit(ctx context.Context, cli client.APIClient, id string) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	okC, errC := cli.ContainerWait(ctx, id, container.WaitConditionNotRunning)
	select {
	case <-okC:
	case <-errC:
	}
}
