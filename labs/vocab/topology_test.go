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

// cmdNode makes nodes[1] a node given by command.
func cmdNode(t *vocab.Topology, command ...string) {
	t.Nodes[1].Fixture, t.Nodes[1].Args, t.Nodes[1].Command = "", nil, command
}

func TestCommandLine(t *testing.T) {
	n := vocab.Node{Name: "service", Image: "own:test", Port: 8080, Command: []string{"../bin/service", "-listen", "127.0.0.1:{{ port }}"}}
	if got := n.ContainerCommand(); strings.Join(got, " ") != "../bin/service -listen 127.0.0.1:8080" {
		t.Errorf("container command: got %q, want the port 8080", got)
	}
	n.Program = "/src/failover/../bin/service"
	prog, args, err := n.CommandLine(40123)
	if err != nil || prog != n.Program || strings.Join(args, " ") != "-listen 127.0.0.1:40123" {
		t.Errorf("got %q %q %v, want the resolved program and port 40123", prog, args, err)
	}
	if n.RunsCommand() {
		t.Error("RunsCommand: true for an image node whose program is not on this machine")
	}
	n.Program = "/bin/sh" // on this machine, and the command says {{ port }}
	if !n.RunsCommand() {
		t.Error("RunsCommand: false for an image node whose program is on this machine")
	}
	n.Command = []string{"apache2", "-DFOREGROUND"}
	n.Program = "/bin/sh"
	if n.RunsCommand() {
		t.Error("RunsCommand: true for a command that never says {{ port }}")
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
		{"neither fixture nor image", func(t *vocab.Topology) { t.Nodes[1].Fixture = "" }, `nodes[1].fixture: required: a fixture (app, errorpage, php), an image or a command`},
		{"command node", func(t *vocab.Topology) { cmdNode(t, "./service", "-listen", "127.0.0.1:{{ port }}") }, ""},
		{"command without port", func(t *vocab.Topology) { cmdNode(t, "./service") }, `nodes[1].command: never says {{ port }}`},
		{"command with a bad template", func(t *vocab.Topology) { cmdNode(t, "./service", ":{{ prot }}") }, `nodes[1].command[1]: 1: function "prot" not defined (got ":{{ prot }}"; the one function is port)`},
		{"command with port", func(t *vocab.Topology) { cmdNode(t, "./service", ":{{ port }}"); t.Nodes[1].Port = 8080 }, `nodes[1].port: a command node serves on the free port the lab picks`},
		{"empty command", func(t *vocab.Topology) { t.Nodes[1].Fixture, t.Nodes[1].Args, t.Nodes[1].Command = "", nil, []string{} }, `nodes[1].command: needs a program`},
		{"image with args", func(t *vocab.Topology) { t.Nodes[1].Fixture, t.Nodes[1].Image = "", "httpd:2.4" }, `nodes[1].args: flags of a fixture binary; an image node takes command`},
		{"port on a fixture", func(t *vocab.Topology) { t.Nodes[0].Port = 80 }, `nodes[0].port: only for a node given by image or command (this one runs fixture app)`},
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
