package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// children caches the labelled children of a vector by their label
// values, so the request path does one read-locked map lookup instead of
// WithLabelValues hashing every label and taking the vector's lock each
// time. Label sets are few (pools × members × status classes); a pool
// removed by a reload keeps its entries, as the vector keeps its series.
type children[T any] struct {
	mu  sync.RWMutex
	m   map[[3]string]T
	get func(lvs ...string) T
}

func newChildren[T any](get func(lvs ...string) T) *children[T] {
	return &children[T]{m: make(map[[3]string]T), get: get}
}

// with returns the child for n (1..3) label values; fixed arguments, not
// variadic, so a hit allocates nothing.
func (c *children[T]) with(n int, a, b, d string) T {
	k := [3]string{a, b, d}
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return v
	}
	v = c.get([]string{a, b, d}[:n]...) // a miss: allocate here only
	c.mu.Lock()
	c.m[k] = v
	c.mu.Unlock()
	return v
}

func counters(v *prometheus.CounterVec) *children[prometheus.Counter] {
	return newChildren(v.WithLabelValues)
}

func observers(v *prometheus.HistogramVec) *children[prometheus.Observer] {
	return newChildren(v.WithLabelValues)
}
