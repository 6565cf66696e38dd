package products

import (
	"fmt"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"slices"
	"strings"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// haProduct runs HAProxy (Debian package haproxy) in front of the pool:
// primaries as servers, standbys as `backup` servers, active checks with
// `option httpchk`, passive detection by `observe layer7`, and `retry-on`
// for the request that met a listed status.
var haProduct = Product{
	Image:  ImageProducts,
	Binary: "haproxy",
	Pkg:    "haproxy",
	File:   "haproxy.cfg",
	Config: haproxyConfig,
	// -db: foreground, one process (no daemon, no master-worker), so the
	// lab's process-group kill and Pdeathsig reach all of it.
	Args:  func(file string) []string { return []string{"-db", "-f", file} },
	Ready: "/ready",
}

// haproxyRetryStatuses are the statuses retry-on accepts (HAProxy 2.6).
var haproxyRetryStatuses = []int{401, 403, 404, 408, 425, 500, 501, 502, 503, 504}

func haproxyConfig(t vocab.Topology, listen, admin, _ string, memberURL func(vocab.Node) string, _ TLSFiles) ([]byte, error) {
	p, members, err := resolvedPool(t, memberURL)
	if err != nil {
		return nil, err
	}
	var c conf
	c.note("HAProxy for lab topology " + t.Name + ", rendered by failover-lab (labs/products/haproxy.go).")
	c.open("global", "Process-wide settings.")
	c.d("log stderr format raw local0 notice", "State changes (server DOWN/UP) to stderr, which the lab keeps; no per-request lines.")
	c.d("spread-checks %d", "health.jitter as a percentage: checks are spread by up to this much.", int(p.Health.Jitter*100))
	c.close("")
	c.open("defaults", "Shared by the frontends and the backend.")
	c.d("mode http", "HTTP proxying (layer 7): statuses are seen, checks speak HTTP.")
	c.d("log global", "Use the global log target.")
	c.d("timeout connect %s", "timeouts.dial.", ms(p.Timeouts.Dial))
	c.d("timeout server %s", "timeouts.response_header (HAProxy times server inactivity, not only the headers).", ms(p.Timeouts.ResponseHeader))
	c.d("timeout client 30s", "Client inactivity; failover-proxy has no such limit, this is HAProxy's usual value.")
	c.d("timeout check %s", "health.timeout.", ms(p.Health.Timeout))
	c.close("")
	c.open("frontend traffic", "Traffic listener: every path to the pool, as the lab's route / does.")
	c.d("bind %s", "The traffic address the lab chose.", listen)
	c.d("default_backend %s", "The pool.", vocab.PoolName)
	c.close("")
	c.open("frontend admin", "Admin listener: the lab waits for /ready before it sends traffic.")
	c.d("bind %s", "The admin address the lab chose.", admin)
	c.d("monitor-uri /ready", "Answers 200 once HAProxy serves.")
	c.close("")
	haproxyBackend(&c, p, members)
	return c.bytes(), nil
}

func haproxyBackend(c *conf, p config.Pool, members []member) {
	h := p.Health
	c.open("backend "+vocab.PoolName, "The pool: members in tier order.")
	if p.Policy == config.PolicyLeastRequests {
		c.d("balance leastconn", "pool.policy least_requests.")
	} else {
		c.d("balance roundrobin", "pool.policy round_robin (weighted).")
	}
	c.d("option httpchk %s %s", "Active check: health.method and health.path.", h.Method, h.Path)
	c.d("http-check expect status %s", "health.expect_status.", strings.Join(h.ExpectStatus, ","))
	if h.ExpectBody != "" {
		c.note("health.expect_body " + h.ExpectBody + " is not rendered: one expect rule per check here.")
	}
	c.d("option allbackups", "Standbys are balanced among themselves (HAProxy uses only the first backup otherwise).")
	var on, off []string
	for _, s := range p.Passive.Statuses {
		if slices.Contains(haproxyRetryStatuses, s) {
			on = append(on, fmt.Sprint(s))
		} else {
			off = append(off, fmt.Sprint(s))
		}
	}
	if len(off) > 0 {
		c.note("passive.statuses " + strings.Join(off, ", ") + ": retry-on cannot act on them.")
	}
	c.d("retry-on %s conn-failure empty-response response-timeout",
		"passive.statuses and connection failures: HAProxy re-sends the request (idempotent ones only).", strings.Join(on, " "))
	c.d("retries %d", "retry.attempts counts the first try; HAProxy counts only the retries.", max(0, p.Retry.Attempts-1))
	c.d("option redispatch 1", "A retry may go to another server (in HAProxy 2.6 it stayed on the failing one, see docs/other-proxies.md).")
	c.d("default-server inter %s fastinter %s downinter %s fall %d rise %d observe layer7 error-limit %d on-error mark-down",
		"health.interval, health.down_interval (while changing state and while down), health.fails, health.passes;\n"+
			"observe layer7: live answers count too, every 5xx but 501 and 505 (the statuses are fixed):\n"+
			"the first error marks the server down (failover-proxy probes a member at its first failure;\n"+
			"HAProxy cannot, so it counts that failure). There is no passive.window and no\n"+
			"passive.hold_down: a server marked down comes back by its checks (rise).",
		ms(h.Interval), ms(h.DownInterval), ms(h.DownInterval), h.Fails, h.Passes, failuresToEject)
	for _, m := range members {
		if m.standby {
			c.d("server %s %s weight %d check backup", "Member "+m.name+" (standby): backup serves only when no primary is up.", m.name, m.addr, min(m.weight, 256))
			continue
		}
		c.d("server %s %s weight %d check", "Member "+m.name+" (primary).", m.name, m.addr, min(m.weight, 256))
	}
	c.close("")
}
