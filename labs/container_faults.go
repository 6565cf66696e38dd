package labs

import (
	"context"
	"fmt"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"
)

// stopTimeout is how long a stop waits after SIGTERM before SIGKILL.
const stopTimeout = 5 // seconds

// containerFaults applies and undoes container faults (stop, kill, pause,
// restart, disconnect) through one Docker client. The Docker and compose
// drivers share it and differ only in the hooks: how a node's container is
// found, what "start it again" and "reconnect it" mean (the Docker driver
// owns its network and must re-read the ports Docker publishes anew; a
// compose project's containers keep their networks and aliases), and how
// a node is known to answer again.
type containerFaults struct {
	cli client.APIClient
	// id returns the container of a node.
	id func(node string) string
	// restarted runs after a restart (re-read published ports).
	restarted func(ctx context.Context, n Node) error
	// start starts a stopped or killed node's container again.
	start func(ctx context.Context, n Node, id string) error
	// disconnect takes the container off its network(s); reconnect puts it back.
	disconnect func(ctx context.Context, n Node, id string) error
	reconnect  func(ctx context.Context, n Node, id string) error
	// waitNode returns once a node started or reconnected answers.
	waitNode func(ctx context.Context, n Node) error
}

func (f containerFaults) apply(ctx context.Context, n Node, c ContainerFault) error {
	id := f.id(n.Name)
	timeout := stopTimeout
	switch c.Action {
	case ActionStop:
		return f.cli.ContainerStop(ctx, id, container.StopOptions{Timeout: &timeout})
	case ActionKill:
		name, _ := c.signal()
		if err := f.cli.ContainerKill(ctx, id, name); err != nil {
			return err
		}
		waitExit(ctx, f.cli, id)
		return nil
	case ActionPause:
		return f.cli.ContainerPause(ctx, id)
	case ActionRestart:
		if err := f.cli.ContainerRestart(ctx, id, container.StopOptions{Timeout: &timeout}); err != nil {
			return err
		}
		return f.restarted(ctx, n)
	case ActionDisconnect:
		return f.disconnect(ctx, n, id)
	}
	return fmt.Errorf("%w: container.action %q", ErrInvalid, c.Action)
}

func (f containerFaults) clear(ctx context.Context, n Node, c ContainerFault) error {
	id := f.id(n.Name)
	switch c.Action {
	case ActionStop, ActionKill:
		info, err := f.cli.ContainerInspect(ctx, id)
		if err != nil {
			return err
		}
		if info.State != nil && info.State.Running { // survived the signal
			return nil
		}
		ctx, cancel := withReadyTimeout(ctx)
		defer cancel()
		if err := f.start(ctx, n, id); err != nil {
			return err
		}
		return f.waitNode(ctx, n)
	case ActionPause:
		return f.cli.ContainerUnpause(ctx, id)
	case ActionRestart:
		return nil
	case ActionDisconnect:
		ctx, cancel := withReadyTimeout(ctx)
		defer cancel()
		if err := f.reconnect(ctx, n, id); err != nil {
			return err
		}
		return f.waitNode(ctx, n)
	}
	return fmt.Errorf("%w: container.action %q", ErrInvalid, c.Action)
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
