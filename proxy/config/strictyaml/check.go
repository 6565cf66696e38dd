package strictyaml

import (
	"encoding"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Pos is a place in a document, 1-based; the zero Pos is unknown.
type Pos struct{ Line, Col int }

// PosOf is the place of a node.
func PosOf(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

// Positions maps a field path ("timeline[1].fault.node") to where it was
// written: the value of a scalar, the key of a mapping or list (so that a
// problem of a block mapping points at its name).
type Positions map[string]Pos

// Of finds the place of path, or of its closest parent that has one.
func (p Positions) Of(path string) Pos {
	for {
		if pos, ok := p[path]; ok {
			return pos
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return p[""]
		}
		path = path[:i]
	}
}

// Options tailor a Checker to one document type.
type Options struct {
	// Hidden are keys of (often embedded, foreign) struct types that the
	// document may not set: the scenario format hides config.Pool's members.
	Hidden map[reflect.Type][]string
	// Custom checks a type whose YAML shape is not its Go shape (a list
	// written as a mapping); it returns false to fall back to the default.
	Custom map[reflect.Type]func(c *Checker, n *yaml.Node, path string) bool
}

// Checker walks one document. Use Check.
type Checker struct {
	opts Options
	pos  Positions
	errs Errors
}

var (
	durationType        = reflect.TypeFor[time.Duration]()
	unmarshalerType     = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// Check walks root against t. It returns where every field was written and
// every problem found (nil when none); the problems carry no file name yet
// (Errors.Err stamps it).
func Check(root *yaml.Node, t reflect.Type, opts Options) (Positions, Errors) {
	c := &Checker{opts: opts, pos: Positions{}}
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return c.pos, nil
		}
		root = root.Content[0]
	}
	c.Check(root, t, "")
	return c.pos, c.errs
}

// Add records a problem at a node.
func (c *Checker) Add(n *yaml.Node, path string, sentinel error, format string, args ...any) {
	c.errs.Add(PosOf(n), path, sentinel, format, args...)
}

// SetPos records where path was written.
func (c *Checker) SetPos(path string, n *yaml.Node) { c.pos[path] = PosOf(n) }

// Check walks n against t at path.
func (c *Checker) Check(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if _, ok := c.pos[path]; !ok || n.Kind == yaml.ScalarNode {
		c.pos[path] = PosOf(n)
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // absent
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if f, ok := c.opts.Custom[t]; ok && f(c, n, path) {
		return
	}
	if t == durationType {
		c.scalar(n, path, `a duration like "3s" or "1500ms"`, func(s string) bool {
			_, err := time.ParseDuration(s)
			return err == nil
		})
		return
	}
	if decodes(t) && (n.Kind == yaml.ScalarNode || t.Kind() != reflect.Struct) {
		c.decode(n, t, path)
		return
	}
	c.checkKind(n, t, path)
}

// decodes says whether t reads itself from YAML.
func decodes(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(unmarshalerType) || p.Implements(textUnmarshalerType)
}

// decode lets a type that reads itself judge a scalar.
func (c *Checker) decode(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.ScalarNode {
		c.Add(n, path, ErrInvalid, "must be a single value (got %s)", Describe(n))
		return
	}
	if err := n.Decode(reflect.New(t).Interface()); err != nil {
		msg := yamlPrefix.ReplaceAllString(err.Error(), "")
		if !strings.Contains(msg, "(got") {
			msg += " (got " + Describe(n) + ")"
		}
		c.Add(n, path, ErrInvalid, "%s", msg)
	}
}

var yamlPrefix = regexp.MustCompile(`^yaml: (unmarshal errors:\s*)?(line \d+: )?`)

// checkKind handles plain Go kinds.
func (c *Checker) checkKind(n *yaml.Node, t reflect.Type, path string) {
	switch t.Kind() {
	case reflect.Struct:
		c.checkStruct(n, t, path)
	case reflect.Slice:
		if !c.Want(n, yaml.SequenceNode, path, "a list") {
			return
		}
		for i, item := range n.Content {
			c.Check(item, t.Elem(), path+"["+strconv.Itoa(i)+"]")
		}
	case reflect.Map:
		if !c.Want(n, yaml.MappingNode, path, "a mapping") {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			c.SetPos(Join(path, n.Content[i].Value), n.Content[i])
			c.Check(n.Content[i+1], t.Elem(), Join(path, n.Content[i].Value))
		}
	case reflect.String:
		c.scalar(n, path, "a string", func(string) bool { return true })
	case reflect.Bool:
		c.scalar(n, path, "true or false", func(string) bool { return n.Tag == "!!bool" })
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.scalar(n, path, "a whole number", func(s string) bool {
			_, err := strconv.ParseInt(s, 10, t.Bits())
			return err == nil
		})
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		c.scalar(n, path, "a whole number ≥ 0", func(s string) bool {
			_, err := strconv.ParseUint(s, 10, t.Bits())
			return err == nil
		})
	case reflect.Float64, reflect.Float32:
		c.scalar(n, path, "a number", func(s string) bool {
			_, err := strconv.ParseFloat(s, 64)
			return err == nil || n.Tag == "!!float"
		})
	}
}

func (c *Checker) checkStruct(n *yaml.Node, t reflect.Type, path string) {
	if !c.Want(n, yaml.MappingNode, path, "a mapping") {
		return
	}
	fields := c.Fields(t)
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		f, ok := fields[key.Value]
		kp := Join(path, key.Value)
		switch {
		case !ok:
			hint := DidYouMean(key.Value, names)
			if hint == "" {
				hint = "; known: " + strings.Join(names, ", ")
			}
			c.Add(key, kp, ErrUnknownField, "unknown field%s", hint)
		case seen[key.Value]:
			c.Add(key, kp, ErrInvalid, "set twice")
		default:
			c.SetPos(kp, key)
			c.Check(val, f.Type, kp)
		}
		seen[key.Value] = true
	}
}

// Want reports a node that is not of kind; what names the kind ("a list").
func (c *Checker) Want(n *yaml.Node, kind yaml.Kind, path, what string) bool {
	if n.Kind == kind {
		return true
	}
	c.Add(n, path, ErrInvalid, "must be %s (got %s)", what, Describe(n))
	return false
}

// scalar reports a value that is not a scalar, or that ok refuses.
func (c *Checker) scalar(n *yaml.Node, path, what string, ok func(string) bool) {
	if n.Kind != yaml.ScalarNode || !ok(n.Value) {
		c.Add(n, path, ErrInvalid, "must be %s (got %s)", what, Describe(n))
	}
}

// Describe names a node's value for a message: "a mapping", "a list", or
// the scalar quoted.
func Describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return strconv.Quote(n.Value)
}

