package compose

import (
	"context"
	"errors"
	"fmt"
	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"slices"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/client"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// Name is the name of Driver; LAB_DRIVER=compose:<project>
// selects it.
const Name = "compose"

// Compose labels: compose puts them on every container it creates.
const (
	labelComposeProject = "com.docker.compose.project"
	labelComposeService = "com.docker.compose.service"
	labelComposeOneOff  = "com.docker.compose.oneoff"
)

// Driver attaches to a compose project that is already running
// (`make lab`: project failover-lab) instead of starting anything:
//
//	topology node "service"  ──▶ the project's container of service "service"
//	topology node "failover" ──▶ ...                      of service "failover"
//	the proxy                ──▶ ...                      of service "proxy"
//
// The URLs are the containers' published ports at the engine's address
// (127.0.0.1 for a local engine), read from Docker.
// The running proxy keeps its own configuration: the topology's pool
// settings cannot be applied to it and are ignored (only proxy.kind builtin
// is accepted). HTTP faults go to an app's control API (8081 inside),
// container faults act on the compose containers, network faults are
// refused (the demo has no Toxiproxy). Close undoes every fault still
// applied and leaves the project running: it did not create it.
type Driver struct {
	// Project is the compose project name (com.docker.compose.project).
	Project string
	// Engine is the Docker engine the project runs on; the zero value is
	// the local engine (docker.ResolveEngine picks the docker CLI's).
	Engine docker.Engine
	// AdminToken is the bearer token of the proxy's admin POSTs. Default:
	// read from the proxy container (env FAILOVER_PROXY_ADMIN_TOKEN,
	// -admin-token, or admin.token of its -config file).
	AdminToken string
}

var _ labs.Driver = (*Driver)(nil)

// Name is "compose:<project>", the LAB_DRIVER value that selects it.
func (d *Driver) Name() string { return Name + ":" + d.Project }

// Start finds the project's running containers and maps the proxy and
// every node to the compose service of the same name. It starts nothing
// and fails when a service is missing, not running or not healthy.
func (d *Driver) Start(ctx context.Context, t vocab.Topology, l *ledger.Ledger) (labs.Run, error) {
	r, err := d.attach(ctx, t, l)
	if err != nil {
		return nil, fmt.Errorf("attach %s to compose project %s: %w", t.Name, d.Project, err)
	}
	return r, nil
}

func (d *Driver) attach(ctx context.Context, t vocab.Topology, l *ledger.Ledger) (*composeRun, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if k := t.Proxy.Kind; k != "" && k != vocab.ProxyBuiltin {
		return nil, fmt.Errorf("%w: proxy.kind: the compose demo runs its own failover-proxy, only %s is accepted (got %q)", labs.ErrUnsupported, vocab.ProxyBuiltin, k)
	}
	if t.UsesTLS() {
		return nil, fmt.Errorf("%w: https: the compose demo serves plain HTTP; TLS runs on the process driver (LAB_DRIVER=process)", labs.ErrUnsupported)
	}
	if d.Project == "" {
		return nil, fmt.Errorf("%w: project: required", vocab.ErrInvalid)
	}
	cli, err := d.Engine.Client()
	if err != nil {
		return nil, err
	}
	r := &composeRun{cli: cli, engine: d.Engine, project: d.Project, urls: map[string]string{}, nets: map[string][]disconnectedEntry{}}
	r.Core = labs.NewCore(Name+"-"+d.Project, t, l, r)
	if err := r.find(ctx, t); err != nil {
		cli.Close()
		return nil, err
	}
	if r.token = d.AdminToken; r.token == "" {
		if r.token, err = r.adminToken(ctx); err != nil {
			cli.Close()
			return nil, err
		}
	}
	if err := r.proxyReady(ctx); err != nil {
		cli.Close()
		return nil, err
	}
	return r, nil
}

// services maps each compose service of the project to its one running
// (non one-off) container.
func services(ctx context.Context, cli client.APIClient, project string) (map[string]container.Summary, error) {
	f := filters.NewArgs(filters.Arg("label", labelComposeProject+"="+project))
	list, err := cli.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	out := map[string]container.Summary{}
	for _, c := range list {
		if c.Labels[labelComposeOneOff] == "True" {
			continue // `compose run` containers are not the service
		}
		name := c.Labels[labelComposeService]
		if prev, ok := out[name]; ok {
			if prev.State == container.StateRunning && c.State == container.StateRunning {
				return nil, fmt.Errorf("service %s has several running containers; the compose driver attaches to exactly one", name)
			}
			if prev.State == container.StateRunning {
				continue
			}
		}
		out[name] = c
	}
	return out, nil
}

// find maps the proxy and every node to their service's container, and
// checks each is running and, when it has a health check, healthy.
func (r *composeRun) find(ctx context.Context, t vocab.Topology) error {
	svcs, err := services(ctx, r.cli, r.project)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(svcs))
	for name := range svcs {
		names = append(names, name)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return fmt.Errorf("no containers of compose project %q (is it up? `make lab` runs project failover-lab)", r.project)
	}
	want := []string{docker.NameProxy}
	for _, n := range t.Nodes {
		want = append(want, n.Name)
	}
	r.ids = map[string]string{}
	for _, name := range want {
		c, ok := svcs[name]
		if !ok {
			what := "node " + name
			if name == docker.NameProxy {
				what = "the proxy"
			}
			return fmt.Errorf("%s: no service %q in compose project %s (services: %s)", what, name, r.project, strings.Join(names, ", "))
		}
		info, err := r.cli.ContainerInspect(ctx, c.ID)
		if err != nil {
			return fmt.Errorf("service %s: %w", name, err)
		}
		if err := usable(info); err != nil {
			return fmt.Errorf("service %s (container %s): %w", name, strings.TrimPrefix(info.Name, "/"), err)
		}
		r.ids[name] = c.ID
		r.readPorts(name, info)
	}
	if r.ProxyURL() == "" {
		return fmt.Errorf("service %s publishes no %s reachable at %s: the load cannot reach it", docker.NameProxy, docker.PortTraffic, r.engine.ReachIP())
	}
	return nil
}

// usable says why a container cannot be attached to: not running, paused,
// or its health check does not (yet) pass.
func usable(info container.InspectResponse) error {
	s := info.State
	switch {
	case s == nil:
		return errors.New("no state")
	case s.Paused:
		return errors.New("is paused (unpause it first)")
	case !s.Running:
		return fmt.Errorf("is not running (%s, exit code %d)", s.Status, s.ExitCode)
	case s.Health != nil && s.Health.Status != container.Healthy:
		return fmt.Errorf("is not healthy (%s)", s.Health.Status)
	}
	return nil
}

// proxyReady asks the proxy's admin /ready, when the admin is published.
func (r *composeRun) proxyReady(ctx context.Context) error {
	admin := r.AdminURL()
	if admin == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return labs.WaitHTTP(ctx, admin+"/ready", labs.Is2xx, nil)
}
