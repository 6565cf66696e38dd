package products

import (
	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/proxy/config"
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

// The proxy must read the generated config back unchanged (docs/contracts.md).
func TestProxyConfigRoundTrip(t *testing.T) {
	top := seedTopology()
	top.Proxy.Pool = config.Pool{Health: config.Health{Interval: 500_000_000}}
	b, err := proxyConfig(top, "127.0.0.1:8080", "127.0.0.1:9901", "", func(n vocab.Node) string { return "http://" + n.Name + ":8080" }, TLSFiles{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(strings.NewReader(string(b)), "proxy.yaml")
	if err != nil {
		t.Fatalf("parse generated config: %v\n%s", err, b)
	}
	p := cfg.Pools[vocab.PoolName]
	if p == nil || len(p.Members) != 2 {
		t.Fatalf("got pools %v, want pool %s with 2 members", cfg.Pools, vocab.PoolName)
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

// With proxy.https and an HTTPS node, the listener serves the run's pair
// and the pool trusts the run's CA; the proxy's own validation reads the
// files, so they must exist.
func TestProxyConfigTLS(t *testing.T) {
	dir := t.TempDir()
	run, err := labs.NewRunTLS(dir)
	if err != nil {
		t.Fatal(err)
	}
	crt, key, err := run.Issue("proxy")
	if err != nil {
		t.Fatal(err)
	}
	top := seedTopology()
	top.Proxy.HTTPS = true
	top.Nodes[0].HTTPS = true
	b, err := proxyConfig(top, "127.0.0.1:8443", "127.0.0.1:9901", "", func(n vocab.Node) string { return "https://127.0.0.1:1" }, TLSFiles{CA: run.CAFile, Cert: crt, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(strings.NewReader(string(b)), "proxy.yaml")
	if err != nil {
		t.Fatalf("parse generated config: %v\n%s", err, b)
	}
	ls := cfg.TrafficListeners()
	if len(ls) != 1 || ls[0].Addr != "127.0.0.1:8443" || ls[0].TLS == nil || ls[0].TLS.Certificates[0].Cert != crt {
		t.Errorf("listeners: got %+v, want one TLS listener on 127.0.0.1:8443 with %s", ls, crt)
	}
	if p := cfg.Pools[vocab.PoolName]; p.TLS == nil || p.TLS.CA != run.CAFile {
		t.Errorf("pool tls: got %+v, want ca %s", p.TLS, run.CAFile)
	}
}

// The docker driver makes no certificates: it refuses TLS, naming the field.
func TestDockerRefusesTLS(t *testing.T) {
	top := seedTopology()
	top.Nodes[1].HTTPS = true
	err := CheckDocker(top)
	want := "nodes.failover.https: runs only with the process driver (LAB_DRIVER=process)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want an error containing %q", err, want)
	}
}