// Fields maps the YAML keys of a struct to its fields, flattening
// ",inline" fields and leaving out "-" and hidden keys.
func (c *Checker) Fields(t reflect.Type) map[string]reflect.StructField {
	return Fields(t, c.opts.Hidden)
}

// Fields maps the YAML keys of struct t to its fields, flattening ",inline"
// fields and leaving out "-" and the hidden keys of each type.
func Fields(t reflect.Type, hidden map[reflect.Type][]string) map[string]reflect.StructField {
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
			for k, v := range Fields(f.Type, hidden) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		if slices.Contains(hidden[t], name) {
			continue
		}
		out[name] = f
	}
	return out
}

// Join appends a key to a path.
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var syntaxLineRE = regexp.MustCompile(`line (\d+): `)

// SyntaxError turns yaml.v3's "yaml: line 3: mapping values are not
// allowed" into an Error at line 3, column 1.
func SyntaxError(err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	e := &Error{Problem: msg, Err: ErrSyntax}
	if m := syntaxLineRE.FindStringSubmatchIndex(msg); m != nil {
		e.Line, _ = strconv.Atoi(msg[m[2]:m[3]])
		e.Col = 1
		e.Problem = msg[:m[0]] + msg[m[1]:]
	}
	return e
}

// Parse reads data into a yaml.Node tree; a syntax error comes back as
// Errors of one *Error at its line, and so does a document whose aliases
// expand past MaxExpandedNodes. An empty document is a nil root.
func Parse(data []byte) (*yaml.Node, Errors) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, Errors{SyntaxError(err)}
	}
	if err := boundAliases(&doc); err != nil {
		return nil, Errors{err}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}
