package vocab

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/proxy/config/strictyaml"
)

// Fault is one way to break one node: the settings of one registered kind
// (labs/faults), whose type names the kind and its family. A scenario
// writes it as
//
//	{node: service, container: {action: kill, signal: SIGTERM}}
//	{node: service, http: {status: 500, for: 2s}}
//
// and decodes it strictly (CheckYAML, UnmarshalYAML); Go code writes
// Fault{Node: "service", Settings: faults.Kill{Signal: "SIGTERM"}}.
type Fault struct {
	// Name labels the ledger marks of this fault, and is an http fault's
	// id in the control API; the scenario sets it to the event's name.
	Name     string          `yaml:"-"`
	Node     string          `yaml:"node" doc:"The node to break."`
	Settings faults.Settings `yaml:"-"`
}

// Kind is the registered kind of the fault's settings.
func (f Fault) Kind() (faults.Kind, bool) { return faults.KindOf(f.Settings) }

// Family is the family of the fault's kind ("" without settings).
func (f Fault) Family() faults.Family {
	k, _ := f.Kind()
	return k.Family
}

// Validate checks the fault alone (not whether its node exists:
// Topology.CheckFault does). The error names the field:
// `container.signal: unknown signal "SIGFOO"`.
func (f Fault) Validate() error { return first(f.Check) }

// Check reports every problem of the fault alone.
func (f Fault) Check(report Report) {
	if f.Node == "" {
		report.add("node", ErrRequired, "required: the node to break")
	}
	k, ok := f.Kind()
	switch {
	case f.Settings == nil:
		report.add("", ErrInvalid, "exactly one of %s must be set (got 0)", strings.Join(faults.FamilyNames(), ", "))
	case !ok:
		report.add("", ErrInvalid, "%T are the settings of no registered fault kind", f.Settings)
	default:
		if p := f.Settings.Check(); p != nil {
			report(join(string(k.Family), p.Field), ErrInvalid, p.Msg)
		}
	}
}

// CheckFault reports the problems of a fault in this topology: its node
// must exist and offer what the fault's family needs.
func (t Topology) CheckFault(f Fault, report Report) {
	f.Check(report)
	if f.Node == "" {
		return
	}
	n, ok := t.Node(f.Node)
	fam := f.Family()
	switch {
	case !ok:
		report.add("node", ErrUnknownName, "no node named %q%s", f.Node, didYouMean(f.Node, t.NodeNames()))
	case fam == faults.FamilyHTTP && !n.HasControl():
		report.add("http", ErrInvalid, "http faults need a fixture with a fault-control API (app, php); node %s runs %s", n.Name, n.What())
	case fam == faults.FamilyHTTP && n.Fixture == FixturePHP && !phpCanDo(f.Settings):
		report.add("http", ErrInvalid, "node %s runs fixture php, whose PHP control API knows status faults only, on every request (no count, for, probability, path or method) (got %s)", n.Name, f.Settings.Describe())
	case fam == faults.FamilyNetwork:
		t.checkNetworkReach(n, report)
	case fam == faults.FamilyTLS && !n.HTTPS:
		report.add("tls", ErrInvalid, "tls faults need a node with https: true; %s serves plain HTTP", n.Name)
	}
}

// phpCanDo says whether the php fixture's control API can apply s: a
// status fault, always on, on every path.
func phpCanDo(s faults.Settings) bool {
	st, ok := s.(faults.HTTPStatus)
	return ok && st.HTTPScope == faults.HTTPScope{}
}

// ValidateFault is CheckFault's first problem, wrapping ErrInvalid.
func (t Topology) ValidateFault(f Fault) error {
	return first(func(r Report) { t.CheckFault(f, r) })
}

// Describe is the short human form of the fault, in progress lines and
// ledger marks: "service: http status 500", "service: container kill SIGKILL".
func (f Fault) Describe() string {
	if f.Settings == nil {
		return f.Node
	}
	return f.Node + ": " + string(f.Family()) + " " + f.Settings.Describe()
}

// UnmarshalYAML decodes a fault strictly: an unknown key, family, kind or
// setting is an error naming it.
func (f *Fault) UnmarshalYAML(n *yaml.Node) error {
	var first error
	w := faultWalk{add: func(_ *yaml.Node, path string, _ error, msg string) {
		if first == nil {
			first = fmt.Errorf("%w: %s", ErrInvalid, strings.TrimPrefix(path+": "+msg, ": "))
		}
	}}
	got := w.walk(n, "")
	if first != nil {
		return first
	}
	*f = got
	return nil
}

// CheckYAML is the scenario checker's hook for a Fault (strictyaml.Options
// Custom): it places every problem of the fault's keys at its line, and
// judges each setting's value against its type. It always handles n.
func CheckYAML(c *strictyaml.Checker, n *yaml.Node, path string) bool {
	w := faultWalk{
		add:   func(at *yaml.Node, p string, sentinel error, msg string) { c.Add(at, p, sentinel, "%s", msg) },
		value: c.Check,
		pos:   c.SetPos,
	}
	w.walk(n, path)
	return true
}

// faultWalk reads a fault's YAML. Problems go to add. With value set (the
// scenario checker), each setting is judged there and nothing is decoded;
// without, the settings are decoded.
type faultWalk struct {
	add   func(at *yaml.Node, path string, sentinel error, msg string)
	value func(n *yaml.Node, t reflect.Type, path string)
	pos   func(path string, n *yaml.Node)
}

