package member

import (
	"sync"
	"time"
)

// HistorySize is how many transitions each member keeps.
const HistorySize = 32

// Transition is one recorded state change.
type Transition struct {
	At    time.Time `json:"at"`
	From  string    `json:"from"`  // Status before
	To    string    `json:"to"`    // Status after
	Cause string    `json:"cause"` // "passive: 500 on GET /cart", "admin: drain", ...
}

// history is a ring of the last HistorySize transitions.
type history struct {
	mu   sync.Mutex
	ring [HistorySize]Transition
	n    int // total ever recorded
}

func (h *history) add(t Transition) {
	h.mu.Lock()
	h.ring[h.n%HistorySize] = t
	h.n++
	h.mu.Unlock()
}

// list returns the transitions oldest first.
func (h *history) list() []Transition {
	h.mu.Lock()
	defer h.mu.Unlock()
	k := min(h.n, HistorySize)
	out := make([]Transition, 0, k)
	for i := h.n - k; i < h.n; i++ {
		out = append(out, h.ring[i%HistorySize])
	}
	return out
}

func (h *history) last() (Transition, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == 0 {
		return Transition{}, false
	}
	return h.ring[(h.n-1)%HistorySize], true
}
