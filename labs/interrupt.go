package labs

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Live runs are closed on SIGINT and SIGTERM before the process dies, so
// an interrupted `go test` or `lab` leaves nothing behind. The handler is
// installed only while a run is live; afterwards the signal is raised again
// with its default action so the process still ends as it would have.
// HandleSignals, true by default, installs the handler above while a run is
// live. A program that handles SIGINT/SIGTERM itself and closes its runs
// (the lab CLI, with signal.NotifyContext) sets it to false before the
// first Start, so the lab does not end the process under it.
var HandleSignals = true

var live = struct {
	sync.Mutex
	runs map[Run]struct{}
	sigs chan os.Signal
}{runs: map[Run]struct{}{}}

func trackRun(r Run) {
	live.Lock()
	defer live.Unlock()
	live.runs[r] = struct{}{}
	if live.sigs != nil || !HandleSignals {
		return
	}
	sigs := make(chan os.Signal, 1)
	live.sigs = sigs
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go onSignal(sigs)
}

func untrackRun(r Run) {
	live.Lock()
	defer live.Unlock()
	delete(live.runs, r)
	if len(live.runs) == 0 && live.sigs != nil {
		signal.Stop(live.sigs)
		close(live.sigs)
		live.sigs = nil
	}
}

// onSignal owns one Notify registration; it ends when the channel closes.
func onSignal(sigs chan os.Signal) {
	sig, ok := <-sigs
	if !ok {
		return
	}
	live.Lock()
	runs := make([]Run, 0, len(live.runs))
	for r := range live.runs {
		runs = append(runs, r)
	}
	live.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for _, r := range runs {
		wg.Go(func() { _ = r.Close(ctx) })
	}
	wg.Wait()
	signal.Reset(sig)
	_ = syscall.Kill(os.Getpid(), sig.(syscall.Signal))
}
