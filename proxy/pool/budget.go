package pool

import (
	"sync"
	"time"
)

const (
	budgetBuckets = 10
	budgetBucket  = time.Second // 10 × 1 s = a sliding 10 s, as Finagle's RetryBudget
)

// Budget allows retries while they stay within ratio of the requests of
// the last 10 s, or within floor per second over those 10 s. The window is
// long enough that the requests rescued from a member ejected at once (a
// hang: a few seconds of traffic) fit, short enough that a pool failing
// for good stops doubling its load within seconds.
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
	if tries+1 > max(b.floor*budgetBuckets, int(b.ratio*float64(req))) {
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
