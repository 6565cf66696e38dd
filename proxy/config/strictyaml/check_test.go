package strictyaml_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config/strictyaml"
)

type inner struct {
	Interval time.Duration `yaml:"interval"`
	Secret   string        `yaml:"secret"`
}

type doc struct {
	Name   string   `yaml:"name"`
	Count  int      `yaml:"count"`
	On     bool     `yaml:"on"`
	Ratio  float64  `yaml:"ratio"`
	Tags   []string `yaml:"tags"`
	Health inner    `yaml:"health"`
	Inline inner    `yaml:",inline"`
}

func TestCheck(t *testing.T) {
	hidden := strictyaml.Options{Hidden: map[reflect.Type][]string{reflect.TypeFor[inner](): {"secret"}}}
	tests := []struct {
		name string
		src  string
		opts strictyaml.Options
		want string // first line of the error; "" = none
		is   error
	}{
		{"fits", "name: a\ncount: 3\non: true\nratio: 0.5\ntags: [x]\nhealth: {interval: 2s}\ninterval: 1s\n", strictyaml.Options{}, "", nil},
		{"typo", "helth: {}\n", strictyaml.Options{}, `doc.yaml:1:1: helth: unknown field (did you mean "health"?)`, strictyaml.ErrUnknownField},
		{"far from any", "zzz: 1\n", strictyaml.Options{}, `doc.yaml:1:1: zzz: unknown field; known: count, health, interval, name, on, ratio, secret, tags`, strictyaml.ErrUnknownField},
		{"hidden", "health: {secret: x}\n", hidden, `doc.yaml:1:10: health.secret: unknown field; known: interval`, strictyaml.ErrUnknownField},
		{"duration", "health:\n  interval: 5\n", strictyaml.Options{}, `doc.yaml:2:13: health.interval: must be a duration like "3s" or "1500ms" (got "5")`, strictyaml.ErrInvalid},
		{"int", "count: many\n", strictyaml.Options{}, `doc.yaml:1:8: count: must be a whole number (got "many")`, strictyaml.ErrInvalid},
		{"bool", "on: 1\n", strictyaml.Options{}, `doc.yaml:1:5: on: must be true or false (got "1")`, strictyaml.ErrInvalid},
		{"list", "tags: x\n", strictyaml.Options{}, `doc.yaml:1:7: tags: must be a list (got "x")`, strictyaml.ErrInvalid},
		{"twice", "name: a\nname: b\n", strictyaml.Options{}, `doc.yaml:2:1: name: set twice`, strictyaml.ErrInvalid},
		{"syntax", "name: [\n", strictyaml.Options{}, `doc.yaml:1:1: did not find expected node content`, strictyaml.ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, errs := strictyaml.Parse([]byte(tt.src))
			if errs == nil {
				_, errs = strictyaml.Check(root, reflect.TypeFor[doc](), tt.opts)
			}
			err := errs.Err("doc.yaml")
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("got no error, want %q", tt.want)
			}
			if got := strings.Split(err.Error(), "\n")[0]; got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
		})
	}
}

func TestPositionsOf(t *testing.T) {
	root, _ := strictyaml.Parse([]byte("name: a\nhealth:\n  interval: 2s\n"))
	pos, errs := strictyaml.Check(root, reflect.TypeFor[doc](), strictyaml.Options{})
	if errs != nil {
		t.Fatal(errs)
	}
	tests := []struct {
		path string
		want strictyaml.Pos
	}{
		{"name", strictyaml.Pos{Line: 1, Col: 7}},
		{"health", strictyaml.Pos{Line: 2, Col: 1}},
		{"health.interval", strictyaml.Pos{Line: 3, Col: 13}},
		{"health.timeout", strictyaml.Pos{Line: 2, Col: 1}}, // absent: its parent
	}
	for _, tt := range tests {
		if got := pos.Of(tt.path); got != tt.want {
			t.Errorf("Of(%q): got %v, want %v", tt.path, got, tt.want)
		}
	}
}
