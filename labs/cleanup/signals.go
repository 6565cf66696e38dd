package cleanup

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
// A driver whose caller handles SIGINT/SIGTERM itself and closes its runs
// (the lab CLI, with signal.NotifyContext) tracks its runs without the
// handler (handle false), so the lab does not end the process under it.

// Closer is a live run.
type Closer interface {
	Close(ctx context.Context) error
}

var live = struct {
	sync.Mutex
	runs map[Closer]struct{}
	sigs chan os.Signal
}{runs: map[Closer]struct{}{}}

// Track registers a live run; with handle, the signal handler is installed
// while any run is live.
func Track(r Closer, handle bool) {
	live.Lock()
	defer live.Unlock()
	live.runs[r] = struct{}{}
	if live.sigs != nil || !handle {
		return
	}
	sigs := make(chan os.Signal, 1)
	live.sigs = sigs
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go onSignal(sigs)
}

// Untrack forgets a closed run.
func Untrack(r Closer) {
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
	runs := make([]Closer, 0, len(live.runs))
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
