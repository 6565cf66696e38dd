package products

import (
	"fmt"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"path/filepath"
	"strings"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// apacheKind runs Apache httpd (Debian package apache2) as the seed story
// has it: mod_proxy_balancer with the standbys as hot standbys
// (status=+H), mod_proxy_hcheck active checks, and failonstatus for the
// passive statuses. Apache puts the member in error state on a listed
// status but hands that response to the client: it never retries on a
// status. And while a member is in error state mod_proxy_hcheck ignores
// its failed checks (hc_check only counts passes then), so when `retry`
// (passive.hold_down) runs out a live request tries it again: one 500
// reaches a client per hold-down for as long as the service is broken.
var apacheKind = Product{
	Image:  ImageProducts,
	Binary: "apache2",
	Pkg:    "apache2",
	User:   "www-data",
	File:   "httpd.conf",
	Config: apacheConfig,
	// -d: ServerRoot is the run directory (pid file, error log, runtime
	// files); -X: one process, no children, so the lab's Pdeathsig (which
	// reaches only a direct child) and process-group kill cover it all.
	Args: func(file string) []string {
		return []string{"-d", filepath.Dir(file), "-f", file, "-X", "-DFOREGROUND"}
	},
	Ready: "/ready",
}

// apacheModules are the modules the rendered config needs, in load order,
// each with why.
var apacheModules = [][2]string{
	{"mpm_event", "The threaded MPM Debian uses by default."},
	{"authz_core", "Require, for the admin locations."},
	{"authz_host", "Require ip, for the admin locations."},
	{"status", "server-status: the readiness page."},
	{"slotmem_shm", "Shared memory where the balancer keeps member state."},
	{"proxy", "Reverse proxying."},
	{"proxy_http", "HTTP to the members."},
	{"proxy_balancer", "The balancer: members, hot standby, failonstatus."},
	{"proxy_hcheck", "Active health checks (hc* parameters)."},
	{"lbmethod_byrequests", "pool.policy round_robin."},
	{"lbmethod_bybusyness", "pool.policy least_requests."},
}

// apacheModuleDir is where Debian's apache2 keeps its modules.
const apacheModuleDir = "/usr/lib/apache2/modules"

func apacheConfig(t vocab.Topology, listen, admin, _ string, memberURL func(vocab.Node) string, _ TLSFiles) ([]byte, error) {
	return apacheRender(t, listen, admin, memberURL, false)
}

// apacheDebianConfig is Apache as Debian ships it: mpm_event with the
// settings of /etc/apache2/mods-available/mpm_event.conf, several child
// processes (no -X), for benchmarks.
func apacheDebianConfig(t vocab.Topology, listen, admin, _ string, memberURL func(vocab.Node) string, _ TLSFiles) ([]byte, error) {
	return apacheRender(t, listen, admin, memberURL, true)
}

func apacheRender(t vocab.Topology, listen, admin string, memberURL func(vocab.Node) string, debianMPM bool) ([]byte, error) {
	p, members, err := resolvedPool(t, memberURL)
	if err != nil {
		return nil, err
	}
	var c conf
	c.note("Apache httpd for lab topology " + t.Name + ", rendered by failover-lab (labs/products/apache.go).")
	c.note("Relative paths are under ServerRoot: the run directory (-d on the command line).")
	c.d("ServerName localhost", "Silences the \"could not determine the server's name\" warning.")
	for _, m := range apacheModules {
		c.d("LoadModule %s_module %s/mod_%s.so", m[1], m[0], apacheModuleDir, m[0])
	}
	c.d("User www-data", "Apache will not serve as root. A lab running as root starts it as www-data already\n"+
		"(a process that switches user loses the kill-on-parent-death the lab relies on);\n"+
		"this keeps the file usable when started by hand as root.")
	c.d("Group www-data", "Same, for the group.")
	c.d("PidFile httpd.pid", "In the run directory, removed with it.")
	c.d("ErrorLog error.log", "In the run directory: failonstatus and health-check transitions are logged here.")
	c.d("LogLevel warn", "Transitions, not every request.")
	c.d("DefaultRuntimeDir .", "Shared memory and mutex files in the run directory, not /var/run/apache2.")
	if debianMPM {
		c.note("mpm_event as Debian's mpm_event.conf sets it: child processes of 25 threads.")
		c.d("StartServers 2", "Debian's value.")
		c.d("MinSpareThreads 25", "Debian's value.")
		c.d("MaxSpareThreads 75", "Debian's value.")
		c.d("ThreadLimit 64", "Debian's value.")
		c.d("ThreadsPerChild 25", "Debian's value.")
		c.d("MaxRequestWorkers 150", "Debian's value.")
		c.d("MaxConnectionsPerChild 0", "Debian's value.")
	} else {
		c.d("ThreadLimit 64", "-X runs one process: give it threads enough for load tests (wrk -c32).")
		c.d("ThreadsPerChild 64", "Same.")
		c.d("MaxRequestWorkers 64", "One process of 64 threads (the default 400 is meant for several processes).")
	}
	c.d("Listen %s", "Traffic address the lab chose.", listen)
	c.d("Listen %s", "Admin address the lab chose.", admin)
	c.blank()
	if err := apacheBalancer(&c, p, members); err != nil {
		return nil, err
	}
	c.blank()
	c.open("<VirtualHost "+listen+">", "Traffic: every path to the pool, as the lab's route / does.")
	c.d("ProxyPass / balancer://%s/", "The balancer above.", vocab.PoolName)
	c.close("</VirtualHost>")
	allow, why := "ip 127.0.0.1", "Loopback only."
	if !strings.HasPrefix(admin, "127.") {
		allow, why = "all granted", "In a container: its admin port is published on the host's loopback only."
	}
	c.open("<VirtualHost "+admin+">", "Admin listener.")
	c.open("<Location /ready>", "The lab waits until this answers 2xx before it sends traffic.")
	c.d("SetHandler server-status", "mod_status: 200 once Apache serves.")
	c.d("Require "+allow, why)
	c.close("</Location>")
	c.open("<Location /balancer-manager>", "Members, their state and counters: Apache's admin page.")
	c.d("SetHandler balancer-manager", "mod_proxy_balancer's manager.")
	c.d("Require "+allow, why)
	c.close("</Location>")
	c.close("</VirtualHost>")
	return c.bytes(), nil
}

func apacheBalancer(c *conf, p config.Pool, members []member) error {
	h := p.Health
	expr, err := apacheHCExpr(h)
	if err != nil {
		return err
	}
	c.d("ProxyHCExpr ok {%s}", "health.expect_status (and health.expect_body) as a mod_proxy_hcheck expression.", expr)
	c.note(fmt.Sprintf("Every member: health.method/path/interval/fails/passes as hc* parameters (whole seconds: hcinterval=%ds);\n"+
		"retry = passive.hold_down (whole seconds): how long a member stays in error state after failonstatus;\n"+
		"connectiontimeout = timeouts.dial; timeout = timeouts.response_header; ttl = timeouts.idle.\n"+
		"Not rendered: health.jitter, health.down_interval, health.timeout (Apache has none of them).",
		ceilSeconds(h.Interval)))
	c.open("<Proxy balancer://"+vocab.PoolName+">", "The pool: members in tier order.")
	for _, m := range members {
		params := fmt.Sprintf("loadfactor=%d retry=%d connectiontimeout=%s timeout=%d ttl=%d hcmethod=%s hcuri=%s hcinterval=%d hcfails=%d hcpasses=%d hcexpr=ok",
			min(m.weight, 100), ceilSeconds(p.Passive.HoldDown), ms(p.Timeouts.Dial), ceilSeconds(p.Timeouts.ResponseHeader),
			ceilSeconds(p.Timeouts.Idle), h.Method, h.Path, ceilSeconds(h.Interval), h.Fails, h.Passes)
		if m.standby {
			c.d("BalancerMember http://%s %s status=+H", "Member "+m.name+" (standby): +H = hot standby, used only when no primary is usable.", m.addr, params)
			continue
		}
		c.d("BalancerMember http://%s %s", "Member "+m.name+" (primary).", m.addr, params)
	}
	lb := "byrequests"
	if p.Policy == config.PolicyLeastRequests {
		lb = "bybusyness"
	}
	statuses := make([]string, len(p.Passive.Statuses))
	for i, s := range p.Passive.Statuses {
		statuses[i] = fmt.Sprint(s)
	}
	c.d("ProxySet lbmethod=%s failonstatus=%s maxattempts=%d",
		"lbmethod: pool.policy. failonstatus: passive.statuses put the member in error state at the first hit\n"+
			"(no passive.failures count, no passive.window) - but the response that hit it still goes to the client:\n"+
			"Apache never retries on a status. maxattempts: retry.attempts - 1, for connection failures only.",
		lb, strings.Join(statuses, ","), max(0, p.Retry.Attempts-1))
	c.close("</Proxy>")
	return nil
}

// apacheHCExpr is an ap_expr accepting health.expect_status (single
// statuses and lo-hi ranges) and, when set, health.expect_body.
func apacheHCExpr(h config.Health) (string, error) {
	var alts []string
	for _, r := range h.ExpectStatus {
		if lo, hi, ok := strings.Cut(r, "-"); ok {
			alts = append(alts, fmt.Sprintf("(%%{REQUEST_STATUS} -ge %s && %%{REQUEST_STATUS} -le %s)", lo, hi))
			continue
		}
		alts = append(alts, fmt.Sprintf("%%{REQUEST_STATUS} -eq %s", r))
	}
	expr := "(" + strings.Join(alts, " || ") + ")"
	if h.ExpectBody != "" {
		sep, err := regexSeparator(h.ExpectBody)
		if err != nil {
			return "", err
		}
		expr += fmt.Sprintf(" && hc('body') =~ m%c%s%c", sep, h.ExpectBody, sep)
	}
	return expr, nil
}

// regexSeparator picks an ap_expr regex delimiter (m#...#) that the
// pattern does not contain: ap_expr has no escape for it.
func regexSeparator(re string) (rune, error) {
	for _, sep := range "#/|!%,;:_" {
		if !strings.ContainsRune(re, sep) {
			return sep, nil
		}
	}
	return 0, fmt.Errorf("proxy config: health.expect_body: Apache needs one of # / | ! %% , ; : _ absent from it (got %q)", re)
}
