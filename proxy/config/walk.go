package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

var (
	configType      = reflect.TypeFor[Config]()
	unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()
	durationType    = reflect.TypeFor[time.Duration]()
)

// walker checks a YAML tree against the Go types before decoding, so that
// unknown keys and badly typed values are reported with their field path
// (yaml's own errors only give a line). It also records each path's line.
type walker struct {
	lines map[string]int
	probs *problems
}

func (w walker) add(n *yaml.Node, sentinel error, path, format string, args ...any) {
	w.probs.add(sentinel, path, format, args...)
	(*w.probs)[len(*w.probs)-1].Line = n.Line
}

func (w walker) walk(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) || t == durationType || isBasic(t.Kind()) {
		w.scalar(n, t, path)
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		w.mapping(n, path, func(key *yaml.Node) (reflect.Type, bool) {
			f, ok := fieldByTag(t, key.Value)
			return f.Type, ok
		}, t)
	case reflect.Map:
		w.mapping(n, path, func(*yaml.Node) (reflect.Type, bool) { return t.Elem(), true }, nil)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			w.add(n, ErrInvalid, path, "want a list, got %s", kindName(n))
			return
		}
		for i, item := range n.Content {
			ip := fmt.Sprintf("%s[%d]", path, i)
			w.lines[ip] = item.Line
			w.walk(item, t.Elem(), ip)
		}
	}
}

func (w walker) mapping(n *yaml.Node, path string, field func(*yaml.Node) (reflect.Type, bool), st reflect.Type) {
	if n.Kind != yaml.MappingNode {
		w.add(n, ErrInvalid, path, "want a mapping, got %s", kindName(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		kp := key.Value
		if path != "" {
			kp = path + "." + key.Value
		}
		ft, ok := field(key)
		if !ok {
			w.add(key, ErrUnknownField, kp, "unknown field (known: %s)", strings.Join(tags(st), ", "))
			continue
		}
		w.lines[kp] = key.Line
		w.walk(val, ft, kp)
	}
}

func (w walker) scalar(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.ScalarNode {
		w.add(n, ErrInvalid, path, "want %s, got %s", typeName(t), kindName(n))
		return
	}
	v := reflect.New(t)
	if err := n.Decode(v.Interface()); err != nil {
		if reflect.PointerTo(t).Implements(unmarshalerType) {
			w.add(n, ErrInvalid, path, "%v", err)
			return
		}
		w.add(n, ErrInvalid, path, "want %s, got %q", typeName(t), n.Value)
	}
}

func fieldByTag(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func tags(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func isBasic(k reflect.Kind) bool {
	switch k {
	case reflect.Bool, reflect.String, reflect.Float32, reflect.Float64,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

func typeName(t reflect.Type) string {
	switch {
	case t == durationType:
		return `a duration like "5s"`
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "a number"
	case isBasic(t.Kind()):
		return "an integer"
	}
	return "a scalar"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}
