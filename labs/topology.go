package labs

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// Proxy kinds. Only the builtin proxy exists today; ProxySpec.Kind is the
// seam where Apache httpd, nginx and HAProxy plug in later.
const ProxyBuiltin = "builtin" // failover-proxy

// Fixtures a node can run (docs/contracts.md).
const (
	FixtureApp       = "app"       // the PHP-like service with a fault-control API
	FixtureErrorPage = "errorpage" // serves error.html for every path
)

// Roles map to the proxy's member tiers.
const (
	RolePrimary = "primary"
	RoleStandby = "standby"
)

// PoolName is the name of the single pool the lab configures in the proxy.
const PoolName = "web"

// ErrInvalid is wrapped by every validation error of a Topology or a Fault.
var ErrInvalid = errors.New("invalid")

// Topology is what a run starts: one proxy under test in front of named
// nodes, all on one private network.
type Topology struct {
	// Name goes into resource names and labels; letters, digits and '-'.
	Name  string    `yaml:"name"`
	Proxy ProxySpec `yaml:"proxy"`
	Nodes []Node    `yaml:"nodes"`
}

// ProxySpec says which proxy runs and how its pool behaves.
type ProxySpec struct {
	// Kind is the proxy implementation; "" means ProxyBuiltin.
	Kind string `yaml:"kind,omitempty"`
	// Pool holds the pool settings (health, passive, retry, timeouts, ...).
	// The lab fills Members from the topology's Nodes: any members set here
	// are replaced. Zero-valued settings take the proxy's defaults.
	Pool config.Pool `yaml:"pool,omitempty"`
}

// Node is one backend.
type Node struct {
	// Name is the node's network alias, its X-Served-By and the ledger's
	// served_by.
	Name string `yaml:"name"`
	// Fixture is FixtureApp or FixtureErrorPage.
	Fixture string `yaml:"fixture"`
	// Role is RolePrimary (default) or RoleStandby.
	Role string `yaml:"role,omitempty"`
	// Weight is the member weight; 0 means 1.
	Weight int `yaml:"weight,omitempty"`
	// Args are extra flags for the fixture binary (errorpage -status 200).
	Args []string `yaml:"args,omitempty"`
}

// reservedNames are network aliases the lab itself uses.
var reservedNames = map[string]bool{"proxy": true, "toxiproxy": true}

var nameRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$`)

// Validate checks the topology before anything starts. Messages name the
// field and the value.
func (t Topology) Validate() error {
	if !nameRE.MatchString(t.Name) {
		return fmt.Errorf("%w: name: must be lowercase letters, digits and '-', at most 32 (got %q)", ErrInvalid, t.Name)
	}
	if err := validateKind(t.Proxy.Kind); err != nil {
		return err
	}
	if len(t.Nodes) == 0 {
		return fmt.Errorf("%w: nodes: at least one node is needed", ErrInvalid)
	}
	seen := map[string]bool{}
	for i, n := range t.Nodes {
		if err := n.validate(); err != nil {
			return fmt.Errorf("%w: nodes[%d].%w", ErrInvalid, i, err)
		}
		if seen[n.Name] {
			return fmt.Errorf("%w: nodes[%d].name: duplicate %q", ErrInvalid, i, n.Name)
		}
		seen[n.Name] = true
	}
	return nil
}

func (n Node) validate() error {
	switch {
	case !nameRE.MatchString(n.Name):
		return fmt.Errorf("name: must be lowercase letters, digits and '-', at most 32 (got %q)", n.Name)
	case reservedNames[n.Name]:
		return fmt.Errorf("name: %q is reserved for the lab", n.Name)
	case n.Fixture != FixtureApp && n.Fixture != FixtureErrorPage:
		return fmt.Errorf("fixture: must be one of %s, %s (got %q)", FixtureApp, FixtureErrorPage, n.Fixture)
	case n.Role != "" && n.Role != RolePrimary && n.Role != RoleStandby:
		return fmt.Errorf("role: must be one of %s, %s (got %q)", RolePrimary, RoleStandby, n.Role)
	case n.Weight < 0:
		return fmt.Errorf("weight: must be >= 0 (got %d)", n.Weight)
	}
	return nil
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
