package scenario

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
)

// Progress receives one line per step of a run: "+3.002s broken: service:
// http status 500". Nil means silence.
type Progress func(line string)

// warmUp bounds the wait for the proxy to answer from a primary before the
// load starts.
const warmUp = 15 * time.Second

// Run starts the scenario's topology on d, drives its load, plays its
// timeline, and returns the ledger once the end event has passed and the
// load has drained. The ledger is returned even with an error, holding what
// happened up to the failure. Everything started is stopped before Run
// returns.
func Run(ctx context.Context, s *Scenario, d labs.Driver, progress Progress) (*ledger.Ledger, error) {
	l := ledger.New(time.Now())
	return l, RunInto(ctx, s, d, l, progress)
}

// RunInto is Run writing into a ledger of the caller's, who may read it
// while the run goes on (a live view).
func RunInto(ctx context.Context, s *Scenario, d labs.Driver, l *ledger.Ledger, progress Progress) error {
	say := func(format string, args ...any) {
		if progress != nil {
			progress(fmt.Sprintf(format, args...))
		}
	}
	say("starting %s on the %s driver", s.Name, d.Name())
	run, err := d.Start(ctx, s.Topology(), l)
	if err != nil {
		return fmt.Errorf("run %s: %w", s.Name, err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if err := run.Close(cctx); err != nil {
			say("close: %v", err)
		}
	}()
	if err := awaitPrimary(ctx, s, run.ProxyURL()+s.Load.Path); err != nil {
		return fmt.Errorf("run %s: %w", s.Name, err)
	}
	return play(ctx, s, run, l, say)
}

// play runs the load and the timeline; start is the "start" mark.
func play(ctx context.Context, s *Scenario, run labs.Run, l *ledger.Ledger, say func(string, ...any)) error {
	start := time.Now()
	l.Mark(ledger.Mark{At: start, Name: "start", Kind: ledger.MarkEvent})
	say("+0.000s start: %s %s at %s", s.Load.Method, s.Load.Path, s.Load.Rate)

	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	specs := s.LoadSpecs(run.ProxyURL())
	loaded := make(chan error, 1)
	go func() {
		errs := make([]error, len(specs))
		var wg sync.WaitGroup
		for i, spec := range specs {
			wg.Go(func() { errs[i] = load.Run(loadCtx, spec, l) })
		}
		wg.Wait()
		loaded <- errors.Join(errs...)
	}()

	applied := map[string]labs.Applied{}
	for _, e := range s.Timeline {
		if err := sleepUntil(ctx, start.Add(e.At)); err != nil {
			return fmt.Errorf("run %s: %w", s.Name, err)
		}
		if err := step(ctx, run, l, e, applied); err != nil {
			stopLoad()
			<-loaded
			return fmt.Errorf("run %s: %s at %s: %w", s.Name, e.Name, fmtDuration(e.At), err)
		}
		say("%s %s: %s", rel(time.Since(start)), e.Name, e.describe())
	}
	// The load's own duration ends with the end event; wait for its last
	// answers (or cut them short if the caller gives up).
	select {
	case err := <-loaded:
		if err != nil {
			return fmt.Errorf("run %s: %w", s.Name, err)
		}
	case <-ctx.Done():
		stopLoad()
		<-loaded
		return fmt.Errorf("run %s: %w", s.Name, ctx.Err())
	}
	say("%s done: %d requests", rel(time.Since(start)), len(l.Rows()))
	return nil
}

// step does one event.
func step(ctx context.Context, run labs.Run, l *ledger.Ledger, e Event, applied map[string]labs.Applied) error {
	switch e.Kind() {
	case "fault":
		a, err := run.Apply(ctx, e.Fault.LabFault(e.Name))
		if err != nil {
			return err
		}
		applied[e.Name] = a
	case "clear":
		a, ok := applied[e.Clear]
		if !ok {
			return fmt.Errorf("fault %q was never applied", e.Clear)
		}
		if err := run.Clear(ctx, a); err != nil {
			return err
		}
		delete(applied, e.Clear)
	case "probe":
		probe(ctx, run.ProxyURL(), e.Name, e.Probe, l)
	case "reload":
		return reload(ctx, run, l, e.Name)
	default: // mark, end
		l.Mark(ledger.Mark{At: time.Now(), Name: e.Name, Kind: ledger.MarkEvent})
	}
	return nil
}

func (e Event) describe() string {
	switch e.Kind() {
	case "fault":
		return e.Fault.Describe()
	case "clear":
		return "clear " + e.Clear
	case "probe":
		return "probe GET " + e.Probe
	case "reload":
		return "reload the proxy's config"
	}
	return e.Kind()
}

func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// awaitPrimary polls the proxy until a primary answers, so that the run
// starts from the steady state its expectations assume.
func awaitPrimary(ctx context.Context, s *Scenario, url string) error {
	ctx, cancel := context.WithTimeout(ctx, warmUp)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	last := errors.New("no answer yet")
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return fmt.Errorf("warm up: %w", err)
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if n, ok := s.Node(resp.Header.Get("X-Served-By")); ok && n.Role == "primary" && resp.StatusCode < 500 {
				return nil
			}
			last = fmt.Errorf("%d from %q", resp.StatusCode, resp.Header.Get("X-Served-By"))
		} else {
			last = err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("warm up: no primary answered through the proxy within %s (last: %v)", warmUp, last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func rel(d time.Duration) string { return fmt.Sprintf("+%.3fs", d.Seconds()) }
