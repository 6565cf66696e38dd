package faults

import (
	"context"
	"sync"
	"time"
)

// A fault is marked when its effect took hold, as observed, not when the
// lab asked for it: a loaded Docker daemon took 1.84 s to kill a node, and a
// window counted from the request would charge that to the proxy. The
// observation rides on the context, in the manner of net/http/httptrace:
//
//	lab's Apply ── WatchHold(ctx) ──▶ Settings.Apply ─▶ Container / Link / Control
//	     ▲                                               │ sees its effect: process reaped,
//	     └──────── first instant reported ◀── TookHold ──┘ seen frozen, toxic listed, ...
//
// The kinds need not know: whatever part of a Target saw the effect of what
// it did reports it. Nothing reported (a driver that cannot see, a signal the
// node survived) leaves the mark where it was (InForceOnReturn, or issued).

type holdKey struct{}

type hold struct {
	mu    sync.Mutex
	at    time.Time // earliest instant reported; zero = none
	ended bool
}

// WatchHold returns ctx carrying a watch, and read, which returns the
// earliest instant reported on it (ok false: none) and ends the watch:
// reports after read (a crash loop's later deaths) are ignored.
func WatchHold(ctx context.Context) (_ context.Context, read func() (at time.Time, ok bool)) {
	h := &hold{}
	return context.WithValue(ctx, holdKey{}, h), func() (time.Time, bool) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.ended = true
		return h.at, !h.at.IsZero()
	}
}

// TookHold reports that the effect of what the caller did on ctx was seen
// in force at at. Without a watch in ctx it does nothing.
func TookHold(ctx context.Context, at time.Time) {
	h, ok := ctx.Value(holdKey{}).(*hold)
	if !ok || at.IsZero() {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.ended && (h.at.IsZero() || at.Before(h.at)) {
		h.at = at
	}
}
