package agent

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"sync"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
)

// maxLine bounds one request line (a load's body travels in it).
const maxLine = 16 << 20

// Main is `lab serve load`: it takes no arguments and serves the lab on
// stdin and stdout until stdin ends; 0 when it ended cleanly, 1 on a
// broken request stream, 2 on a bad flag.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lab serve load\n\nReads the lab's requests (JSON lines) on stdin and writes the load's rows and the probes' answers (JSON lines) on stdout, until stdin ends. The lab starts it in a container on the run's network (lab run -load-in-network).")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "load: no arguments expected (got %q)\n", fs.Args())
		return 2
	}
	if err := Serve(context.Background(), stdin, stdout); err != nil {
		fmt.Fprintf(stderr, "load: %v\n", err)
		return 1
	}
	return 0
}

// Serve answers the requests read from in, writing events to out, until
// in ends or ctx is done; then it stops every load and returns once their
// last events are written. A request it cannot read ends it with an error.
func Serve(ctx context.Context, in io.Reader, out io.Writer) error {
	origin := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a := &agent{origin: origin, enc: json.NewEncoder(out), loads: map[int]context.CancelFunc{}}
	defer a.wg.Wait() // after cancel (deferred later, runs first): the loads stop
	defer cancel()
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	for sc.Scan() {
		var req request
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			return fmt.Errorf("request %q: %w", trim(sc.Bytes()), err)
		}
		if err := a.handle(ctx, req); err != nil {
			return err
		}
	}
	return sc.Err()
}

// agent is Serve's state: the loads running, and one writer for events.
type agent struct {
	origin time.Time
	wg     sync.WaitGroup

	mu    sync.Mutex // guards enc and loads
	enc   *json.Encoder
	loads map[int]context.CancelFunc
}

func (a *agent) handle(ctx context.Context, req request) error {
	switch {
	case req.Clock != 0:
		a.send(event{Clock: &clockEvent{N: req.Clock, At: time.Since(a.origin)}})
	case req.Load != nil:
		a.load(ctx, *req.Load)
	case req.Get != nil:
		g := *req.Get
		a.wg.Go(func() {
			sent := time.Since(a.origin)
			var answer ledger.ProbeAnswer
			if err := checkURL(g.Reach, g.URL); err != nil {
				answer.Err = err.Error()
			} else {
				answer = load.Probe(ctx, g.Reach.ProbeClient(nil), g.URL)
			}
			a.send(event{Answer: &answerEvent{ID: g.ID, Sent: sent, Answer: answer}})
		})
	case req.Stop != 0:
		a.mu.Lock()
		if stop, ok := a.loads[req.Stop]; ok {
			stop()
		}
		a.mu.Unlock()
	default:
		return errors.New("request: empty (want clock, load, get or stop)")
	}
	return nil
}

// load starts load r in the background; its rows and its end go out as
// events.
func (a *agent) load(ctx context.Context, r loadReq) {
	ctx, stop := context.WithCancel(ctx)
	a.mu.Lock()
	a.loads[r.ID] = stop
	a.mu.Unlock()
	a.wg.Go(func() {
		defer stop()
		err := load.Run(ctx, r.Spec, recordFunc(func(row ledger.Row) {
			w := toWire(r.ID, a.origin, row)
			a.send(event{Row: &w})
		}))
		done := &doneEvent{ID: r.ID}
		if err != nil {
			done.Err = err.Error()
		}
		a.mu.Lock()
		delete(a.loads, r.ID)
		a.mu.Unlock()
		a.send(event{Done: done})
	})
}

func (a *agent) send(e event) {
	a.mu.Lock()
	defer a.mu.Unlock()
	_ = a.enc.Encode(e) // a lab gone away reads nothing more; stdin's end stops the agent
}

// checkURL applies the lab's rule to a probe's URL.
func checkURL(r load.Reach, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	return r.Check(u)
}

type recordFunc func(ledger.Row)

func (f recordFunc) Record(r ledger.Row) { f(r) }

func trim(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}
