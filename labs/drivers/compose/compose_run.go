package compose

import (
	"context"
	"errors"
	"fmt"
	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"slices"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"
	"github.com/docker/go-connections/nat"
)

// composeRun is a compose project attached to: the shared core applies
// faults; this type knows the containers, their ports, and what it broke.
type composeRun struct {
	*labs.Core
	cli     *client.Client
	engine  docker.Engine
	project string
	token   string
	ids     map[string]string // service name → container id; fixed after find

	mu      sync.Mutex
	urls    map[string]string              // "<service> <port>" → http://ENGINE-ADDRESS:PORT
	applied []labs.Applied                 // faults in force, in order, undone by Close
	nets    map[string][]disconnectedEntry // node → networks a disconnect left
}

// disconnectedEntry is one network a disconnect fault took the node off,
// with the aliases to restore.
type disconnectedEntry struct {
	id      string
	aliases []string
}

var (
	_ labs.Run      = (*composeRun)(nil)
	_ labs.OnEngine = (*composeRun)(nil)
)

// readPorts records the published ports of a container, replacing what
// was known: a restart may publish on other host ports.
func (r *composeRun) readPorts(name string, info container.InspectResponse) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range []string{docker.PortTraffic, docker.PortControl, docker.PortAdmin} {
		delete(r.urls, name+" "+p)
		if info.NetworkSettings == nil {
			continue
		}
		if port := reachablePort(info.NetworkSettings.Ports[nat.Port(p)], r.engine.PublishIP()); port != "" {
			r.urls[name+" "+p] = r.engine.URL(port)
		}
	}
}

// reachablePort is the host port of a binding the lab reaches where the
// engine publishes (127.0.0.1 for a local engine): one on that address or
// on every address.
func reachablePort(bindings []nat.PortBinding, publishIP string) string {
	for _, b := range bindings {
		if b.HostPort != "" && ((publishIP != "" && b.HostIP == publishIP) || b.HostIP == "0.0.0.0" || b.HostIP == "") {
			return b.HostPort
		}
	}
	return ""
}

func (r *composeRun) url(name, port string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.urls[name+" "+port]
}

func (r *composeRun) ProxyURL() string   { return r.url(docker.NameProxy, docker.PortTraffic) }
func (r *composeRun) AdminURL() string   { return r.url(docker.NameProxy, docker.PortAdmin) }
func (r *composeRun) AdminToken() string { return r.token }

// NodeURL is "" for a node whose service publishes no 8080 (the demo's
// nodes publish none: only the proxy reaches them).
func (r *composeRun) NodeURL(name string) string { return r.url(name, docker.PortTraffic) }

func (r *composeRun) ControlURL(name string) string { return r.url(name, docker.PortControl) }

// Apply applies like any run (the target refuses what the demo cannot do:
// network faults, http faults on an app whose control API is not
// published) and remembers the fault for Close.
func (r *composeRun) Apply(ctx context.Context, f vocab.Fault) (labs.Applied, error) {
	a, err := r.Core.Apply(ctx, f)
	if err != nil {
		return a, err
	}
	r.mu.Lock()
	r.applied = append(r.applied, a)
	r.mu.Unlock()
	return a, nil
}

func (r *composeRun) Clear(ctx context.Context, a labs.Applied) error {
	if err := r.Core.Clear(ctx, a); err != nil {
		return err
	}
	r.forget(a)
	return nil
}

func (r *composeRun) forget(a labs.Applied) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.applied = slices.DeleteFunc(r.applied, func(b labs.Applied) bool {
		return b.Fault.Name == a.Fault.Name && b.At.Equal(a.At)
	})
}

// Close undoes every fault still in force, newest first, without ledger
// marks (the run is over), and leaves the project's containers running.
func (r *composeRun) Close(ctx context.Context) error {
	return r.CloseOnce(ctx, 30*time.Second, func(ctx context.Context) error {
		defer r.cli.Close()
		r.mu.Lock()
		left := slices.Clone(r.applied)
		r.applied = nil
		r.mu.Unlock()
		var errs []error
		// An HTTP fault that ran out (count, for) or died with a restart is
		// gone already; its undo says so without an error.
		for _, a := range slices.Backward(left) {
			if err := a.Undo(ctx); err != nil {
				errs = append(errs, fmt.Errorf("clear %s (%s): %w", a.Fault.Name, a.Fault.Describe(), err))
			}
		}
		return errors.Join(errs...)
	})
}

// networksOf lists the networks a container is on, with its aliases there.
func networksOf(info container.InspectResponse) []disconnectedEntry {
	var out []disconnectedEntry
	if info.NetworkSettings == nil {
		return nil
	}
	for name, ep := range info.NetworkSettings.Networks {
		id := ep.NetworkID
		if id == "" {
			id = name
		}
		out = append(out, disconnectedEntry{id: id, aliases: ep.Aliases})
	}
	return out
}

func endpoint(e disconnectedEntry) *network.EndpointSettings {
	return &network.EndpointSettings{Aliases: e.aliases}
}

// EngineAddress is where the engine's published ports are reached.
func (r *composeRun) EngineAddress() string { return r.engine.ReachIP() }
