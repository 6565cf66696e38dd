package strictyaml

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// MaxExpandedNodes bounds a document's size once its aliases are expanded.
// A config or scenario is a few thousand nodes; a "billion laughs" file of
// 47 KB once took 40 s of CPU and 2.7 GB in the walker and the decoder (at
// start and on every reload, inside the live proxy) before yaml refused it.
const MaxExpandedNodes = 100_000

// boundAliases refuses a document whose aliases expand past
// MaxExpandedNodes. It counts each node once (memoised), so its cost is
// linear in the file, and runs before anything walks or decodes the tree.
func boundAliases(doc *yaml.Node) *Error {
	memo := map[*yaml.Node]int{}
	var size func(n *yaml.Node, depth int) int
	size = func(n *yaml.Node, depth int) int {
		if n == nil {
			return 0
		}
		if s, ok := memo[n]; ok {
			return s
		}
		memo[n] = MaxExpandedNodes + 1 // a cycle counts as too large
		if depth > 1000 {
			return MaxExpandedNodes + 1
		}
		s := 1
		if n.Kind == yaml.AliasNode {
			s += size(n.Alias, depth+1)
		}
		for _, c := range n.Content {
			s += size(c, depth+1)
			if s > MaxExpandedNodes {
				break
			}
		}
		memo[n] = min(s, MaxExpandedNodes+1)
		return memo[n]
	}
	if size(doc, 0) > MaxExpandedNodes {
		return &Error{Line: 1, Col: 1, Err: ErrInvalid,
			Problem: fmt.Sprintf("aliases expand to more than %d nodes", MaxExpandedNodes)}
	}
	return nil
}
