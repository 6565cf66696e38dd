// Package runner is the lab's one pipeline, written once and used by
// go test ./scenarios/..., `lab run` and the compose demo's test:
//
//	scenario ─▶ Topology ─▶ Driver.Start ─▶ load (background) + timeline (faults, clears, probes, marks)
//	                                                 │
//	                                                 ▼
//	                                              ledger ─▶ expect.Evaluate ─▶ report.Run
//
// Everything started is stopped before Run returns; the ledger is kept
// even when the run fails, holding what happened up to the failure.
package runner

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/report"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// Options tailor one run.
type Options struct {
	// Progress receives one line per step: "+3.002s broken: service: http
	// status 500". Nil means silence.
	Progress func(line string)
	// Ledger is written into when set, so the caller may read it while the
	// run goes on (a live view); default a new one.
	Ledger *ledger.Ledger
}

// Run starts the scenario's topology on d, drives its load, plays its
// timeline, and evaluates its expectations once the end event has passed
// and the load has drained. The result's Err says the run itself failed
// (then there are no Results); Pass says whether everything held.
func Run(ctx context.Context, s *scenario.Scenario, d labs.Driver, o Options) report.Run {
	l := o.Ledger
	if l == nil {
		l = ledger.New(time.Now())
	}
	r := report.Run{Scenario: s, Ledger: l, Driver: d.Name()}
	r.Err = play(ctx, s, d, l, o.Progress, &r.Load)
	if r.Err == nil {
		r.Results = expect.Evaluate(s, l)
	}
	return r
}

// play starts the topology and plays the scenario into l; load says
// where the load ran, for the report.
func play(ctx context.Context, s *scenario.Scenario, d labs.Driver, l *ledger.Ledger, progress func(string), load *string) error {
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
	snd := senderOf(run)
	*load = snd.Where()
	if _, local := snd.(here); !local || strings.Contains(*load, "across the network") {
		say("load from %s", *load) // the way a run on this machine's engine takes goes unsaid
	}
	if err := awaitPrimary(ctx, s, snd); err != nil {
		return fmt.Errorf("run %s: %w", s.Name, err)
	}
	return timeline(ctx, s, run, snd, l, say)
}
