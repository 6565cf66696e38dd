package runner

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// warmUp bounds the wait for the proxy to answer from a primary before the
// load starts.
const warmUp = 15 * time.Second

// timeline runs the load and the timeline; start is the "start" mark.
func timeline(ctx context.Context, s *scenario.Scenario, run labs.Run, snd labs.Sender, l *ledger.Ledger, say func(string, ...any)) error {
	start := time.Now()
	l.Mark(ledger.Mark{At: start, Name: scenario.Start, Kind: ledger.MarkEvent})
	say("+0.000s start: %s %s at %s", s.Load.Method, s.Load.Path, s.Load.Rate)

	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	specs := loadSpecs(s, run.ProxyURL(), run.ClientTLS())
	loaded := make(chan error, 1)
	go func() {
		errs := make([]error, len(specs))
		var wg sync.WaitGroup
		for i, spec := range specs {
			wg.Go(func() { errs[i] = snd.Load(loadCtx, spec, l) })
		}
		wg.Wait()
		loaded <- errors.Join(errs...)
	}()

	applied := map[string]labs.Applied{}
	for _, e := range s.Timeline {
		if err := sleepUntil(ctx, start.Add(e.At)); err != nil {
			return fmt.Errorf("run %s: %w", s.Name, err)
		}
		if err := step(ctx, s, run, snd, l, e, applied); err != nil {
			stopLoad()
			<-loaded
			return fmt.Errorf("run %s: %s at %s: %w", s.Name, e.Name, e.At, err)
		}
		say("%s %s: %s", rel(time.Since(start)), e.Name, describe(e))
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
func step(ctx context.Context, s *scenario.Scenario, run labs.Run, snd labs.Sender, l *ledger.Ledger, e scenario.Event, applied map[string]labs.Applied) error {
	switch e.Kind() {
	case scenario.EventFault:
		a, err := run.Apply(ctx, e.NamedFault())
		if err != nil {
			return err
		}
		applied[e.Name] = a
	case scenario.EventClear:
		a, ok := applied[e.Clear]
		if !ok {
			return fmt.Errorf("fault %q was never applied", e.Clear)
		}
		if err := run.Clear(ctx, a); err != nil {
			return err
		}
		delete(applied, e.Clear)
	case scenario.EventProbe:
		probe(ctx, snd, e.Name, e.Probe, l)
	case scenario.EventReload:
		return reload(ctx, run, s.Proxy.ReloadSignal(), l, e.Name)
	case scenario.EventWhy:
		why(ctx, run, e.Name, e.Why, l)
	default: // mark, end
		l.Mark(ledger.Mark{At: time.Now(), Name: e.Name, Kind: ledger.MarkEvent})
	}
	return nil
}

func describe(e scenario.Event) string {
	switch e.Kind() {
	case scenario.EventFault:
		return e.Fault.Describe()
	case scenario.EventClear:
		return "clear " + e.Clear
	case scenario.EventProbe:
		return "probe GET " + e.Probe
	case scenario.EventReload:
		return "reload the proxy's config"
	case scenario.EventWhy:
		return "why is " + e.Why + " in its state (admin /status)"
	}
	return string(e.Kind())
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

// awaitPrimary polls the proxy (from where the load runs) until a
// primary answers the load's path, so that the run starts from the steady
// state its expectations assume.
func awaitPrimary(ctx context.Context, s *scenario.Scenario, snd labs.Sender) error {
	ctx, cancel := context.WithTimeout(ctx, warmUp)
	defer cancel()
	last := errors.New("no answer yet")
	for {
		_, a := snd.Get(ctx, s.Load.Path)
		if a.Err == "" {
			if n, ok := s.Node(a.ServedBy); ok && !n.IsStandby() && a.Status < 500 {
				return nil
			}
			last = fmt.Errorf("%d from %q", a.Status, a.ServedBy)
		} else {
			last = errors.New(a.Err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("warm up: no primary answered through the proxy within %s (last: %v)", warmUp, last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func rel(d time.Duration) string { return fmt.Sprintf("+%.3fs", d.Seconds()) }
