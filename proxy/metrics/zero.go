package metrics

import (
	"time"

	"github.com/failover-lab/failover-lab/proxy"
)

// Label values every pool or member can see, created at zero so a series
// exists before its first event (rate() and absent() need that).
var (
	upstreamCauses    = proxy.Classes()
	transitionCauses  = []string{"passive", "active", "admin"}
	checkResults      = []string{"pass", "fail"}
	reloadResults     = []string{"success", "failure"}
	zeroStatusClasses = classes[:]
)

// loaded records a successful config load at t and creates the zero
// series of every pool and member the config now has. Series of pools
// and members a reload removed stay, as counters should.
func (m *Metrics) loaded(srv *proxy.Server, t time.Time) {
	m.reloadOK.Set(1)
	m.reloadAt.Set(float64(t.UnixNano()) / 1e9)
	for _, r := range reloadResults {
		m.reloads.WithLabelValues(r)
	}
	for name, p := range srv.Pools() {
		m.budgetRefusals.WithLabelValues(name)
		m.requestDur.WithLabelValues(name)
		for _, c := range zeroStatusClasses {
			m.requests.WithLabelValues(name, c)
		}
		for _, mem := range p.Members {
			m.retries.WithLabelValues(name, mem.Name)
			m.upstreamDur.WithLabelValues(name, mem.Name)
			for _, c := range zeroStatusClasses {
				m.responses.WithLabelValues(name, mem.Name, c)
			}
			for _, c := range upstreamCauses {
				m.upstreamErrors.WithLabelValues(name, mem.Name, c)
			}
			for _, r := range checkResults {
				m.checkDur.WithLabelValues(name, mem.Name, r)
			}
			for _, to := range states {
				for _, c := range transitionCauses {
					m.transitions.WithLabelValues(name, mem.Name, to, c)
				}
			}
		}
	}
}
