package process

import (
	"context"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// Target offers a node's process as its "container": stop = SIGTERM
// (SIGKILL after a grace), a signal to its process group, pause = SIGSTOP,
// restart = stop then start, disconnect = the node's Toxiproxy link goes
// down (a process has no network of its own to leave; NodeURL keeps
// answering). It reports when each took hold (faults.TookHold): the
// process reaped, or seen stopped in /proc. A node started again may
// listen on other ports: its link, NodeURL and control API follow.
func (r *processRun) Target(n vocab.Node) faults.Target {
	link := r.toxi.NodeLink(n.Name)
	c := procContainer{r: r, p: r.nodes[n.Name], node: n.Name, link: link}
	t := faults.Target{Node: n.Name, Container: c, Link: link, Control: labs.Control(n, func() string { return r.ControlURL(n.Name) })}
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
	c.sawExit(ctx)
	return nil
}

// Signal sends sig; a lethal signal has taken effect once the child is
// reaped (waited for at most a second).
func (c procContainer) Signal(ctx context.Context, sig syscall.Signal) error {
	if err := c.p.signal(sig); err != nil {
		return err
	}
	if c.p.wait(ctx, time.Second) {
		c.sawExit(ctx)
	}
	return nil
}

// sawExit reports the node gone when it was reaped.
func (c procContainer) sawExit(ctx context.Context) {
	if !c.p.running() {
		faults.TookHold(ctx, c.p.exitTime())
	}
}

// Pause sends SIGSTOP and reports the node frozen once /proc shows it
// stopped: the kernel delivers the signal asynchronously.
func (c procContainer) Pause(ctx context.Context) error {
	if err := c.p.signal(syscall.SIGSTOP); err != nil {
		return err
	}
	ctx2, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	for {
		if stopped(c.p.pid()) {
			faults.TookHold(ctx, time.Now())
			return nil
		}
		select {
		case <-ctx2.Done():
			return nil // not seen: the apply mark stays when Pause returned
		case <-time.After(time.Millisecond):
		}
	}
}

func (c procContainer) Unpause(context.Context) error { return c.p.signal(syscall.SIGCONT) }

// Restart stops the node (it took hold when the node was reaped) and
// starts it again, on whatever port it takes.
func (c procContainer) Restart(ctx context.Context) error {
	c.p.stop(ctx, procStopGrace)
	c.sawExit(ctx)
	ctx, cancel := labs.WithReadyTimeout(ctx)
	defer cancel()
	return c.r.startNode(ctx, c.node)
}

func (c procContainer) StartAgain(ctx context.Context) error {
	if c.p.running() { // a kill with a signal the node survived
		return nil
	}
	ctx, cancel := labs.WithReadyTimeout(ctx)
	defer cancel()
	if err := c.r.startNode(ctx, c.node); err != nil {
		return err
	}
	return c.r.waitNode(ctx, c.node)
}

func (c procContainer) Disconnect(ctx context.Context) error { return c.link.SetEnabled(ctx, false) }
func (c procContainer) Reconnect(ctx context.Context) error  { return c.link.SetEnabled(ctx, true) }

// stopped says whether /proc shows process pid stopped by a signal
// (state T): proc(5), the field after the command name in parentheses.
func stopped(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && len(s) > i+2 && s[i+2] == 'T'
}
