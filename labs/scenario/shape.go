package scenario

import (
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// checker walks a YAML tree against a Go type before anything is decoded,
// so that every unknown key and every badly typed value is reported with its
// line, column and field path, all at once. yaml.v3 then decodes a tree
// known to fit.
type checker struct {
	p   *problems
	pos map[string]Pos
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	sizeType     = reflect.TypeFor[config.Size]()
	rateType     = reflect.TypeFor[Rate]()
	boundType    = reflect.TypeFor[Bound]()
	nodesType    = reflect.TypeFor[Nodes]()
)

// hiddenKeys are fields of embedded foreign types a scenario may not set:
// the lab fills the pool's members from nodes, and how it reaches them
// (tls).
var hiddenKeys = map[reflect.Type]map[string]bool{
	reflect.TypeFor[config.Pool](): {"members": true, "tls": true},
}

func posOf(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

func (c *checker) check(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	c.pos[path] = posOf(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // absent
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case nodesType:
		c.checkNodes(n, path)
		return
	case boundType:
		if n.Kind == yaml.ScalarNode {
			c.scalar(n, path, "a count or {min: M, max: N}", func(s string) bool {
				v, err := strconv.Atoi(s)
				return err == nil && v >= 0
			})
			return
		}
	case durationType:
		c.scalar(n, path, `a duration like "3s" or "1500ms"`, func(s string) bool {
			_, err := time.ParseDuration(s)
			return err == nil
		})
		return
	case sizeType:
		c.scalar(n, path, `a size like "64KiB"`, func(s string) bool {
			_, err := config.ParseSize(s)
			return err == nil
		})
		return
	case rateType:
		c.scalar(n, path, `a rate like "50/s"`, func(s string) bool {
			_, err := ParseRate(s)
			return err == nil
		})
		return
	}
	c.checkKind(n, t, path)
}

// checkKind handles plain Go kinds.
func (c *checker) checkKind(n *yaml.Node, t reflect.Type, path string) {
	switch t.Kind() {
	case reflect.Struct:
		c.checkStruct(n, t, path)
	case reflect.Slice:
		if !c.want(n, yaml.SequenceNode, path, "a list") {
			return
		}
		for i, item := range n.Content {
			c.check(item, t.Elem(), path+"["+strconv.Itoa(i)+"]")
		}
	case reflect.Map:
		if !c.want(n, yaml.MappingNode, path, "a mapping") {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			c.check(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value))
		}
	case reflect.String:
		c.scalar(n, path, "a string", func(string) bool { return true })
	case reflect.Bool:
		c.scalar(n, path, "true or false", func(string) bool { return n.Tag == "!!bool" })
	case reflect.Int, reflect.Int64, reflect.Int32:
		c.scalar(n, path, "a whole number", func(s string) bool {
			_, err := strconv.ParseInt(s, 10, 64)
			return err == nil
		})
	case reflect.Float64, reflect.Float32:
		c.scalar(n, path, "a number", func(s string) bool {
			_, err := strconv.ParseFloat(s, 64)
			return err == nil
		})
	}
}

func (c *checker) checkStruct(n *yaml.Node, t reflect.Type, path string) {
	if !c.want(n, yaml.MappingNode, path, "a mapping") {
		return
	}
	fields := yamlFields(t)
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		f, ok := fields[key.Value]
		switch {
		case !ok:
			hint := didYouMean(key.Value, names)
			if hint == "" {
				hint = "; known: " + strings.Join(names, ", ")
			}
			c.p.add(posOf(key), join(path, key.Value), ErrUnknownField, "unknown field%s", hint)
		case seen[key.Value]:
			c.p.add(posOf(key), join(path, key.Value), ErrInvalid, "set twice")
		default:
			c.check(val, f.Type, join(path, key.Value))
		}
		seen[key.Value] = true
	}
}

func (c *checker) checkNodes(n *yaml.Node, path string) {
	if !c.want(n, yaml.MappingNode, path, "a mapping of node name to {fixture, role, ...}") {
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i]
		p := join(path, key.Value)
		if seen[key.Value] {
			c.p.add(posOf(key), p, ErrInvalid, "node defined twice")
		}
		seen[key.Value] = true
		c.check(n.Content[i+1], reflect.TypeFor[Node](), p)
		c.pos[p+".name"] = posOf(key)
	}
}

// scalar reports a value that is not a scalar, or that ok refuses.
func (c *checker) scalar(n *yaml.Node, path, what string, ok func(string) bool) {
	if n.Kind != yaml.ScalarNode || !ok(n.Value) {
		c.p.add(posOf(n), path, ErrInvalid, "must be %s (got %s)", what, describeNode(n))
	}
}

func (c *checker) want(n *yaml.Node, kind yaml.Kind, path, what string) bool {
	if n.Kind == kind {
		return true
	}
	c.p.add(posOf(n), path, ErrInvalid, "must be %s (got %s)", what, describeNode(n))
	return false
}

func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return strconv.Quote(n.Value)
}

// yamlFields maps the YAML keys of a struct to its fields, flattening
// ",inline" fields and leaving out "-" and hidden keys.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		if hiddenKeys[t][name] {
			continue
		}
		out[name] = f
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
