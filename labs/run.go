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
	At    time.Time // when the fault took hold (the apply mark's time)
	// ID is the control API's id of an HTTP fault, its name ("" for the
	// others).
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
	t.Fault = f.Name
	// The apply mark is when the fault's effect took hold, as the target
	// saw it (faults.TookHold: a process reaped, a toxic listed). A target
	// that saw nothing leaves it when the action was issued (a stopping
	// node stops accepting at SIGTERM, before the stop returns), or when it
	// returned for kinds certain only then (faults.InForceOnReturn).
	ctx, held := faults.WatchHold(ctx)
	issued := time.Now()
	a := Applied{Fault: f, At: issued}
	if f.Family() == faults.FamilyHTTP {
		a.ID = f.Name
	}
	var err error
	a.undo, err = f.Settings.Apply(ctx, t)
	_, onReturn := f.Settings.(faults.InForceOnReturn)
	returned := time.Now()
	at, observed := held()
	if err != nil {
		return Applied{}, fmt.Errorf("apply %s (%s): %w", f.Name, f.Describe(), err)
	}
	how := "issued"
	switch {
	case observed:
		a.At, how = within(at, issued, returned), "seen in force"
	case onReturn:
		a.At, how = returned, "returned"
	}
	c.markApply(a.At, f, returned.Sub(issued), how, a.At.Sub(issued))
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

// within clamps at into [from, to]: an engine's clock may differ from ours.
func within(at, from, to time.Time) time.Time {
	switch {
	case at.Before(from):
		return from
	case at.After(to):
		return to
	}
	return at
}

// markApply marks a fault at the instant it counts from, and says in the
// detail how that instant was known: "kill SIGKILL (took 1.84s; seen in
// force +1.80s after issue)".
func (c *Core) markApply(at time.Time, f vocab.Fault, took time.Duration, how string, after time.Duration) {
	if c.led == nil {
		return
	}
	detail := fmt.Sprintf("%s (took %s; %s +%s after issue)", f.Describe(), took.Round(time.Millisecond), how, after.Round(time.Millisecond))
	if how == "issued" {
		detail = fmt.Sprintf("%s (took %s; marked when issued)", f.Describe(), took.Round(time.Millisecond))
	}
	c.led.Mark(ledger.Mark{At: at, Name: f.Name, Kind: ledger.MarkApply, Detail: detail})
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

// Control is the fault-control API of an app node, at the address url
// gives at each call ("" = none): a restart may move it (the process
// driver's child picks a new port, Docker publishes anew), and a fault
// applied before the restart is cleared after it.
func Control(n vocab.Node, url func() string) faults.Control {
	if !n.HasControl() {
		return nil
	}
	return control{n.Name, url}
}

// control reports an HTTP fault in force when the app answers its apply:
// the app switches the fault on before it answers.
type control struct {
	node string
	url  func() string
}

func (c control) client() (app.Client, error) {
	u := c.url()
	if u == "" {
		return app.Client{}, fmt.Errorf("%w: node %s has no fault-control API now (is it down?)", faults.ErrUnsupported, c.node)
	}
	return app.Client{BaseURL: u}, nil
}

func (c control) Apply(ctx context.Context, f app.Fault) (app.Fault, error) {
	api, err := c.client()
	if err != nil {
		return app.Fault{}, err
	}
	out, err := api.Apply(ctx, f)
	if err == nil {
		faults.TookHold(ctx, time.Now())
	}
	return out, err
}

func (c control) Clear(ctx context.Context, id string) error {
	api, err := c.client()
	if err != nil {
		return err
	}
	return api.Clear(ctx, id)
}

func (c control) List(ctx context.Context) ([]app.Active, error) {
	api, err := c.client()
	if err != nil {
		return nil, err
	}
	return api.List(ctx)
}

// Undo reverts the fault without a ledger mark: for a driver's Close, which
// undoes what is still in force once the run is over.
func (a Applied) Undo(ctx context.Context) error {
	if a.undo == nil {
		return nil
	}
	return a.undo(ctx)
}
