package docker

import (
	"context"
	"github.com/failover-lab/failover-lab/labs"
	"strconv"

	"github.com/docker/docker/api/types/network"

	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// target offers a node's container (stop, kill, pause, restart, and
// disconnect from the run's network: Toxiproxy then cannot reach it, and
// its published port goes dark too), its Toxiproxy link and its control API.
func (r *dockerRun) Target(n vocab.Node) faults.Target {
	id := r.container(n.Name)
	c := NodeContainer{
		Cli:       r.cli,
		ID:        id,
		Node:      n,
		Restarted: func(ctx context.Context) error { return r.readPorts(ctx, n.Name, nodePorts(n)...) },
		Start:     func(ctx context.Context) error { return r.startContainer(ctx, n.Name, nodePorts(n)...) },
		Leave: func(ctx context.Context) error {
			return r.cli.NetworkDisconnect(ctx, r.netID, id, true)
		},
		Rejoin: func(ctx context.Context) error {
			if err := r.cli.NetworkConnect(ctx, r.netID, id, &network.EndpointSettings{Aliases: []string{n.Name}}); err != nil {
				return err
			}
			// The published ports come back with the endpoint, maybe on
			// new host ports.
			return r.readPorts(ctx, n.Name, nodePorts(n)...)
		},
		WaitNode: func(ctx context.Context) error { return r.waitNode(ctx, n) },
	}
	return faults.Target{Node: n.Name, Container: c, Link: r.toxi.NodeLink(n.Name), Control: labs.Control(n, func() string { return r.ControlURL(n.Name) })}
}

// nodePorts are the ports a node's container publishes: its traffic port
// and, with a fault-control API, the control port.
func nodePorts(n vocab.Node) []string {
	if n.HasControl() {
		return []string{trafficPort(n), PortControl}
	}
	return []string{trafficPort(n)}
}

// trafficPort is the node's traffic port inside its container, as Docker
// names it: "8080/tcp".
func trafficPort(n vocab.Node) string { return strconv.Itoa(n.TrafficPort()) + "/tcp" }
