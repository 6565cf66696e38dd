package labs

import (
	"context"

	"github.com/docker/docker/api/types/network"
)

// Container faults on containers: stop, kill with a signal, pause (cgroup
// freezer), restart, and disconnect from the run's network (Toxiproxy then
// cannot reach the node; its published port goes dark too).
func (r *dockerRun) faults() containerFaults {
	return containerFaults{
		cli: r.cli,
		id:  func(name string) string { return r.container(name).GetContainerID() },
		restarted: func(ctx context.Context, n Node) error {
			return r.readPorts(ctx, n.Name, nodePorts(n)...)
		},
		start: func(ctx context.Context, n Node, _ string) error {
			return r.startContainer(ctx, n.Name, nodePorts(n)...)
		},
		disconnect: func(ctx context.Context, _ Node, id string) error {
			return r.cli.NetworkDisconnect(ctx, r.netID, id, true)
		},
		reconnect: func(ctx context.Context, n Node, id string) error {
			if err := r.cli.NetworkConnect(ctx, r.netID, id, &network.EndpointSettings{Aliases: []string{n.Name}}); err != nil {
				return err
			}
			// The published ports come back with the endpoint, maybe on
			// new host ports.
			return r.readPorts(ctx, n.Name, nodePorts(n)...)
		},
		waitNode: r.waitNode,
	}
}

func (r *dockerRun) containerApply(ctx context.Context, n Node, c ContainerFault) error {
	return r.faults().apply(ctx, n, c)
}

func (r *dockerRun) containerClear(ctx context.Context, n Node, c ContainerFault) error {
	return r.faults().clear(ctx, n, c)
}

func nodePorts(n Node) []string {
	if n.Fixture == FixtureApp {
		return []string{portTraffic, portControl}
	}
	return []string{portTraffic}
}
