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
// writes it as its `proxy:` mapping: kind plus the pool settings inline.
type ProxySpec struct {
	Kind  ProxyKind `yaml:"kind,omitempty" enum:"apache,builtin,haproxy,nginx" doc:"The proxy implementation: builtin (failover-proxy, the default), or apache, nginx, haproxy (process driver only)."`
	HTTPS bool      `yaml:"https,omitempty" doc:"The proxy's listener terminates TLS (HTTP/2 and HTTP/1.1 by ALPN) with a certificate made for the run by its own CA, which the load trusts. Builtin proxy, process driver. Default false."`
	// Pool holds the pool settings (health, passive, retry, timeouts, ...).
	// The lab fills Members from the topology's Nodes: any members set here
	// are replaced. Zero-valued settings take the proxy's defaults.
	Pool config.Pool `yaml:",inline"`
}

// Node is one backend. The doc tags become the scenario schema's
// descriptions.
type Node struct {
	// Name is the node's network alias, its X-Served-By and the ledger's
	// served_by; in a scenario file, the key of the nodes mapping.
	Name    string   `yaml:"-"`
	Fixture Fixture  `yaml:"fixture" enum:"app,errorpage" doc:"What the node runs: app (the PHP-like service with a fault-control API) or errorpage."`
	Role    Role     `yaml:"role,omitempty" enum:"primary,standby" doc:"primary (default) or standby."`
	Weight  int      `yaml:"weight,omitempty" doc:"Round-robin weight, 1..1000. Default 1."`
	Args    []string `yaml:"args,omitempty" doc:"Extra flags for the fixture binary, e.g. [-status, \"200\"] for an errorpage."`
	HTTPS   bool     `yaml:"https,omitempty" doc:"The node serves HTTPS with a certificate made for the run by its own CA, which the proxy's pool trusts (its tls.ca). Builtin proxy, process driver. Default false."`
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
		report.add(path, ErrInvalid, "only with proxy kind builtin (got %s): the lab renders no TLS for the other products", t.Proxy.Kind)
	}
	other := t.Proxy.Kind.OrDefault() != ProxyBuiltin
	if other && t.Proxy.HTTPS {
		tlsOnBuiltin("proxy.https")
	}
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
	if !slices.Contains(Fixtures, n.Fixture) {
		report("fixture", ErrInvalid, oneOf(string(n.Fixture), strs(Fixtures)))
	}
	if n.Role != "" && !slices.Contains(Roles, n.Role) {
		report("role", ErrInvalid, oneOf(string(n.Role), strs(Roles)))
	}
	if n.Weight < 0 || n.Weight > MaxWeight {
		report.add("weight", ErrInvalid, "must be 1..%d (got %d)", MaxWeight, n.Weight)
	}
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
