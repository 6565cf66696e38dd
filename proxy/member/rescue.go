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
func (m *Member) Waiting(cancel context.CancelCauseFunc) uint64 {
	w := &m.waiters
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.set == nil {
		w.set = make(map[uint64]context.CancelCauseFunc)
	}
	w.next++
	w.set[w.next] = cancel
	return w.next
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
