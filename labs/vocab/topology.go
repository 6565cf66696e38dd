package vocab

import (
	"fmt"
	"slices"
	"strings"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// Topology is what a run starts: one proxy under test in front of named
// nodes, all on one private network.
type Topology struct {
	// Name goes into resource names and labels; NameRE.
	Name  string
	Proxy ProxySpec
	Nodes []Node
}

// ProxySpec says which proxy runs and how its pool behaves. A scenario file
// writes it as its `proxy:` mapping: kind plus the pool settings inline,
// or the user's own proxy: an image (or a command) and a config template
// (template.go).
type ProxySpec struct {
	Kind ProxyKind `yaml:"kind,omitempty" doc:"The proxy implementation: builtin (failover-proxy, the default), or apache, nginx, haproxy (Debian's packages: local processes with the process driver, the products image with the docker driver). Leave it out for a proxy given by image or command."`
	// Image and Command give any proxy: the lab knows nothing of it but
	// its config, port, readiness path and reload signal.
	Image   string   `yaml:"image,omitempty" doc:"Any proxy, given by image (docker driver), e.g. caddy:2 where a registry is reachable, or failover-lab/products:local (Debian's apache2, nginx, haproxy and caddy). With config, the template naming the members; see docs/other-proxies.md."`
	Command []string `yaml:"command,omitempty" doc:"The proxy's command line, each word a template ({{ config }} is the rendered config's path, {{ port }} the traffic port): in the image's container (default the image's own), or, without image, a local program run by the process driver (with image too, when it is installed); a program with a / is relative to the scenario file."`
	// Program is the command's program as the process driver runs it: a
	// path with a / made relative to the scenario file by the parser; ""
	// = the command's first word, looked up on PATH.
	Program string `yaml:"-"`
	// Config is the user's own config file, as written in the scenario
	// (relative to its file); ConfigData is its content, read by the
	// scenario parser.
	Config     string            `yaml:"config,omitempty" doc:"Your own config file, relative to the scenario file: a Go template where {{ member \"service\" }} is the address at which the proxy reaches node service through its Toxiproxy link (so network faults apply), {{ port }} the traffic port. For a proxy given by image or command, or proxy kind apache, nginx or haproxy (docker driver), instead of a config the lab renders. A config that calls no member names the nodes itself (service:8080): network faults then do not apply. The pool settings below are not used."`
	ConfigData []byte            `yaml:"-"`
	ConfigPath string            `yaml:"config_path,omitempty" doc:"Where the rendered config goes in the proxy's container. Default /lab/ plus the config's file name (the products image's run directory); for kind apache, nginx, haproxy, the file name their command reads (httpd.conf, nginx.conf, haproxy.cfg)."`
	Port       int               `yaml:"port,omitempty" doc:"The port your config takes traffic on, in the container (docker driver; the process driver picks a free one: write {{ port }}). Default 8080."`
	Ready      string            `yaml:"ready,omitempty" doc:"A path on the traffic port that answers 2xx once the proxy serves, polled before the load starts. Default: any answer on / (a proxy whose members are not yet usable may answer 502)."`
	Reload     string            `yaml:"reload_signal,omitempty" doc:"The signal that makes the proxy re-read its config, sent by the timeline's {reload: true} events: e.g. SIGHUP (nginx, the default for kind nginx), SIGUSR1 (Apache's graceful restart, the default for kind apache). Default none: reload events are refused."`
	Env        map[string]string `yaml:"env,omitempty" doc:"Environment variables of the proxy given by image or command (container or process)."`
	HTTPS      bool              `yaml:"https,omitempty" doc:"The proxy's listener terminates TLS (HTTP/2 and HTTP/1.1 by ALPN) with a certificate made for the run by its own CA, which the load trusts. Builtin proxy, process driver. Default false."`
	// Pool holds the pool settings (health, passive, retry, timeouts, ...).
	// The lab fills Members from the topology's Nodes: any members set here
	// are replaced. Zero-valued settings take the proxy's defaults.
	Pool config.Pool `yaml:",inline"`
}

// Given says whether the proxy is the user's, given by image or command
// (no kind: the lab knows nothing of it but what the scenario says).
func (p ProxySpec) Given() bool { return p.Image != "" || (p.Command != nil && p.Kind == "") }

// Own says whether the proxy runs the user's own config, or is the user's
// proxy altogether: the lab renders nothing and the pool settings are
// not used.
func (p ProxySpec) Own() bool { return p.Config != "" || p.Given() }

// Rendered says whether the lab renders the proxy's config: builtin, or a
// known kind without the user's own config.
func (p ProxySpec) Rendered() bool { return !p.Own() }

// DefaultProxyPort is the traffic port of a proxy with its own config,
// inside its container, when the scenario gives none.
const DefaultProxyPort = 8080

// TrafficPort is the port a proxy with its own config takes traffic on in
// its container: Port, default 8080.
func (p ProxySpec) TrafficPort() int {
	if p.Port == 0 {
		return DefaultProxyPort
	}
	return p.Port
}

// ReloadSignal is the signal a reload event sends the proxy: reload_signal,
// else the kind's own (nginx SIGHUP, apache SIGUSR1) for the user's config
// of a kind; "" when the proxy has none (builtin reloads by its admin API).
func (p ProxySpec) ReloadSignal() string {
	if p.Reload != "" || !p.Own() {
		return p.Reload
	}
	return kindReload[p.Kind]
}

// kindReload is the signal each packaged kind re-reads its config on, as
// started by the lab (in the foreground: HAProxy reloads only as a master,
// -W, which its command does not ask for).
var kindReload = map[ProxyKind]string{ProxyNginx: "SIGHUP", ProxyApache: "SIGUSR1"}

// Label names the proxy in reports: its kind ("builtin", "nginx"), or
// what gives it ("image caddy:2", "command caddy").
func (p ProxySpec) Label() string {
	if p.Given() {
		return p.What()
	}
	return string(p.Kind.OrDefault())
}

// What is the proxy in messages: "proxy kind nginx", "image caddy:2".
func (p ProxySpec) What() string {
	switch {
	case p.Image != "":
		return "image " + p.Image
	case p.Given():
		return "command " + p.Command[0]
	}
	return "proxy kind " + string(p.Kind.OrDefault())
}

// Node is one backend. The doc tags become the scenario schema's
// descriptions.
type Node struct {
	// Name is the node's network alias, its X-Served-By and the ledger's
	// served_by; in a scenario file, the key of the nodes mapping.
	Name    string   `yaml:"-"`
	Fixture Fixture  `yaml:"fixture,omitempty" doc:"What the node runs: app (the PHP-like service with a fault-control API), errorpage, or php (the seed story's PHP page on Apache + mod_php, docker driver; http faults: status only). Either fixture or image."`
	Role    Role     `yaml:"role,omitempty" doc:"primary (default) or standby."`
	Weight  int      `yaml:"weight,omitempty" doc:"Round-robin weight, 1..1000. Default 1."`
	Args    []string `yaml:"args,omitempty" doc:"Extra flags for the fixture binary, e.g. [-status, \"200\"] for an errorpage."`
	HTTPS   bool     `yaml:"https,omitempty" doc:"The node serves HTTPS with a certificate made for the run by its own CA, which the proxy's pool trusts (its tls.ca). Builtin proxy, process driver. Default false."`
	// An image node runs any image instead of a fixture (docker driver).
	// It has no fault-control API: container and network faults apply to
	// it, http faults do not.
	Image   string            `yaml:"image,omitempty" doc:"Run this image instead of a fixture (docker driver), e.g. httpd:2.4 where a registry is reachable, or failover-lab/products:local. Container and network faults apply to it; http faults need a fixture."`
	Port    int               `yaml:"port,omitempty" doc:"The port an image node serves HTTP on, inside its container. Default 80."`
	Health  string            `yaml:"health,omitempty" doc:"The path the lab polls on an image or command node until it answers 2xx, before the proxy starts. Default /."`
	Env     map[string]string `yaml:"env,omitempty" doc:"Environment variables of an image node's container, or of a command node's process."`
	Command []string          `yaml:"command,omitempty" doc:"Your own service's command line, each word a template where {{ port }} is the port it must serve HTTP on. With image: the container's command (the image's CMD when absent; {{ port }} is port). Without image: a local program the process driver runs on a free port. With both, the process driver runs it too when it says {{ port }} and its program is on this machine. A program with a / in its name is relative to the scenario file."`
	// Program is the command's program as the process driver runs it: a
	// path with a / made relative to the scenario file by the parser, else
	// a name looked up on PATH.
	Program string `yaml:"-"`
}

// DefaultImagePort is an image node's port when the scenario gives none.
const DefaultImagePort = 80

// TrafficPort is the port the node serves HTTP on inside its container:
// 8080 for a fixture, Port (default 80) for an image.
func (n Node) TrafficPort() int {
	switch {
	case n.Fixture != "":
		return 8080
	case n.Port == 0:
		return DefaultImagePort
	}
	return n.Port
}

// HealthPath is the path the lab polls until the node answers: the
// fixtures' /health, or an image or command node's Health (default /).
func (n Node) HealthPath() string {
	switch {
	case n.Fixture != "":
		return "/health"
	case n.Health == "":
		return "/"
	}
	return n.Health
}

// HasControl says whether the node has the app's fault-control API (all
// of it for app, status faults for php): what http faults need.
func (n Node) HasControl() bool { return n.Fixture == FixtureApp || n.Fixture == FixturePHP }

// What is the node's kind in messages: "fixture app", "image httpd:2.4".
func (n Node) What() string {
	switch {
	case n.Image != "":
		return "image " + n.Image
	case n.Fixture == "" && len(n.Command) > 0:
		return "command " + n.Command[0]
	}
	return "fixture " + string(n.Fixture)
}

// UsesTLS says whether the run needs certificates: the proxy's listener or
// a node serves HTTPS.
func (t Topology) UsesTLS() bool {
	return t.Proxy.HTTPS || slices.ContainsFunc(t.Nodes, func(n Node) bool { return n.HTTPS })
}

// IsStandby says whether the node serves only when no primary can ("" is
// a primary).
func (n Node) IsStandby() bool { return n.Role == RoleStandby }

// Validate checks the topology before anything starts; the error names the
// field and the value and wraps ErrInvalid.
func (t Topology) Validate() error { return first(t.Check) }

// Check reports every problem of the topology (paths "name", "proxy.kind",
// "nodes[1].fixture"). The pool settings are the proxy's to judge.
func (t Topology) Check(report Report) {
	if !NameRE.MatchString(t.Name) {
		report.add("name", ErrInvalid, "must be lowercase letters, digits and '-', at most 32 (got %q)", t.Name)
	}
	t.Proxy.Kind.check(report.under("proxy.kind"))
	tlsOnBuiltin := func(path string) {
		got := string(t.Proxy.Kind)
		if t.Proxy.Given() {
			got = t.Proxy.What()
		}
		report.add(path, ErrInvalid, "only with proxy kind builtin (got %s): the lab renders no TLS for the other products", got)
	}
	other := t.Proxy.Kind.OrDefault() != ProxyBuiltin || t.Proxy.Given()
	if other && t.Proxy.HTTPS {
		tlsOnBuiltin("proxy.https")
	}
	if t.Proxy.Config != "" && !other {
		report.add("proxy.config", ErrInvalid, "your own config file needs proxy kind apache, nginx or haproxy, or a proxy given by image or command (got %s)", t.Proxy.Kind.OrDefault())
	}
	t.checkOwn(report.under("proxy"))
	if len(t.Nodes) == 0 {
		report.add("nodes", ErrRequired, "at least one node is needed")
		return
	}
	seen := map[string]int{}
	primaries := 0
	for i, n := range t.Nodes {
		path := fmt.Sprintf("nodes[%d]", i)
		n.Check(report.under(path))
		if other && n.HTTPS {
			tlsOnBuiltin(path + ".https")
		}
		if j, dup := seen[n.Name]; dup {
			report.add(path+".name", ErrInvalid, "duplicate %q (also nodes[%d])", n.Name, j)
		}
		seen[n.Name] = i
		if !n.IsStandby() {
			primaries++
		}
	}
	if primaries == 0 {
		report.add("nodes", ErrInvalid, "at least one node must have role primary")
	}
}

func (k ProxyKind) check(report Report) {
	if k != "" && !slices.Contains(ProxyKinds, k) {
		report("", ErrInvalid, oneOf(string(k), strs(ProxyKinds)))
	}
}

// Check reports the problems of one node (paths "name", "fixture", ...).
func (n Node) Check(report Report) {
	switch {
	case !NameRE.MatchString(n.Name):
		report.add("name", ErrInvalid, "node names are lowercase letters, digits and '-', at most 32 (got %q)", n.Name)
	case slices.Contains(ReservedNames, n.Name):
		report.add("name", ErrInvalid, "%q is reserved; reserved: %s", n.Name, strings.Join(ReservedNames, ", "))
	}
	switch {
	case n.Image != "" && n.Fixture != "":
		report.add("image", ErrInvalid, "a node runs a fixture or an image, not both (fixture %s, image %s)", n.Fixture, n.Image)
	case n.Image != "":
		n.checkImage(report)
	case n.Fixture == "" && n.Command != nil:
		n.checkCommand(report)
	case n.Fixture == "":
		report.add("fixture", ErrRequired, "required: a fixture (%s), an image or a command", strings.Join(strs(Fixtures), ", "))
	case !slices.Contains(Fixtures, n.Fixture):
		report("fixture", ErrInvalid, oneOf(string(n.Fixture), strs(Fixtures)))
	default:
		for field, set := range map[string]bool{"port": n.Port != 0, "health": n.Health != "", "env": n.Env != nil, "command": n.Command != nil} {
			if set {
				report.add(field, ErrInvalid, "only for a node given by image or command (this one runs fixture %s)", n.Fixture)
			}
		}
	}
	if n.Role != "" && !slices.Contains(Roles, n.Role) {
		report("role", ErrInvalid, oneOf(string(n.Role), strs(Roles)))
	}
	if n.Weight < 0 || n.Weight > MaxWeight {
		report.add("weight", ErrInvalid, "must be 1..%d (got %d)", MaxWeight, n.Weight)
	}
}

// checkImage reports the problems of an image node's settings.
func (n Node) checkImage(report Report) {
	if strings.ContainsAny(n.Image, " \t\n") {
		report.add("image", ErrInvalid, "an image reference has no spaces (got %q)", n.Image)
	}
	if n.Port < 0 || n.Port > 65535 {
		report.add("port", ErrInvalid, "must be 1..65535 (got %d)", n.Port)
	}
	if n.Health != "" && !strings.HasPrefix(n.Health, "/") {
		report.add("health", ErrInvalid, "must be a path starting with / (got %q)", n.Health)
	}
	if n.Args != nil {
		report.add("args", ErrInvalid, "flags of a fixture binary; an image node takes command")
	}
	if n.HTTPS {
		report.add("https", ErrInvalid, "only for a fixture: the lab makes no certificates for an image")
	}
	n.checkCommandWords(report)
}

// Node returns the node with the given name.
func (t Topology) Node(name string) (Node, bool) {
	for _, n := range t.Nodes {
		if n.Name == name {
			return n, true
		}
	}
	return Node{}, false
}

// NodeNames lists the nodes' names in order.
func (t Topology) NodeNames() []string {
	out := make([]string, len(t.Nodes))
	for i, n := range t.Nodes {
		out[i] = n.Name
	}
	return out
}
