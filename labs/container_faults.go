package labs

import (
	"context"
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

// dockerContainer is a node's container as faults.Container, through one
// Docker client. The Docker and compose drivers share it and differ only
// in the hooks: what "start it again" and "reconnect it" mean (the Docker
// driver owns its network and must re-read the ports Docker publishes
// anew; a compose project's containers keep their networks and aliases),
// and how a node is known to answer again.
type dockerContainer struct {
	cli  client.APIClient
	id   string
	node vocab.Node
	// restarted runs after a restart (re-read published ports).
	restarted func(ctx context.Context) error
	// start starts the stopped or killed container again.
	start func(ctx context.Context) error
	// disconnect takes the container off its network(s); reconnect puts it back.
	disconnect func(ctx context.Context) error
	reconnect  func(ctx context.Context) error
	// waitNode returns once the node started or reconnected answers.
	waitNode func(ctx context.Context) error
}

var _ faults.Container = dockerContainer{}

func (c dockerContainer) Stop(ctx context.Context) error {
	timeout := stopTimeout
	return c.cli.ContainerStop(ctx, c.id, container.StopOptions{Timeout: &timeout})
}

// Signal sends sig (Docker reads a signal number) and waits briefly for a
// lethal one to take effect.
func (c dockerContainer) Signal(ctx context.Context, sig syscall.Signal) error {
	if err := c.cli.ContainerKill(ctx, c.id, strconv.Itoa(int(sig))); err != nil {
		return err
	}
	waitExit(ctx, c.cli, c.id)
	return nil
}

func (c dockerContainer) Pause(ctx context.Context) error   { return c.cli.ContainerPause(ctx, c.id) }
func (c dockerContainer) Unpause(ctx context.Context) error { return c.cli.ContainerUnpause(ctx, c.id) }

func (c dockerContainer) Restart(ctx context.Context) error {
	timeout := stopTimeout
	if err := c.cli.ContainerRestart(ctx, c.id, container.StopOptions{Timeout: &timeout}); err != nil {
		return err
	}
	return c.restarted(ctx)
}

func (c dockerContainer) StartAgain(ctx context.Context) error {
	info, err := c.cli.ContainerInspect(ctx, c.id)
	if err != nil {
		return err
	}
	if info.State != nil && info.State.Running { // survived the signal
		return nil
	}
	ctx, cancel := withReadyTimeout(ctx)
	defer cancel()
	if err := c.start(ctx); err != nil {
		return err
	}
	return c.waitNode(ctx)
}

func (c dockerContainer) Disconnect(ctx context.Context) error { return c.disconnect(ctx) }

func (c dockerContainer) Reconnect(ctx context.Context) error {
	ctx, cancel := withReadyTimeout(ctx)
	defer cancel()
	if err := c.reconnect(ctx); err != nil {
		return err
	}
	return c.waitNode(ctx)
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
