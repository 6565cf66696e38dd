package faults

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Family is where a kind's settings sit in a scenario's fault: its key.
type Family string

// The families.
const (
	FamilyHTTP      Family = "http"
	FamilyContainer Family = "container"
	FamilyNetwork   Family = "network"
	FamilyTLS       Family = "tls"
)

// FamilyDef is one row of Families.
type FamilyDef struct {
	Family Family
	// Key names the kind inside the family's mapping: {action: kill}.
	Key string
	// Default is the kind when Key is left out ("" = Key is required).
	Default string
	// Doc describes the family, for the schema.
	Doc string
}

// Families is the table of families, in the order messages name them.
var Families = []FamilyDef{
	{FamilyHTTP, "kind", "status", "A fault of the app's control API (app nodes; php nodes: status only, on every request)."},
	{FamilyContainer, "action", "", "An action on the node's container, or its process under the process driver."},
	{FamilyNetwork, "toxic", "", "A Toxiproxy toxic on the link between the proxy and the node."},
	{FamilyTLS, "", "cert", "Swap the certificate of a node with https for a bad one; the node reloads it and closes its open connections, as a server reloading its certificate does, so the proxy meets it on its next connection (a certificate is checked only at the handshake)."},
}

// Def is the row of family f.
func (f Family) Def() (FamilyDef, bool) {
	i := slices.IndexFunc(Families, func(d FamilyDef) bool { return d.Family == f })
	if i < 0 {
		return FamilyDef{}, false
	}
	return Families[i], true
}

// FamilyNames lists the families' keys: "http", "container", ...
func FamilyNames() []string {
	out := make([]string, len(Families))
	for i, d := range Families {
		out[i] = string(d.Family)
	}
	return out
}

// Kind is one way to break a node, as its file registers it: where it sits
// in a scenario, its settings, and what `lab explore` may draw.
type Kind struct {
	Family Family
	// Name is the kind's word in a scenario: {action: kill} is "kill".
	Name string
	// Doc is one line for the schema and the docs.
	Doc string
	// New returns zero settings, a pointer to the kind's own struct, for
	// the scenario's fault to decode into. Its type names the kind: no two
	// kinds share a settings type.
	New func() Settings
	// Space is what `lab explore` may draw for the kind (space.go).
	Space Space
}

// ID is the kind's id in `lab explore`: "container.kill".
func (k Kind) ID() string { return string(k.Family) + "." + k.Name }

// SettingsType is the struct type of the kind's settings.
func (k Kind) SettingsType() reflect.Type { return structType(reflect.TypeOf(k.New())) }

var (
	kinds  []Kind                    // sorted by ID
	byType = map[reflect.Type]Kind{} // settings struct type → kind
)

// Register adds a kind, as each kind's file does from its init: a new kind
// is one file, and the vocabulary, the schema and `lab explore` pick it up.
// It panics on a kind it cannot use: an unknown family, no settings, an
// id or a settings type registered twice.
func Register(k Kind) {
	if _, ok := k.Family.Def(); !ok {
		panic(fmt.Sprintf("faults: Register %s: family must be one of %s", k.Name, strings.Join(FamilyNames(), ", ")))
	}
	if k.Name == "" || k.New == nil {
		panic("faults: Register: a kind needs a name and its settings (New)")
	}
	t := k.SettingsType()
	if t.Kind() != reflect.Struct {
		panic("faults: Register " + k.ID() + ": settings must be a struct")
	}
	if _, ok := ByID(k.ID()); ok {
		panic("faults: kind registered twice: " + k.ID())
	}
	if o, ok := byType[t]; ok {
		panic("faults: " + k.ID() + " has the settings type of " + o.ID())
	}
	byType[t] = k
	kinds = append(kinds, k)
	slices.SortFunc(kinds, func(a, b Kind) int { return strings.Compare(a.ID(), b.ID()) })
}

func structType(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// Kinds lists every registered kind, sorted by id ("container.kill",
// "http.status", "network.latency", "tls.cert").
func Kinds() []Kind { return slices.Clone(kinds) }

// ByID finds a kind by id.
func ByID(id string) (Kind, bool) {
	i := slices.IndexFunc(kinds, func(k Kind) bool { return k.ID() == id })
	if i < 0 {
		return Kind{}, false
	}
	return kinds[i], true
}

// Find finds the kind of family f named name.
func Find(f Family, name string) (Kind, bool) { return ByID(string(f) + "." + name) }

// Names lists the names of family f's kinds, sorted.
func Names(f Family) []string {
	var out []string
	for _, k := range kinds {
		if k.Family == f {
			out = append(out, k.Name)
		}
	}
	return out
}

// KindOf is the kind whose settings s is (a pointer or a value).
func KindOf(s Settings) (Kind, bool) {
	if s == nil {
		return Kind{}, false
	}
	k, ok := byType[structType(reflect.TypeOf(s))]
	return k, ok
}
