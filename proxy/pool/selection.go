package pool

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/failover-lab/failover-lab/proxy/member"
)

// Selector picks one member among usable candidates of the same tier.
// candidates is never empty.
type Selector interface {
	Select(candidates []*member.Member, r *http.Request) *member.Member
}

var (
	_ Selector = (*RoundRobin)(nil)
	_ Selector = (*LeastRequests)(nil)
)

// RoundRobin is weighted round-robin over the effective (slow-start
// ramped) weights.
type RoundRobin struct {
	SlowStart time.Duration
	next      atomic.Uint64
}

// Select walks the cumulative weights with a shared counter.
func (s *RoundRobin) Select(c []*member.Member, _ *http.Request) *member.Member {
	if len(c) == 1 {
		return c[0]
	}
	now := time.Now()
	var ws [16]int
	weights := ws[:0]
	total := 0
	for _, m := range c {
		w := m.EffectiveWeight(now, s.SlowStart)
		weights = append(weights, w)
		total += w
	}
	// Step by 100 (one full weight unit) so equal weights alternate.
	n := int((s.next.Add(1) - 1) * 100 % uint64(total))
	for i, w := range weights {
		if n < w {
			return c[i]
		}
		n -= w
	}
	return c[len(c)-1]
}

// LeastRequests picks the member with the fewest in-flight requests per
// unit of weight; ties rotate.
type LeastRequests struct {
	SlowStart time.Duration
	next      atomic.Uint64
}

// Select compares inflight/weight by cross-multiplying.
func (s *LeastRequests) Select(c []*member.Member, _ *http.Request) *member.Member {
	now := time.Now()
	start := int(s.next.Add(1) % uint64(len(c)))
	var best *member.Member
	var bestLoad, bestW int64
	for i := range c {
		m := c[(start+i)%len(c)]
		load, w := m.InFlight(), int64(m.EffectiveWeight(now, s.SlowStart))
		if best == nil || load*bestW < bestLoad*w {
			best, bestLoad, bestW = m, load, w
		}
	}
	return best
}
