package faults

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestKindsAreWhole: every registered kind has a doc, settings of its own
// whose zero value New returns, and a space that draws only keys its
// settings have; each family the table knows has kinds.
func TestKindsAreWhole(t *testing.T) {
	for _, k := range Kinds() {
		s := k.New()
		if reflect.TypeOf(s).Kind() != reflect.Pointer {
			t.Errorf("%s: New returns %T, want a pointer to decode into", k.ID(), s)
		}
		if got, ok := KindOf(s); !ok || got.ID() != k.ID() {
			t.Errorf("%s: KindOf(New()) = %s, %t", k.ID(), got.ID(), ok)
		}
		if k.Doc == "" {
			t.Errorf("%s: no doc", k.ID())
		}
		keys := yamlKeys(k.SettingsType())
		for _, p := range k.Space.Params {
			if !slices.Contains(keys, p.Key) {
				t.Errorf("%s: space draws %q, not a setting (settings: %s)", k.ID(), p.Key, strings.Join(keys, ", "))
			}
		}
	}
	for _, f := range Families {
		if len(Names(f.Family)) == 0 {
			t.Errorf("family %s has no kinds", f.Family)
		}
		if f.Default != "" {
			if _, ok := Find(f.Family, f.Default); !ok {
				t.Errorf("family %s: default kind %q is not registered", f.Family, f.Default)
			}
		}
	}
}

func yamlKeys(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if strings.Contains(opts, "inline") {
			out = append(out, yamlKeys(f.Type)...)
			continue
		}
		out = append(out, name)
	}
	return out
}

// The settings of a kind are the kind: a value or a pointer finds it.
func TestKindOf(t *testing.T) {
	for _, s := range []Settings{Kill{}, &Kill{}, HTTPStatus{Status: 500}, &CertSwap{}} {
		if _, ok := KindOf(s); !ok {
			t.Errorf("KindOf(%T): not found", s)
		}
	}
	if k, _ := KindOf(&Latency{}); k.ID() != "network.latency" {
		t.Errorf("KindOf(Latency): got %s, want network.latency", k.ID())
	}
}
