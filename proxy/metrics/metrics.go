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
	"github.com/failover-lab/failover-lab/proxy/buildinfo"
	"github.com/failover-lab/failover-lab/proxy/member"
	"github.com/failover-lab/failover-lab/proxy/pool"
)

const ns = "failover_proxy"

// Metrics holds the collectors of one server.
type Metrics struct {
	Registry *prometheus.Registry

	requests, responses, upstreamErrors *prometheus.CounterVec
	retries, budgetRefusals             *prometheus.CounterVec
	transitions, reloads                *prometheus.CounterVec
	requestDur, upstreamDur, checkDur   *prometheus.HistogramVec
	reloadOK, reloadAt                  prometheus.Gauge
}

// Attach creates the metrics of srv and sets its hooks; call it before
// the server starts serving and checking. Every series a pool or member
// can have is created at zero here and after each reload, so rates and
// alerts work from the first scrape.
func Attach(srv *proxy.Server) *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: name, Help: help}, labels)
	}
	histogram := func(name, help string, labels ...string) *prometheus.HistogramVec {
		return prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: name, Help: help, Buckets: prometheus.DefBuckets}, labels)
	}
	m.requests = counter("requests_total", "Client requests answered, by pool and status class (proxy-generated answers included).", "pool", "code")
	m.responses = counter("upstream_responses_total", "Attempts sent to members that got response headers, by status class.", "pool", "member", "code")
	m.upstreamErrors = counter("upstream_errors_total", "Attempts sent to members that got no response, by cause (dial, member-reset, member-timeout, client-body, client-gone, canceled).", "pool", "member", "cause")
	m.retries = counter("retries_total", "Failed attempts re-sent to another member, by the member that failed.", "pool", "member")
	m.budgetRefusals = counter("retry_budget_refusals_total", "Retries not made because the retry budget was spent.", "pool")
	m.transitions = counter("member_transitions_total", "Member state transitions, by new state and cause kind (passive, active, admin).", "pool", "member", "to", "cause")
	m.reloads = counter("config_reloads_total", "Config reloads by result (success, failure).", "result")
	m.requestDur = histogram("request_duration_seconds", "Client request duration until the handler returned.", "pool")
	m.upstreamDur = histogram("upstream_duration_seconds", "Time from sending an attempt to its response headers (or error).", "pool", "member")
	m.checkDur = histogram("check_duration_seconds", "Active check latency, by result (pass, fail).", "pool", "member", "result")
	m.reloadOK = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "config_last_reload_successful",
		Help: "1 when the last config load (at start or by reload) succeeded, 0 when it failed and the previous config is in use."})
	m.reloadAt = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "config_last_reload_success_timestamp_seconds",
		Help: "Unix time of the last successful config load (at start or by reload)."})
	for _, c := range []prometheus.Collector{m.requests, m.responses, m.upstreamErrors, m.retries, m.budgetRefusals,
		m.transitions, m.reloads, m.requestDur, m.upstreamDur, m.checkDur, m.reloadOK, m.reloadAt,
		&live{srv: srv}, buildInfo(buildinfo.Read()),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		m.Registry.MustRegister(c)
	}
	m.loaded(srv, time.Now())
	m.hook(srv)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

func (m *Metrics) hook(srv *proxy.Server) {
	// The per-request series go through caches (children.go).
	responses, upstreamErrors, upstreamDur := counters(m.responses), counters(m.upstreamErrors), observers(m.upstreamDur)
	requests, requestDur := counters(m.requests), observers(m.requestDur)
	retries := counters(m.retries)
	srv.Handler.Hooks = proxy.Hooks{
		Attempt: func(p, mem string, status int, cause string, d time.Duration) {
			if cause != "" {
				upstreamErrors.with(3, p, mem, cause).Inc()
			} else {
				responses.with(3, p, mem, class(status)).Inc()
			}
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
		if err != nil {
			m.reloads.WithLabelValues("failure").Inc()
			m.reloadOK.Set(0)
			return
		}
		m.reloads.WithLabelValues("success").Inc()
		m.loaded(srv, time.Now())
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
