package scenario

import (
	"errors"
	"fmt"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Rate is a request rate in requests per second, written "50/s".
type Rate int

var rateRE = regexp.MustCompile(`^\s*(\d+)\s*/\s*s\s*$`)

// ParseRate reads "50/s".
func ParseRate(s string) (Rate, error) {
	m := rateRE.FindStringSubmatch(s)
	if m == nil {
		return 0, errors.New(`must be a rate like "50/s"`)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, errors.New(`must be a rate like "50/s"`)
	}
	return Rate(n), nil
}

// String writes "50/s".
func (r Rate) String() string { return itoa(int(r)) + "/s" }

// UnmarshalYAML reads "50/s".
func (r *Rate) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseRate(n.Value)
	if err != nil || n.Kind != yaml.ScalarNode {
		return errors.New(`must be a rate like "50/s"`)
	}
	*r = v
	return nil
}

// MarshalYAML writes "50/s".
func (r Rate) MarshalYAML() (any, error) { return r.String(), nil }

// UnmarshalYAML reads a bare count as {max: N}, or the {min, max} mapping.
func (b *Bound) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		v, err := strconv.Atoi(n.Value)
		if err != nil || v < 0 {
			return fmt.Errorf("must be a count or {min: M, max: N} (got %q)", n.Value)
		}
		*b = Bound{Max: &v}
		return nil
	}
	type plain Bound
	return n.Decode((*plain)(b))
}

// UnmarshalYAML reads the nodes mapping, keeping the file's order.
func (ns *Nodes) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return errors.New("must be a mapping of node name to node")
	}
	*ns = nil
	for i := 0; i+1 < len(n.Content); i += 2 {
		var node vocab.Node
		if err := n.Content[i+1].Decode(&node); err != nil {
			return err
		}
		node.Name = n.Content[i].Value
		*ns = append(*ns, node)
	}
	return nil
}

// fmtDuration writes 1500ms as "1.5s" and 100ms as "100ms" (time.Duration's
// String, without the trailing "0s" noise of "1m0s").
func fmtDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
