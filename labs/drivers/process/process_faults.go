package process

import (
	"context"
	"github.com/failover-lab/failover-lab/labs"
	"syscall"
	"time"

	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// target offers a node's process as its "container": stop = SIGTERM
// (SIGKILL after a grace), a signal to its process group, pause = SIGSTOP,
// restart = stop then start, disconnect = the node's Toxiproxy link goes
// down (a process has no network of its own to leave; NodeURL keeps
// answering).
func (r *processRun) Target(n vocab.Node) faults.Target {
	link := r.toxi.NodeLink(n.Name)
	c := procContainer{r: r, p: r.nodes[n.Name], node: n.Name, link: link}
	t := faults.Target{Node: n.Name, Container: c, Link: link, Control: labs.Control(n, r.ControlURL(n.Name))}
	if n.HTTPS {
		t.Cert = r.tls.Cert(n.Name, func() error { return c.p.signal(syscall.SIGHUP) })
	}
	return t
}

type procContainer struct {
	r    *processRun
	p    *proc
	node string
	link faults.Link
}

var _ faults.Container = procContainer{}

func (c procContainer) Stop(ctx context.Context) error {
	c.p.stop(ctx, procStopGrace)
	return nil
}

// Signal sends sig; a lethal signal has taken effect once the child is
// reaped (waited for at most a second).
func (c procContainer) Signal(ctx context.Context, sig syscall.Signal) error {
	if err := c.p.signal(sig); err != nil {
		return err
	}
	c.p.wait(ctx, time.Second)
	return nil
}

func (c procContainer) Pause(context.Context) error   { return c.p.signal(syscall.SIGSTOP) }
func (c procContainer) Unpause(context.Context) error { return c.p.signal(syscall.SIGCONT) }

func (c procContainer) Restart(ctx context.Context) error {
	c.p.stop(ctx, procStopGrace)
	return c.p.start(c.r.sp)
}

func (c procContainer) StartAgain(ctx context.Context) error {
	if c.p.running() { // a kill with a signal the node survived
		return nil
	}
	if err := c.p.start(c.r.sp); err != nil {
		return err
	}
	ctx, cancel := labs.WithReadyTimeout(ctx)
	defer cancel()
	return c.r.waitNode(ctx, c.node)
}

func (c procContainer) Disconnect(ctx context.Context) error { return c.link.SetEnabled(ctx, false) }
func (c procContainer) Reconnect(ctx context.Context) error  { return c.link.SetEnabled(ctx, true) }
