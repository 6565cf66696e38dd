package member

import (
	"context"
	"sync"
)

// ErrRescued is the cause given to attempts cancelled because their member
// was ejected while they waited for response headers.
var ErrRescued = rescuedError{}

type rescuedError struct{}

func (rescuedError) Error() string { return "member ejected while waiting for headers" }

// waiters are the attempts waiting for a member's response headers, each
// with the function that cancels it.
type waiters struct {
	mu   sync.Mutex
	next uint64
	set  map[uint64]context.CancelCauseFunc
}

// Waiting registers an attempt waiting for the member's headers; call
// DoneWaiting with the id once they came (or the attempt failed).
//
// An attempt that picked the member while it was up but registers after
// its ejection swept the waiters is rescued here: otherwise it would wait
// on a member that is out, and a stall it saw later could mark the member
// suspect after it was readmitted. The check follows the registration, so
// an ejection either sees the attempt or is seen by it.
func (m *Member) Waiting(cancel context.CancelCauseFunc) uint64 {
	w := &m.waiters
	w.mu.Lock()
	if w.set == nil {
		w.set = make(map[uint64]context.CancelCauseFunc)
	}
	w.next++
	id := w.next
	w.set[id] = cancel
	w.mu.Unlock()
	if m.Health() != Up {
		w.mu.Lock()
		_, mine := w.set[id] // else the ejection's sweep took it and cancels it
		delete(w.set, id)
		w.mu.Unlock()
		if mine {
			m.rescued.Add(1)
			cancel(ErrRescued)
		}
	}
	return id
}

// DoneWaiting ends what Waiting started.
func (m *Member) DoneWaiting(id uint64) {
	w := &m.waiters
	w.mu.Lock()
	delete(w.set, id)
	w.mu.Unlock()
}

// rescue cancels every attempt still waiting for headers with ErrRescued,
// so the retrier can re-send the retryable ones elsewhere.
func (m *Member) rescue() {
	w := &m.waiters
	w.mu.Lock()
	set := w.set
	w.set = nil
	w.mu.Unlock()
	for _, cancel := range set {
		m.rescued.Add(1)
		cancel(ErrRescued)
	}
}
