package labs

import (
	"context"
	"fmt"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
)

// stopTimeout is how long a stop waits after SIGTERM before SIGKILL.
const stopTimeout = 5 // seconds

// Container faults on containers: stop, kill with a signal, pause (cgroup
// freezer), restart, and disconnect from the run's network (Toxiproxy then
// cannot reach the node; its published port goes dark too).
func (r *dockerRun) containerApply(ctx context.Context, n Node, c ContainerFault) error {
	id := r.container(n.Name).GetContainerID()
	timeout := stopTimeout
	switch c.Action {
	case ActionStop:
		return r.cli.ContainerStop(ctx, id, container.StopOptions{Timeout: &timeout})
	case ActionKill:
		name, _ := c.signal()
		if err := r.cli.ContainerKill(ctx, id, name); err != nil {
			return err
		}
		r.waitExit(ctx, id)
		return nil
	case ActionPause:
		return r.cli.ContainerPause(ctx, id)
	case ActionRestart:
		if err := r.cli.ContainerRestart(ctx, id, container.StopOptions{Timeout: &timeout}); err != nil {
			return err
		}
		return r.readPorts(ctx, n.Name, nodePorts(n)...)
	case ActionDisconnect:
		return r.cli.NetworkDisconnect(ctx, r.netID, id, true)
	}
	return fmt.Errorf("%w: container.action %q", ErrInvalid, c.Action)
}

func (r *dockerRun) containerClear(ctx context.Context, n Node, c ContainerFault) error {
	id := r.container(n.Name).GetContainerID()
	switch c.Action {
	case ActionStop, ActionKill:
		info, err := r.cli.ContainerInspect(ctx, id)
		if err != nil {
			return err
		}
		if info.State != nil && info.State.Running { // survived the signal
			return nil
		}
		ctx, cancel := withReadyTimeout(ctx)
		defer cancel()
		if err := r.startContainer(ctx, n.Name, nodePorts(n)...); err != nil {
			return err
		}
		return r.waitNode(ctx, n)
	case ActionPause:
		return r.cli.ContainerUnpause(ctx, id)
	case ActionRestart:
		return nil
	case ActionDisconnect:
		if err := r.cli.NetworkConnect(ctx, r.netID, id, &network.EndpointSettings{Aliases: []string{n.Name}}); err != nil {
			return err
		}
		// The published ports come back with the endpoint, maybe on new
		// host ports.
		ctx, cancel := withReadyTimeout(ctx)
		defer cancel()
		if err := r.readPorts(ctx, n.Name, nodePorts(n)...); err != nil {
			return err
		}
		return r.waitNode(ctx, n)
	}
	return fmt.Errorf("%w: container.action %q", ErrInvalid, c.Action)
}

// waitExit waits briefly for a killed container to stop running, so a
// lethal signal has taken effect when Apply returns.
func (r *dockerRun) waitExit(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	okC, errC := r.cli.ContainerWait(ctx, id, container.WaitConditionNotRunning)
	select {
	case <-okC:
	case <-errC:
	}
}

func nodePorts(n Node) []string {
	if n.Fixture == FixtureApp {
		return []string{portTraffic, portControl}
	}
	return []string{portTraffic}
}
