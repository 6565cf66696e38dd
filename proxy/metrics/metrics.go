// Package metrics exposes the proxy's Prometheus metrics. Counters and
// histograms are fed by the server's hooks; member state and in-flight
// gauges are read from the live pools at scrape time, so they are right
// after a reload too. Each Metrics has its own registry (no globals).
package metrics

import (
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/member"
	"github.com/failover-lab/failover-lab/proxy/pool"
)

const ns = "failover_proxy"

// Metrics holds the collectors of one server.
type Metrics struct {
	Registry *prometheus.Registry

	requests, upstream      *prometheus.CounterVec
	retries, budgetRefusals *prometheus.CounterVec
	transitions, reloads    *prometheus.CounterVec
	requestDur, upstreamDur *prometheus.HistogramVec
	checkDur                *prometheus.HistogramVec
}

// Attach creates the metrics of srv and sets its hooks; call it before
// the server starts serving and checking.
func Attach(srv *proxy.Server) *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	f := func(c prometheus.Collector) { m.Registry.MustRegister(c) }
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "requests_total",
		Help: "Client requests answered, by pool and status class (proxy-generated answers included)."}, []string{"pool", "code"})
	m.upstream = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "upstream_requests_total",
		Help: "Attempts sent to members, by status class or error class (dial, member-reset, member-timeout, client-body, client-gone, canceled)."}, []string{"pool", "member", "code"})
	m.retries = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "retries_total",
		Help: "Failed attempts re-sent to another member, by the member that failed."}, []string{"pool", "member"})
	m.budgetRefusals = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "retry_budget_refusals_total",
		Help: "Retries not made because the retry budget was spent."}, []string{"pool"})
	m.transitions = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "member_transitions_total",
		Help: "Member state transitions, by new state and cause kind (passive, active, admin)."}, []string{"pool", "member", "to", "cause"})
	m.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "config_reloads_total",
		Help: "Config reloads by result (ok, error)."}, []string{"result"})
	m.requestDur = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "request_duration_seconds",
		Help: "Client request duration until the handler returned.", Buckets: prometheus.DefBuckets}, []string{"pool"})
	m.upstreamDur = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "upstream_duration_seconds",
		Help: "Time from sending an attempt to its response headers (or error).", Buckets: prometheus.DefBuckets}, []string{"pool", "member"})
	m.checkDur = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "check_duration_seconds",
		Help: "Active check latency, by result (pass, fail).", Buckets: prometheus.DefBuckets}, []string{"pool", "member", "result"})
	for _, c := range []prometheus.Collector{m.requests, m.upstream, m.retries, m.budgetRefusals, m.transitions,
		m.reloads, m.requestDur, m.upstreamDur, m.checkDur, &live{srv: srv},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		f(c)
	}
	m.hook(srv)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

func (m *Metrics) hook(srv *proxy.Server) {
	// The per-request series go through caches (children.go).
	upstream, upstreamDur := counters(m.upstream), observers(m.upstreamDur)
	requests, requestDur := counters(m.requests), observers(m.requestDur)
	retries := counters(m.retries)
	srv.Handler.Hooks = proxy.Hooks{
		Attempt: func(p, mem string, status int, kind string, d time.Duration) {
			code := kind
			if code == "" {
				code = class(status)
			}
			upstream.with(3, p, mem, code).Inc()
			upstreamDur.with(2, p, mem, "").Observe(d.Seconds())
		},
		Retry:         func(p, mem string) { retries.with(2, p, mem, "").Inc() },
		BudgetRefused: func(p string) { m.budgetRefusals.WithLabelValues(p).Inc() },
		Done: func(p string, status int, d time.Duration) {
			requests.with(2, p, class(status), "").Inc()
			requestDur.with(1, p, "", "").Observe(d.Seconds())
		},
	}
	srv.OnTransition = func(p *pool.Pool, mem *member.Member, t member.Transition) {
		kind, _, _ := strings.Cut(t.Cause, ":")
		m.transitions.WithLabelValues(p.Name, mem.Name, t.To, kind).Inc()
	}
	srv.OnCheck = func(p *pool.Pool, mem *member.Member, c member.Check) {
		res := "fail"
		if c.Pass {
			res = "pass"
		}
		m.checkDur.WithLabelValues(p.Name, mem.Name, res).Observe(c.Latency.Seconds())
	}
	srv.OnReload = func(err error) {
		res := "ok"
		if err != nil {
			res = "error"
		}
		m.reloads.WithLabelValues(res).Inc()
	}
}

var classes = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

// class is the status class label; constant strings, no allocation.
func class(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return classes[status/100-1]
}