func (w faultWalk) setPos(path string, n *yaml.Node) {
	if w.pos != nil {
		w.pos(path, n)
	}
}

// walk reads {node: N, <family>: {...}}.
func (w faultWalk) walk(n *yaml.Node, path string) Fault {
	var f Fault
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		w.add(n, path, ErrInvalid, "must be a mapping {node, "+strings.Join(faults.FamilyNames(), " | ")+"} (got "+strictyaml.Describe(n)+")")
		return f
	}
	known := append([]string{"node"}, faults.FamilyNames()...)
	seen := map[string]bool{}
	var fams []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], deref(n.Content[i+1])
		kp := strictyaml.Join(path, key.Value)
		switch {
		case seen[key.Value]:
			w.add(key, kp, ErrInvalid, "set twice")
			continue
		case !slices.Contains(known, key.Value):
			w.add(key, kp, strictyaml.ErrUnknownField, "unknown field"+hint(key.Value, known))
			continue
		}
		seen[key.Value] = true
		w.setPos(kp, key)
		if key.Value == "node" {
			if val.Kind != yaml.ScalarNode {
				w.add(val, kp, ErrInvalid, "must be a node name (got "+strictyaml.Describe(val)+")")
				continue
			}
			w.setPos(kp, val)
			f.Node = val.Value
			continue
		}
		fams = append(fams, key.Value)
		if len(fams) == 1 {
			f.Settings = w.settings(faults.Family(key.Value), val, kp)
		}
	}
	if len(fams) != 1 {
		w.add(n, path, ErrInvalid, fmt.Sprintf("exactly one of %s must be set (got %d)", strings.Join(faults.FamilyNames(), ", "), len(fams)))
		return Fault{Node: f.Node}
	}
	return f
}

// settings reads one family's mapping: the kind, then its settings.
func (w faultWalk) settings(fam faults.Family, n *yaml.Node, path string) faults.Settings {
	def, _ := fam.Def()
	if n.Kind != yaml.MappingNode {
		w.add(n, path, ErrInvalid, "must be a mapping (got "+strictyaml.Describe(n)+")")
		return nil
	}
	name, rest := def.Default, &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column}
	var at *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if def.Key != "" && n.Content[i].Value == def.Key {
			at = deref(n.Content[i+1])
			continue
		}
		rest.Content = append(rest.Content, n.Content[i], n.Content[i+1])
	}
	kp := strictyaml.Join(path, def.Key)
	names := faults.Names(fam)
	switch {
	case at != nil && at.Kind != yaml.ScalarNode:
		w.add(at, kp, ErrInvalid, "must be one of "+strings.Join(names, ", ")+" (got "+strictyaml.Describe(at)+")")
		return nil
	case at != nil:
		w.setPos(kp, at)
		name = at.Value
	case name == "":
		w.add(n, kp, ErrRequired, "required: one of "+strings.Join(names, ", "))
		return nil
	}
	k, ok := faults.Find(fam, name)
	if !ok {
		w.add(at, kp, ErrInvalid, oneOf(name, names))
		return nil
	}
	return w.kindSettings(k, def, rest, path)
}

// kindSettings reads the settings of kind k from n (the family's mapping
// without the kind's key).
func (w faultWalk) kindSettings(k faults.Kind, def faults.FamilyDef, n *yaml.Node, path string) faults.Settings {
	fields := strictyaml.Fields(k.SettingsType(), nil)
	keys := make([]string, 0, len(fields))
	for key := range fields {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	which := string(k.Family) + " " + k.Name
	if def.Key != "" {
		which = def.Key + " " + k.Name
	}
	ok := true
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		kp := strictyaml.Join(path, key.Value)
		f, known := fields[key.Value]
		switch {
		case seen[key.Value]:
			w.add(key, kp, ErrInvalid, "set twice")
			ok = false
		case !known && len(keys) == 0:
			w.add(key, kp, strictyaml.ErrUnknownField, fmt.Sprintf("unknown field: %s takes no settings", which))
			ok = false
		case !known:
			w.add(key, kp, strictyaml.ErrUnknownField, fmt.Sprintf("unknown field of %s%s", which, hint(key.Value, keys)))
			ok = false
		default:
			w.setPos(kp, key)
			if w.value != nil {
				w.value(val, f.Type, kp)
			}
		}
		seen[key.Value] = true
	}
	if w.value != nil || !ok {
		return settingsValue(k.New())
	}
	s := k.New()
	if err := n.Decode(s); err != nil {
		w.add(n, path, ErrInvalid, strings.TrimPrefix(err.Error(), "yaml: "))
		return nil
	}
	return settingsValue(s)
}

// settingsValue is the value a New pointer points at: a Fault holds
// settings by value (faults.Kill{}, not &faults.Kill{}).
func settingsValue(s faults.Settings) faults.Settings {
	v := reflect.ValueOf(s)
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		if e, ok := v.Elem().Interface().(faults.Settings); ok {
			return e
		}
	}
	return s
}

// deref is the node an alias stands for.
func deref(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// hint is "(did you mean ...)" or "; known: a, b".
func hint(got string, known []string) string {
	if h := didYouMean(got, known); h != "" {
		return h
	}
	return "; known: " + strings.Join(known, ", ")
}
