package labs

import (
	"errors"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/proxy/config"
)

func seedTopology() Topology {
	return Topology{
		Name: "seed",
		Nodes: []Node{
			{Name: "service", Fixture: FixtureApp, Role: RolePrimary},
			{Name: "failover", Fixture: FixtureErrorPage, Role: RoleStandby, Args: []string{"-status", "200"}},
		},
	}
}

func TestTopologyValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Topology)
		want   string
	}{
		{"valid", func(*Topology) {}, ""},
		{"bad name", func(t *Topology) { t.Name = "Seed Lab" }, `name: must be lowercase letters, digits and '-', at most 32 (got "Seed Lab")`},
		{"bad kind", func(t *Topology) { t.Proxy.Kind = "lighttpd" }, `proxy.kind: must be one of apache, builtin, haproxy, nginx (got "lighttpd")`},
		{"no nodes", func(t *Topology) { t.Nodes = nil }, "nodes: at least one node is needed"},
		{"bad fixture", func(t *Topology) { t.Nodes[1].Fixture = "php" }, `nodes[1].fixture: must be one of app, errorpage (got "php")`},
		{"bad role", func(t *Topology) { t.Nodes[0].Role = "backup" }, `nodes[0].role: must be one of primary, standby (got "backup")`},
		{"reserved", func(t *Topology) { t.Nodes[0].Name = "toxiproxy" }, `nodes[0].name: "toxiproxy" is reserved`},
		{"duplicate", func(t *Topology) { t.Nodes[1].Name = "service" }, `nodes[1].name: duplicate "service"`},
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
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want an ErrInvalid containing %q", err, tt.want)
			}
		})
	}
}

// The proxy must read the generated config back unchanged (docs/contracts.md).
func TestProxyConfigRoundTrip(t *testing.T) {
	top := seedTopology()
	top.Proxy.Pool = config.Pool{Health: config.Health{Interval: 500_000_000}}
	b, err := proxyConfig(top, "127.0.0.1:8080", "127.0.0.1:9901", "", func(n Node) string { return "http://" + n.Name + ":8080" })
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(strings.NewReader(string(b)), "proxy.yaml")
	if err != nil {
		t.Fatalf("parse generated config: %v\n%s", err, b)
	}
	p := cfg.Pools[PoolName]
	if p == nil || len(p.Members) != 2 {
		t.Fatalf("got pools %v, want pool %s with 2 members", cfg.Pools, PoolName)
	}
	want := []config.Member{
		{Name: "service", URL: "http://service:8080", Tier: config.Primary, Weight: 1},
		{Name: "failover", URL: "http://failover:8080", Tier: config.Standby, Weight: 1},
	}
	for i, m := range p.Members {
		if m != want[i] {
			t.Errorf("member %d: got %+v, want %+v", i, m, want[i])
		}
	}
	if p.Health.Interval.String() != "500ms" {
		t.Errorf("health.interval: got %s, want 500ms", p.Health.Interval)
	}
	if p.Passive.HoldDown == 0 {
		t.Errorf("passive.hold_down: got 0, want the proxy's default")
	}
}
