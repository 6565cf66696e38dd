package metrics

import (
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// children caches the labelled children of a vector by their label
// values, so the request path does one map lookup instead of
// WithLabelValues hashing every label and taking the vector's lock each
// time. The map is copied on write and read through an atomic pointer: a
// hit takes no lock, not even a read lock, whose shared reader count
// every request on every core would write. Label sets are few (pools ×
// members × status classes), so misses, one per label set, are rare; a
// pool removed by a reload keeps its entries, as the vector keeps its
// series.
type children[T any] struct {
	m   atomic.Pointer[map[[3]string]T]
	mu  sync.Mutex // one writer at a time
	get func(lvs ...string) T
}

func newChildren[T any](get func(lvs ...string) T) *children[T] {
	c := &children[T]{get: get}
	c.m.Store(&map[[3]string]T{})
	return c
}

// with returns the child for n (1..3) label values; fixed arguments, not
// variadic, so a hit allocates nothing.
func (c *children[T]) with(n int, a, b, d string) T {
	k := [3]string{a, b, d}
	if v, ok := (*c.m.Load())[k]; ok {
		return v
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := *c.m.Load()
	if v, ok := old[k]; ok { // added since the first look
		return v
	}
	v := c.get([]string{a, b, d}[:n]...) // a miss: allocate here only
	m := make(map[[3]string]T, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	m[k] = v
	c.m.Store(&m)
	return v
}

func counters(v *prometheus.CounterVec) *children[prometheus.Counter] {
	return newChildren(v.WithLabelValues)
}

func observers(v *prometheus.HistogramVec) *children[prometheus.Observer] {
	return newChildren(v.WithLabelValues)
}
