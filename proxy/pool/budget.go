package pool

import (
	"sync"
	"sync/atomic"
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
//
// Request runs on every client request and takes no lock: the buckets are
// atomics. A bucket is reset by whoever first sees its new second; a
// request counted in the instant of that reset may be lost, which a
// ratio over 10 s does not notice. TryRetry, rare, takes a lock so that
// two retries cannot both take the last place.
type Budget struct {
	ratio float64
	floor int

	mu      sync.Mutex // TryRetry's check-then-count
	buckets [budgetBuckets]bucket
}

type bucket struct {
	slot            atomic.Int64 // the second this bucket counts
	requests, tries atomic.Int64
}

// NewBudget returns a budget of ratio (0..1] with a floor per second.
func NewBudget(ratio float64, floor int) *Budget {
	return &Budget{ratio: ratio, floor: floor}
}

// Request counts one client request.
func (b *Budget) Request() {
	b.bucket(time.Now()).requests.Add(1)
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
	b.bucket(now).tries.Add(1)
	return true
}

// bucket returns the bucket of now's second, reset if it still held an
// older second.
func (b *Budget) bucket(now time.Time) *bucket {
	slot := now.UnixNano() / int64(budgetBucket)
	bk := &b.buckets[slot%budgetBuckets]
	if old := bk.slot.Load(); old < slot && bk.slot.CompareAndSwap(old, slot) {
		bk.requests.Store(0)
		bk.tries.Store(0)
	}
	return bk
}

func (b *Budget) sums(now time.Time) (requests, tries int) {
	slot := now.UnixNano() / int64(budgetBucket)
	for i := range b.buckets {
		bk := &b.buckets[i]
		if s := bk.slot.Load(); s > slot-budgetBuckets && s <= slot {
			requests += int(bk.requests.Load())
			tries += int(bk.tries.Load())
		}
	}
	return requests, tries
}
