package compose

import (
	"context"
	"fmt"
	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"io"
	"time"

	"github.com/docker/docker/api/types/container"
)

// target offers a compose container as the Docker driver offers its own;
// disconnect takes the container off every network it is on (the demo's:
// <project>_default) and Reconnect puts it back with the same aliases, so
// the proxy finds it by its service name again. There is no Toxiproxy
// link: network faults are refused.
func (r *composeRun) Target(n vocab.Node) faults.Target {
	id := r.ids[n.Name]
	c := docker.NodeContainer{
		Cli:       r.cli,
		ID:        id,
		Node:      n,
		Restarted: func(ctx context.Context) error { return r.refresh(ctx, n.Name) },
		Start: func(ctx context.Context) error {
			if err := r.cli.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
				return fmt.Errorf("start %s: %w", n.Name, err)
			}
			return nil
		},
		Leave:    func(ctx context.Context) error { return r.disconnect(ctx, n, id) },
		Rejoin:   func(ctx context.Context) error { return r.reconnect(ctx, n, id) },
		WaitNode: func(ctx context.Context) error { return r.waitNode(ctx, n) },
	}
	return faults.Target{Node: n.Name, Container: c, Control: labs.Control(n, func() string { return r.ControlURL(n.Name) })}
}

// disconnect takes a container off every network it is on and remembers
// the endpoints for reconnect.
func (r *composeRun) disconnect(ctx context.Context, n vocab.Node, id string) error {
	info, err := r.cli.ContainerInspect(ctx, id)
	if err != nil {
		return err
	}
	nets := networksOf(info)
	for _, e := range nets {
		if err := r.cli.NetworkDisconnect(ctx, e.id, id, true); err != nil {
			return err
		}
	}
	r.mu.Lock()
	r.nets[n.Name] = nets
	r.mu.Unlock()
	return nil
}

// reconnect puts a container back on the networks disconnect took it off,
// with the same aliases.
func (r *composeRun) reconnect(ctx context.Context, n vocab.Node, id string) error {
	r.mu.Lock()
	nets := r.nets[n.Name]
	delete(r.nets, n.Name)
	r.mu.Unlock()
	for _, e := range nets {
		if err := r.cli.NetworkConnect(ctx, e.id, id, endpoint(e)); err != nil {
			return err
		}
	}
	return nil
}

// refresh re-reads a container's published ports.
func (r *composeRun) refresh(ctx context.Context, name string) error {
	info, err := r.cli.ContainerInspect(ctx, r.ids[name])
	if err != nil {
		return err
	}
	r.readPorts(name, info)
	return nil
}

// waitNode waits until a node started again answers. The demo publishes
// no traffic port of its nodes, so readiness is the container's own
// health check command, run in it now (Docker's next scheduled check may
// be seconds away), plus the control API of an app that publishes it.
func (r *composeRun) waitNode(ctx context.Context, n vocab.Node) error {
	id := r.ids[n.Name]
	backoff := 20 * time.Millisecond
	for {
		info, err := r.cli.ContainerInspect(ctx, id)
		if err != nil {
			return err
		}
		if s := info.State; s != nil && !s.Running && !s.Restarting {
			return fmt.Errorf("service %s %s (exit code %d)", n.Name, s.Status, s.ExitCode)
		}
		r.readPorts(n.Name, info)
		last := r.check(ctx, id, info)
		if last == nil {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("service %s not ready: %w (last: %v)", n.Name, ctx.Err(), last)
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 200*time.Millisecond)
	}
	if u := r.ControlURL(n.Name); u != "" && n.Fixture == vocab.FixtureApp {
		return labs.WaitHTTP(ctx, u+"/faults", labs.Is2xx, nil)
	}
	return nil
}

// check runs the container's health check command once: nil when it
// exits 0, or when the container has none.
func (r *composeRun) check(ctx context.Context, id string, info container.InspectResponse) error {
	var cmd []string
	if info.Config != nil && info.Config.Healthcheck != nil {
		switch t := info.Config.Healthcheck.Test; {
		case len(t) > 1 && t[0] == "CMD":
			cmd = t[1:]
		case len(t) == 2 && t[0] == "CMD-SHELL":
			cmd = []string{"/bin/sh", "-c", t[1]}
		}
	}
	if len(cmd) == 0 {
		if info.State != nil && info.State.Running {
			return nil
		}
		return fmt.Errorf("not running")
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	ex, err := r.cli.ContainerExecCreate(ctx, id, container.ExecOptions{Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		return fmt.Errorf("health check: %w", err)
	}
	att, err := r.cli.ContainerExecAttach(ctx, ex.ID, container.ExecAttachOptions{})
	if err != nil {
		return fmt.Errorf("health check: %w", err)
	}
	_, _ = io.Copy(io.Discard, att.Reader) // until the command exits
	att.Close()
	res, err := r.cli.ContainerExecInspect(ctx, ex.ID)
	switch {
	case err != nil:
		return fmt.Errorf("health check: %w", err)
	case res.Running || res.ExitCode != 0:
		return fmt.Errorf("health check %v: exit code %d", cmd, res.ExitCode)
	}
	return nil
}
