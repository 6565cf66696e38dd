package labs

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/failover-lab/failover-lab/fixtures/app"
	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// ErrClosed is returned by Apply and Clear after Close.
var ErrClosed = errors.New("run closed")

// ErrUnsupported is wrapped when a driver cannot do what was asked (a
// network fault on the compose demo, which has no Toxiproxy).
var ErrUnsupported = faults.ErrUnsupported

// Applied is a fault in force, as Run.Apply returned it; pass it to
// Run.Clear to undo the fault.
type Applied struct {
	Fault vocab.Fault
	At    time.Time // when the fault was issued (the apply mark's time)
	// ID is the control API's id of an HTTP fault ("" for the others).
	ID string

	undo faults.Undo
}

// Targets is what a driver offers to break its nodes: the only thing the
// shared core needs from it. The core applies faults through their kinds
// (labs/faults) and never asks which driver runs.
type Targets interface {
	Target(n vocab.Node) faults.Target
}

// Core implements ID, Apply and Clear for every driver's run: validation,
// the fault's own Apply, and the ledger marks; and the once-only Close.
// A driver's run embeds it.
type Core struct {
	id   string
	topo vocab.Topology
	led  *ledger.Ledger
	ops  Targets

	clientTLS *tls.Config // nil: the proxy listens in plain HTTP

	mu     sync.Mutex
	closed bool

	closeOnce sync.Once
	closeErr  error
}

// NewCore is the core of run id of topology t, marking faults in l (nil:
// no marks), breaking nodes through ops.
func NewCore(id string, t vocab.Topology, l *ledger.Ledger, ops Targets) *Core {
	return &Core{id: id, topo: t, led: l, ops: ops}
}

// Topology is what the run started.
func (c *Core) Topology() vocab.Topology { return c.topo }

func (c *Core) ID() string { return c.id }

// UseClientTLS sets what ClientTLS returns: the driver's run serves its
// proxy over HTTPS, signed by cfg's roots. Call it before Start returns.
func (c *Core) UseClientTLS(cfg *tls.Config) { c.clientTLS = cfg }

func (c *Core) ClientTLS() *tls.Config { return c.clientTLS }

func (c *Core) Apply(ctx context.Context, f vocab.Fault) (Applied, error) {
	if err := c.topo.ValidateFault(f); err != nil {
		return Applied{}, fmt.Errorf("apply %s: %w", f.Name, err)
	}
	if c.isClosed() {
		return Applied{}, fmt.Errorf("apply %s: %w", f.Name, ErrClosed)
	}
	n, _ := c.topo.Node(f.Node)
	t := c.ops.Target(n)
	// The apply mark is when the action was issued: a stopping node stops
	// accepting at SIGTERM, before the stop returns. Kinds whose effect is
	// certain only on return (faults.InForceOnReturn) are marked then.
	issued := time.Now()
	a := Applied{Fault: f, At: issued}
	var err error
	if f.HTTP != nil {
		a.ID, a.undo, err = faults.ApplyHTTP(ctx, t, *f.HTTP)
	} else {
		k, p, _ := f.Kind() // ValidateFault found it
		a.undo, err = k.Apply(ctx, t, p)
		if _, onReturn := k.(faults.InForceOnReturn); onReturn {
			a.At = time.Now()
		}
	}
	if err != nil {
		return Applied{}, fmt.Errorf("apply %s (%s): %w", f.Name, f.Describe(), err)
	}
	c.mark(a.At, f, ledger.MarkApply, time.Since(issued))
	return a, nil
}

func (c *Core) Clear(ctx context.Context, a Applied) error {
	f := a.Fault
	if _, ok := c.topo.Node(f.Node); !ok || a.undo == nil {
		return fmt.Errorf("clear %s: %w: not a fault this run applied", f.Name, vocab.ErrInvalid)
	}
	if c.isClosed() {
		return fmt.Errorf("clear %s: %w", f.Name, ErrClosed)
	}
	began := time.Now()
	if err := a.undo(ctx); err != nil {
		return fmt.Errorf("clear %s (%s): %w", f.Name, f.Describe(), err)
	}
	// The clear mark is when the undo has taken effect (a restarted node
	// answers again): from then on, what the proxy does is the proxy's.
	now := time.Now()
	c.mark(now, f, ledger.MarkClear, now.Sub(began))
	return nil
}

func (c *Core) mark(at time.Time, f vocab.Fault, kind string, took time.Duration) {
	if c.led == nil {
		return
	}
	detail := fmt.Sprintf("%s (took %s)", f.Describe(), took.Round(time.Millisecond))
	c.led.Mark(ledger.Mark{At: at, Name: f.Name, Kind: kind, Detail: detail})
}

func (c *Core) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// CloseOnce is the close half of every driver's lifecycle: the first call
// refuses further faults, runs each step under its own deadline (cleanup
// must finish even when the caller's context is done: an interrupted
// test), and joins their errors; later calls return the same error.
func (c *Core) CloseOnce(ctx context.Context, timeout time.Duration, steps ...func(context.Context) error) error {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		defer cancel()
		var errs []error
		for _, step := range steps {
			errs = append(errs, step(ctx))
		}
		if err := errors.Join(errs...); err != nil {
			c.closeErr = fmt.Errorf("close %s: %w", c.id, err)
		}
	})
	return c.closeErr
}

// Control is the fault-control API of an app node at url ("" = none).
func Control(n vocab.Node, url string) faults.Control {
	if !n.HasControl() || url == "" {
		return nil
	}
	return app.Client{BaseURL: url}
}

// Undo reverts the fault without a ledger mark: for a driver's Close, which
// undoes what is still in force once the run is over.
func (a Applied) Undo(ctx context.Context) error {
	if a.undo == nil {
		return nil
	}
	return a.undo(ctx)
}
