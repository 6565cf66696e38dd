package agent

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
)

// exchanges is how many clock exchanges Dial makes; the shortest wins.
const exchanges = 8

// ErrGone is wrapped when the agent's output ended (its container exited
// or was removed) while the lab still wanted something of it.
var ErrGone = errors.New("the load's agent is gone")

// Client is the lab's end of an agent: it sends requests to the agent's
// stdin and turns the events of its stdout into ledger rows and probe
// answers on the lab's clock. Safe for concurrent use.
type Client struct {
	in io.WriteCloser

	origin time.Time     // the agent's origin on the lab's clock
	bound  time.Duration // how far origin may be off: half the best round trip

	gone    chan struct{} // closed when the agent's output ends
	goneErr error         // why, set before gone closes

	wmu sync.Mutex // one request line at a time on in; never held with mu

	mu      sync.Mutex // guards next and the waiters; the reader takes it, never blocking on a write
	next    int
	clocks  map[int]chan clockEvent
	answers map[int]chan answerEvent
	loads   map[int]*pendingLoad
}

type pendingLoad struct {
	rec  load.Recorder
	done chan string // the done event's error
}

// Dial starts the lab's end of the agent whose stdin is in and stdout
// out, and places the agent's origin on the lab's clock. Close stops it.
func Dial(ctx context.Context, in io.WriteCloser, out io.Reader) (*Client, error) {
	c := &Client{in: in, gone: make(chan struct{}), clocks: map[int]chan clockEvent{},
		answers: map[int]chan answerEvent{}, loads: map[int]*pendingLoad{}}
	go c.read(out)
	xs := make([]exchange, 0, exchanges)
	for range exchanges {
		x, err := c.exchange(ctx)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("load agent: clock: %w", err)
		}
		xs = append(xs, x)
	}
	c.mu.Lock()
	c.origin, c.bound = placeOrigin(xs)
	c.mu.Unlock()
	return c, nil
}

// ClockBound is how far the agent's times may be off the lab's (half the
// shortest clock exchange's round trip).
func (c *Client) ClockBound() time.Duration { return c.bound }

func (c *Client) exchange(ctx context.Context) (exchange, error) {
	asked := time.Now()
	e, err := ask(ctx, c, c.clocks, func(n int) request { return request{Clock: n} })
	if err != nil {
		return exchange{}, err
	}
	return exchange{asked: asked, answered: time.Now(), at: e.At}, nil
}

// ask registers a one-slot waiter in waiting under a new id, sends the
// request made for that id, and returns the event the reader offers it,
// or why none will come.
func ask[T any](ctx context.Context, c *Client, waiting map[int]chan T, req func(id int) request) (T, error) {
	ch := make(chan T, 1)
	c.mu.Lock()
	c.next++
	id := c.next
	waiting[id] = ch
	c.mu.Unlock()
	defer c.forget(func() { delete(waiting, id) })
	var none T
	if err := c.send(req(id)); err != nil {
		return none, err
	}
	select {
	case e := <-ch:
		return e, nil
	case <-c.gone:
		return none, c.goneErr
	case <-ctx.Done():
		return none, ctx.Err()
	}
}

// Load runs spec's load in the agent and records its rows in rec, on the
// lab's clock, as they come. Like load.Run it returns when the load has
// run its course, or soon after ctx is cancelled (then nil: the agent
// stops it and drops what the cancellation cut short); an error when the
// agent refused the spec or is gone.
func (c *Client) Load(ctx context.Context, spec load.Spec, rec load.Recorder) error {
	p := &pendingLoad{rec: rec, done: make(chan string, 1)}
	c.mu.Lock()
	c.next++
	id := c.next
	c.loads[id] = p
	c.mu.Unlock()
	defer c.forget(func() { delete(c.loads, id) })
	if err := c.send(request{Load: &loadReq{ID: id, Spec: spec}}); err != nil {
		return fmt.Errorf("load agent: %w", err)
	}
	ended := func(msg string) error {
		if msg != "" {
			return fmt.Errorf("load agent: %s", msg)
		}
		return nil
	}
	select {
	case msg := <-p.done:
		return ended(msg)
	case <-c.gone:
		return fmt.Errorf("load agent: %w", c.goneErr)
	case <-ctx.Done():
	}
	// Stopped by the caller: the agent stops the load and drops what the
	// stop cut short; nil, as load.Run, unless the agent refused it.
	if err := c.send(request{Stop: id}); err != nil {
		return nil // gone: nothing more comes of it
	}
	select {
	case msg := <-p.done:
		return ended(msg)
	case <-c.gone:
		return nil
	}
}

// Get sends one GET of url from the agent (url's host where reach allows)
// and returns when it was sent, on the lab's clock, and what came back.
func (c *Client) Get(ctx context.Context, url string, reach load.Reach) (time.Time, ledger.ProbeAnswer) {
	asked := time.Now()
	e, err := ask(ctx, c, c.answers, func(id int) request { return request{Get: &getReq{ID: id, URL: url, Reach: reach}} })
	if err != nil {
		return asked, ledger.ProbeAnswer{Err: err.Error()}
	}
	return c.origin.Add(e.Sent), e.Answer
}

// Close ends the agent's input (the agent then stops its loads and
// exits). The reader stops when the agent's output ends.
func (c *Client) Close() error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.in.Close()
}

// Done is closed once the agent's output has ended.
func (c *Client) Done() <-chan struct{} { return c.gone }

func (c *Client) send(r request) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	select {
	case <-c.gone:
		return c.goneErr
	default:
	}
	if _, err := c.in.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("%w: %w", ErrGone, err)
	}
	return nil
}

func (c *Client) forget(f func()) {
	c.mu.Lock()
	f()
	c.mu.Unlock()
}

// read dispatches the agent's events until its output ends.
func (c *Client) read(out io.Reader) {
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var err error
	for sc.Scan() {
		var e event
		if err = json.Unmarshal(sc.Bytes(), &e); err != nil {
			err = fmt.Errorf("event %q: %w", trim(sc.Bytes()), err)
			break
		}
		c.dispatch(e)
	}
	if err == nil {
		err = sc.Err()
	}
	if err == nil {
		err = io.EOF
	}
	c.goneErr = fmt.Errorf("%w: %w", ErrGone, err)
	close(c.gone)
}

func (c *Client) dispatch(e event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case e.Clock != nil:
		offer(c.clocks[e.Clock.N], *e.Clock)
	case e.Answer != nil:
		offer(c.answers[e.Answer.ID], *e.Answer)
	case e.Row != nil:
		if p, ok := c.loads[e.Row.ID]; ok {
			p.rec.Record(fromWire(c.origin, *e.Row))
		}
	case e.Done != nil:
		if p, ok := c.loads[e.Done.ID]; ok {
			offer(p.done, e.Done.Err)
		}
	}
}

// offer hands v to a waiter's one-slot channel, or drops it: an event the
// waiter already has (a duplicate) or one nobody waits for (nil) must not
// block the reader, which holds the lock the waiter needs to leave.
func offer[T any](ch chan T, v T) {
	select {
	case ch <- v:
	default:
	}
}
