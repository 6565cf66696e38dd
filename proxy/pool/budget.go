package pool

import (
	"sync"
	"time"
)

const (
	budgetBuckets = 10
	budgetBucket  = 100 * time.Millisecond // 10 × 100 ms = a sliding second
)

// Budget allows retries while they stay within ratio of the requests of
// the last second, or within floor.
type Budget struct {
	ratio float64
	floor int

	mu      sync.Mutex
	buckets [budgetBuckets]struct {
		slot            int64
		requests, tries int
	}
}

// NewBudget returns a budget of ratio (0..1] with a floor per second.
func NewBudget(ratio float64, floor int) *Budget {
	return &Budget{ratio: ratio, floor: floor}
}

// Request counts one client request.
func (b *Budget) Request() {
	b.mu.Lock()
	b.bucket(time.Now()).requests++
	b.mu.Unlock()
}

// TryRetry reports whether one more retry fits, and counts it if so.
func (b *Budget) TryRetry() bool {
	now := time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	req, tries := b.sums(now)
	if tries+1 > max(b.floor, int(b.ratio*float64(req))) {
		return false
	}
	b.bucket(now).tries++
	return true
}

func (b *Budget) bucket(now time.Time) *struct {
	slot            int64
	requests, tries int
} {
	slot := now.UnixNano() / int64(budgetBucket)
	bk := &b.buckets[slot%budgetBuckets]
	if bk.slot != slot {
		bk.slot, bk.requests, bk.tries = slot, 0, 0
	}
	return bk
}

func (b *Budget) sums(now time.Time) (requests, tries int) {
	slot := now.UnixNano() / int64(budgetBucket)
	for _, bk := range b.buckets {
		if bk.slot > slot-budgetBuckets && bk.slot <= slot {
			requests += bk.requests
			tries += bk.tries
		}
	}
	return requests, tries
}
