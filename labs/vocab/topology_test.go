package vocab_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/vocab"
)

func seedTopology() vocab.Topology {
	return vocab.Topology{
		Name: "seed",
		Nodes: []vocab.Node{
			{Name: "service", Fixture: vocab.FixtureApp, Role: vocab.RolePrimary},
			{Name: "failover", Fixture: vocab.FixtureErrorPage, Role: vocab.RoleStandby, Args: []string{"-status", "200"}},
		},
	}
}

func TestTopologyValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*vocab.Topology)
		want   string
	}{
		{"valid", func(*vocab.Topology) {}, ""},
		{"bad name", func(t *vocab.Topology) { t.Name = "Seed Lab" }, `name: must be lowercase letters, digits and '-', at most 32 (got "Seed Lab")`},
		{"bad kind", func(t *vocab.Topology) { t.Proxy.Kind = "lighttpd" }, `proxy.kind: must be one of apache, builtin, haproxy, nginx (got "lighttpd")`},
		{"no nodes", func(t *vocab.Topology) { t.Nodes = nil }, "nodes: at least one node is needed"},
		{"bad fixture", func(t *vocab.Topology) { t.Nodes[1].Fixture = "perl" }, `nodes[1].fixture: must be one of app, errorpage, php (got "perl")`},
		{"fixture and image", func(t *vocab.Topology) { t.Nodes[1].Image = "httpd:2.4" }, `nodes[1].image: a node runs a fixture or an image, not both`},
		{"neither fixture nor image", func(t *vocab.Topology) { t.Nodes[1].Fixture = "" }, `nodes[1].fixture: required: a fixture (app, errorpage, php) or an image`},
		{"image with args", func(t *vocab.Topology) { t.Nodes[1].Fixture, t.Nodes[1].Image = "", "httpd:2.4" }, `nodes[1].args: flags of a fixture binary; an image node takes command`},
		{"port on a fixture", func(t *vocab.Topology) { t.Nodes[0].Port = 80 }, `nodes[0].port: only for a node given by image (this one runs fixture app)`},
		{"own config on builtin", func(t *vocab.Topology) { t.Proxy.Config = "nginx.conf" }, `proxy.config: your own config file needs proxy kind apache, nginx or haproxy, or a proxy given by image or command (got builtin)`},
		{"bad role", func(t *vocab.Topology) { t.Nodes[0].Role = "backup" }, `nodes[0].role: must be one of primary, standby (got "backup")`},
		{"reserved", func(t *vocab.Topology) { t.Nodes[0].Name = "toxiproxy" }, `nodes[0].name: "toxiproxy" is reserved`},
		{"duplicate", func(t *vocab.Topology) { t.Nodes[1].Name = "service" }, `nodes[1].name: duplicate "service" (also nodes[0])`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top := seedTopology()
			tt.change(&top)
			err := top.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, vocab.ErrInvalid) {
				t.Fatalf("got %v, want an vocab.ErrInvalid containing %q", err, tt.want)
			}
		})
	}
}
