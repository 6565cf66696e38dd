package labs

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// ErrClosed is returned by Apply and Clear after Close.
var ErrClosed = errors.New("run closed")

// nodeOps is what a driver does to one node; the shared core does the rest
// (validation, ledger marks, Toxiproxy, the fixtures' control API).
type nodeOps interface {
	// containerApply and containerClear act on the node's container or
	// process. Clear returns once the node answers HTTP again.
	containerApply(ctx context.Context, n Node, c ContainerFault) error
	containerClear(ctx context.Context, n Node, c ContainerFault) error
	// controlURL is the base URL of an app node's fault-control API.
	controlURL(node string) string
}

// core implements Apply and Clear for both drivers.
type core struct {
	id   string
	topo Topology
	led  *ledger.Ledger
	toxi *toxi
	ops  nodeOps

	mu     sync.Mutex
	closed bool
}

func (c *core) ID() string { return c.id }

func (c *core) Apply(ctx context.Context, f Fault) (Applied, error) {
	if err := f.Validate(); err != nil {
		return Applied{}, fmt.Errorf("apply %s: %w", f.Name, err)
	}
	n, ok := c.topo.Node(f.Node)
	if !ok {
		return Applied{}, fmt.Errorf("apply %s: %w: node: no node %q in topology %s", f.Name, ErrInvalid, f.Node, c.topo.Name)
	}
	if c.isClosed() {
		return Applied{}, fmt.Errorf("apply %s: %w", f.Name, ErrClosed)
	}
	// The apply mark is when the action was issued: a stopping node stops
	// accepting at SIGTERM, before the stop returns.
	a := Applied{Fault: f, At: time.Now()}
	var err error
	switch {
	case f.HTTP != nil:
		a.httpID, err = c.httpApply(ctx, n, f)
	case f.Container != nil:
		err = c.ops.containerApply(ctx, n, *f.Container)
	case f.Network != nil:
		a.toxic, err = c.toxi.apply(n.Name, *f.Network)
	}
	if err != nil {
		return Applied{}, fmt.Errorf("apply %s (%s): %w", f.Name, f.describe(), err)
	}
	c.mark(a.At, f, ledger.MarkApply, time.Since(a.At))
	return a, nil
}

func (c *core) Clear(ctx context.Context, a Applied) error {
	f := a.Fault
	n, ok := c.topo.Node(f.Node)
	if !ok {
		return fmt.Errorf("clear %s: %w: node: no node %q in topology %s", f.Name, ErrInvalid, f.Node, c.topo.Name)
	}
	if c.isClosed() {
		return fmt.Errorf("clear %s: %w", f.Name, ErrClosed)
	}
	began := time.Now()
	var err error
	switch {
	case f.HTTP != nil:
		err = c.httpClear(ctx, n, a.httpID)
	case f.Container != nil:
		err = c.ops.containerClear(ctx, n, *f.Container)
	case f.Network != nil:
		err = c.toxi.clear(n.Name, a.toxic, *f.Network)
	}
	if err != nil {
		return fmt.Errorf("clear %s (%s): %w", f.Name, f.describe(), err)
	}
	// The clear mark is when the undo has taken effect (a restarted node
	// answers again): from then on, what the proxy does is the proxy's.
	now := time.Now()
	c.mark(now, f, ledger.MarkClear, now.Sub(began))
	return nil
}

func (c *core) mark(at time.Time, f Fault, kind string, took time.Duration) {
	if c.led == nil {
		return
	}
	detail := fmt.Sprintf("%s (took %s)", f.describe(), took.Round(time.Millisecond))
	c.led.Mark(ledger.Mark{At: at, Name: f.Name, Kind: kind, Detail: detail})
}

func (c *core) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// markClosed reports whether this call closed the run (false: already was).
func (c *core) markClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.closed = true
	return true
}
