package vocab

import (
	"regexp"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// Role is a node's place in the proxy's pool: its member tier.
type Role string

// Roles.
const (
	RolePrimary Role = "primary" // serves while usable (the default)
	RoleStandby Role = "standby" // serves only when no primary is usable
)

// Roles lists every role, in the order messages name them.
var Roles = []Role{RolePrimary, RoleStandby}

// Enum lists the roles, for the scenario schema.
func (Role) Enum() []string { return strs(Roles) }

// Fixture is what a node runs (docs/contracts.md). A fixture's name is also
// the name of its image and of its binary (fixtures/images).
type Fixture string

// Fixtures.
const (
	FixtureApp       Fixture = "app"       // the PHP-like service with a fault-control API
	FixtureErrorPage Fixture = "errorpage" // serves error.html for every path
	// FixturePHP is the seed story's real PHP page on Apache + mod_php, in
	// the products image (fixtures/products): docker driver only, and its
	// control API knows status faults only.
	FixturePHP Fixture = "php"
)

// Fixtures lists every fixture.
var Fixtures = []Fixture{FixtureApp, FixtureErrorPage, FixturePHP}

// Enum lists the fixtures, for the scenario schema.
func (Fixture) Enum() []string { return strs(Fixtures) }

// ProxyKind is the proxy under test.
type ProxyKind string

// Proxy kinds: failover-proxy, and the products the seed story compares it
// with (Debian's packages: local processes, or the products image).
const (
	ProxyBuiltin ProxyKind = "builtin" // failover-proxy
	ProxyApache  ProxyKind = "apache"  // Apache httpd: mod_proxy_balancer + mod_proxy_hcheck
	ProxyNginx   ProxyKind = "nginx"   // nginx OSS: upstream with backup, proxy_next_upstream
	ProxyHAProxy ProxyKind = "haproxy" // HAProxy: backup servers, httpchk, observe layer7, retry-on
)

// ProxyKinds lists every kind, sorted; the runtime has a renderer for each
// (a test in labs/products keeps the two equal).
var ProxyKinds = []ProxyKind{ProxyApache, ProxyBuiltin, ProxyHAProxy, ProxyNginx}

// Enum lists the kinds, for the scenario schema.
func (ProxyKind) Enum() []string { return strs(ProxyKinds) }

// OrDefault is the kind, with "" meaning ProxyBuiltin.
func (k ProxyKind) OrDefault() ProxyKind {
	if k == "" {
		return ProxyBuiltin
	}
	return k
}

// ServedByProxy is what the ledger records as served_by for an answer the
// proxy made itself (or one without X-Served-By).
const ServedByProxy = ledger.ServedByProxy

// PoolName is the name of the single pool the lab configures in the proxy.
const PoolName = "web"

// NameRE is what topology and node names must match: they become network
// aliases, container names and labels.
var NameRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$`)

// Targets are what served_by may name besides a node: the roles, and the
// proxy (its own answers).
func Targets() []string { return append(strs(Roles), ServedByProxy) }

// ReservedNames cannot name a node: the lab's own network aliases and the
// targets of served_by that are not nodes.
var ReservedNames = append(Targets(), "toxiproxy")

// MaxWeight bounds a node's weight, as the proxy bounds a member's.
const MaxWeight = 1000

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
