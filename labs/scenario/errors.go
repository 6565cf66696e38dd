package scenario

import (
	"github.com/failover-lab/failover-lab/labs/vocab"
	"reflect"

	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/config/strictyaml"
)

// Sentinels wrapped by every error of Parse, for errors.Is: strictyaml's,
// the same values proxy/config wraps.
var (
	ErrSyntax       = strictyaml.ErrSyntax
	ErrUnknownField = strictyaml.ErrUnknownField
	ErrInvalid      = strictyaml.ErrInvalid
	ErrRequired     = strictyaml.ErrRequired
	ErrUnknownName  = strictyaml.ErrUnknownName // a node or event that does not exist
)

// Error is one problem at one place of a scenario file:
//
//	scenarios/x.yaml:12:5: timeline[1].fault.node: no node named "servce" (did you mean "service"?)
type Error = strictyaml.Error

// Errors is every problem found in a file, in file order, one per line.
type Errors = strictyaml.Errors

// Pos is a place in a scenario file, 1-based.
type Pos = strictyaml.Pos

// checkOptions tailor the strict check to the scenario format: the lab
// fills the pool's members from nodes, so `members` is hidden, and nodes
// are a mapping of name to node, kept in order.
var checkOptions = strictyaml.Options{
	Hidden: map[reflect.Type][]string{
		reflect.TypeFor[config.Pool](): {"members", "tls"}, // the lab fills members from nodes, and how it reaches them
	},
	Custom: map[reflect.Type]func(*strictyaml.Checker, *yaml.Node, string) bool{
		reflect.TypeFor[Nodes]():       checkNodes,
		reflect.TypeFor[vocab.Fault](): vocab.CheckYAML, // the kind's own settings
	},
}

func checkNodes(c *strictyaml.Checker, n *yaml.Node, path string) bool {
	if !c.Want(n, yaml.MappingNode, path, "a mapping of node name to {fixture, role, ...}") {
		return true
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i]
		p := strictyaml.Join(path, key.Value)
		if seen[key.Value] {
			c.Add(key, p, ErrInvalid, "node defined twice")
		}
		seen[key.Value] = true
		c.SetPos(p, key)
		c.Check(n.Content[i+1], reflect.TypeFor[vocab.Node](), p)
		c.SetPos(p+".name", key)
	}
	return true
}
