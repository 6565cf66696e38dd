package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/config"
)

var (
	stateDesc = prometheus.NewDesc(ns+"_member_state",
		"1 for the member's current state (up, down, error, draining, disabled), 0 for the others.",
		[]string{"pool", "member", "tier", "state"}, nil)
	inflightDesc = prometheus.NewDesc(ns+"_member_in_flight_requests",
		"Attempts sent to the member whose responses are not finished.", []string{"pool", "member"}, nil)
	usableDesc = prometheus.NewDesc(ns+"_pool_usable_members",
		"Members that may take new requests.", []string{"pool"}, nil)
	poisonDesc = prometheus.NewDesc(ns+"_poison_requests_total",
		"Failures not counted against the member because the same request had already failed on another member.",
		[]string{"pool", "member"}, nil)
	rescuedDesc = prometheus.NewDesc(ns+"_rescued_attempts_total",
		"Attempts cancelled while waiting for headers because their member was ejected (re-sent when retryable).",
		[]string{"pool", "member"}, nil)
	keptDesc = prometheus.NewDesc(ns+"_passive_ejections_refused_total",
		"Passive ejections refused because the member was the pool's last usable one (passive.eject_last false).",
		[]string{"pool", "member"}, nil)
)

var states = []string{"up", "down", "error", "draining", "disabled"}

// live reads member state at scrape time.
type live struct{ srv *proxy.Server }

func (l *live) Describe(ch chan<- *prometheus.Desc) {
	ch <- stateDesc
	ch <- inflightDesc
	ch <- usableDesc
	ch <- poisonDesc
	ch <- rescuedDesc
	ch <- keptDesc
}

func (l *live) Collect(ch chan<- prometheus.Metric) {
	for name, p := range l.srv.Pools() {
		usable := 0
		for _, m := range p.Members {
			cur := m.Status()
			tier := config.Tier(m.Tier()).String()
			for _, s := range states {
				v := 0.0
				if s == cur {
					v = 1
				}
				ch <- prometheus.MustNewConstMetric(stateDesc, prometheus.GaugeValue, v, name, m.Name, tier, s)
			}
			ch <- prometheus.MustNewConstMetric(inflightDesc, prometheus.GaugeValue, float64(m.InFlight()), name, m.Name)
			ch <- prometheus.MustNewConstMetric(poisonDesc, prometheus.CounterValue, float64(m.Poisons()), name, m.Name)
			ch <- prometheus.MustNewConstMetric(rescuedDesc, prometheus.CounterValue, float64(m.Rescues()), name, m.Name)
			ch <- prometheus.MustNewConstMetric(keptDesc, prometheus.CounterValue, float64(m.KeptLast()), name, m.Name)
			if m.Usable() {
				usable++
			}
		}
		ch <- prometheus.MustNewConstMetric(usableDesc, prometheus.GaugeValue, float64(usable), name)
	}
}
