package agent

import "time"

// exchange is one clock exchange: the lab asked at asked and had the
// answer at answered (both on its clock); the agent read the question at
// offset at from its origin.
type exchange struct {
	asked, answered time.Time
	at              time.Duration
}

// placeOrigin puts the agent's origin on the lab's clock from the
// exchange with the shortest round trip: the agent's reading lies between
// asked and answered, so origin = asked + rtt/2 − at is off by at most
// rtt/2 (the bound returned), whichever way the delay fell.
func placeOrigin(xs []exchange) (origin time.Time, bound time.Duration) {
	best := -1
	for i, x := range xs {
		if best < 0 || x.answered.Sub(x.asked) < xs[best].answered.Sub(xs[best].asked) {
			best = i
		}
	}
	if best < 0 {
		return time.Time{}, 0
	}
	x := xs[best]
	rtt := x.answered.Sub(x.asked)
	return x.asked.Add(rtt / 2).Add(-x.at), rtt / 2
}
