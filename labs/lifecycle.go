package labs

import (
	"context"
	"fmt"

	"github.com/failover-lab/failover-lab/labs/cleanup"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// Start is the start half of every driver's lifecycle, in the manner of
// testcontainers' lifecycle hooks:
//
//	validate ─▶ check (the driver's refusals) ─▶ track the run for cleanup ─▶ steps ─▶ ready
//	                                                 └── on error or panic: Close, nothing left
//
// The run is registered for cleanup (and, with handleSignals, for the
// SIGINT/SIGTERM handler) before any step can fail, so a half-started run
// is closed like a whole one; a driver's Close must cope with parts that
// never started.
func Start(ctx context.Context, t vocab.Topology, run Run, handleSignals bool, steps ...func(context.Context) error) (_ Run, err error) {
	cleanup.Track(run, handleSignals)
	defer func() {
		if p := recover(); p != nil {
			_ = run.Close(context.WithoutCancel(ctx))
			panic(p)
		}
		if err != nil {
			_ = run.Close(context.WithoutCancel(ctx))
			err = fmt.Errorf("start %s: %w", t.Name, err)
		}
	}()
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	return run, nil
}
