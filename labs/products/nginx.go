package products

import (
	"fmt"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"path/filepath"
	"slices"
	"strings"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// nginxKind runs nginx OSS (Debian package nginx) in front of the pool:
// primaries as upstream servers, standbys as `backup`, passive detection
// by max_fails/fail_timeout, and the failed request retried on the next
// server by proxy_next_upstream — so a 500 reaches no client. nginx OSS
// has no active health check (that is nginx Plus): a member taken out
// comes back when fail_timeout has passed and a client request succeeds.
var nginxKind = Product{
	Image:  ImageProducts,
	Binary: "nginx",
	Pkg:    "nginx",
	File:   "nginx.conf",
	Config: nginxConfig,
	// -p: relative paths (pid, temp files) live in the run directory;
	// -e: errors before the config is read go to stderr, not /var/log.
	Args: func(file string) []string {
		return []string{"-p", filepath.Dir(file) + "/", "-c", file, "-e", "stderr"}
	},
	Ready: "/ready",
	// A config written for a container (as for the official image, whose
	// command says it) rarely says daemon off.
	Foreground: []string{"-g", "daemon off;"},
}

// nginxStatuses are the statuses proxy_next_upstream can act on.
var nginxStatuses = []int{500, 502, 503, 504, 403, 404, 429}

func nginxConfig(t vocab.Topology, listen, admin, _ string, memberURL func(vocab.Node) string, _ TLSFiles) ([]byte, error) {
	return nginxRender(t, listen, admin, memberURL, false)
}

// nginxWorkersConfig is nginx as its users run it: a master and a worker
// per core (worker_processes auto), for benchmarks.
func nginxWorkersConfig(t vocab.Topology, listen, admin, _ string, memberURL func(vocab.Node) string, _ TLSFiles) ([]byte, error) {
	return nginxRender(t, listen, admin, memberURL, true)
}

func nginxRender(t vocab.Topology, listen, admin string, memberURL func(vocab.Node) string, workers bool) ([]byte, error) {
	p, members, err := resolvedPool(t, memberURL)
	if err != nil {
		return nil, err
	}
	var c conf
	c.note("nginx for lab topology " + t.Name + ", rendered by failover-lab (labs/products/nginx.go).")
	c.d("daemon off;", "Stay in the foreground: the lab's process driver owns start, stop and cleanup.")
	if workers {
		c.d("worker_processes auto;", "A worker per core, as nginx is run in production (the benchmark's setting;\nthe process group is stopped as a whole, Pdeathsig reaches only the master).")
	} else {
		c.d("master_process off;", "One process, no workers: the lab kills its children when it dies (Pdeathsig),\nwhich reaches only a direct child, never a master's workers.")
	}
	c.d("error_log stderr warn;", "Warnings and up to stderr, which the lab keeps: \"upstream server temporarily disabled\" shows failovers.")
	c.d("pid nginx.pid;", "Relative to the -p prefix: the run directory.")
	c.open("events {", "Connections each process may hold.")
	c.d("worker_connections 4096;", "Enough for load tests (wrk -c32 needs twice that: client side and upstream side).")
	c.close("}")
	c.open("http {", "HTTP proxying.")
	c.d("access_log off;", "No per-request log: the lab's ledger records every request.")
	for _, tmp := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		c.d("%s_temp_path tmp_%s;", "Temp files in the run directory, not /var/lib/nginx.", tmp, tmp)
	}
	c.blank()
	nginxUpstream(&c, p, members)
	c.blank()
	nginxTraffic(&c, listen, p)
	c.blank()
	c.open("server {", "Admin listener: the lab waits for /ready before it sends traffic.")
	c.d("listen %s;", "The admin address the lab chose.", admin)
	c.d(`location = /ready { return 200 "ready\n"; }`, "2xx once nginx serves.")
	c.close("}")
	c.close("}")
	return c.bytes(), nil
}

func nginxUpstream(c *conf, p config.Pool, members []member) {
	// nginx reads fail_timeout in whole seconds.
	fails, holdDown := failuresToEject, fmt.Sprintf("%ds", ceilSeconds(p.Passive.HoldDown))
	c.open("upstream "+vocab.PoolName+" {", "The pool: members in tier order.")
	if p.Policy == config.PolicyLeastRequests {
		c.d("least_conn;", "pool.policy least_requests.")
	} else {
		c.note("pool.policy round_robin: nginx's default (weighted round-robin).")
	}
	c.note(fmt.Sprintf("No active health check: nginx OSS has none (health_check is nginx Plus); health.* is not rendered.\n"+
		"max_fails=%d: the first failure (failover-proxy probes a member at its first failure; nginx cannot). fail_timeout is nginx's window AND its hold-down in one knob:\n"+
		"passive.hold_down, in whole seconds (%s).", fails, holdDown))
	for _, m := range members {
		if m.standby {
			c.d("server %s weight=%d max_fails=%d fail_timeout=%s backup;",
				"Member "+m.name+" (standby): backup gets traffic only when no primary is usable.", m.addr, m.weight, fails, holdDown)
			continue
		}
		c.d("server %s weight=%d max_fails=%d fail_timeout=%s;", "Member "+m.name+" (primary).", m.addr, m.weight, fails, holdDown)
	}
	c.d("keepalive 64;", "Reuse connections to members, as failover-proxy's transport does.")
	c.d("keepalive_timeout %s;", "timeouts.idle.", ms(p.Timeouts.Idle))
	c.close("}")
}

func nginxTraffic(c *conf, listen string, p config.Pool) {
	c.open("server {", "Traffic listener.")
	c.d("listen %s;", "The traffic address the lab chose.", listen)
	c.open("location / {", "Every path goes to the pool, as the lab's route / does.")
	c.d("proxy_pass http://%s;", "The upstream above.", vocab.PoolName)
	c.d("proxy_http_version 1.1;", "HTTP/1.1 to members, needed for upstream keepalive.")
	c.d(`proxy_set_header Connection "";`, "Do not forward the client's Connection header: keep the upstream connection open.")
	var on, off []string
	for _, s := range p.Passive.Statuses {
		if slices.Contains(nginxStatuses, s) {
			on = append(on, fmt.Sprintf("http_%d", s))
		} else {
			off = append(off, fmt.Sprint(s))
		}
	}
	if len(off) > 0 {
		c.note("passive.statuses " + strings.Join(off, ", ") + ": proxy_next_upstream cannot act on them.")
	}
	c.d("proxy_next_upstream error timeout %s;",
		"passive.statuses and connection failures: the member counts a failure and the SAME request is\n"+
			"retried on the next server (nginx never retries non-idempotent methods such as POST;\n"+
			"unlike failover-proxy it ignores Idempotency-Key).", strings.Join(on, " "))
	c.d("proxy_next_upstream_tries %d;", "retry.attempts: tries per request, the first included.", p.Retry.Attempts)
	c.d("proxy_connect_timeout %s;", "timeouts.dial.", ms(p.Timeouts.Dial))
	c.d("proxy_read_timeout %s;", "timeouts.response_header (nginx times each read, not only the headers).", ms(p.Timeouts.ResponseHeader))
	c.close("}")
	c.close("}")
}
