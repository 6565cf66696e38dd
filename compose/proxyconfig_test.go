package compose

import (
	"slices"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// TestProxyConfigIsTheSeeds checks compose/proxy.yaml without Docker: it is
// valid for failover-proxy and says what the seed said.
func TestProxyConfigIsTheSeeds(t *testing.T) {
	c, err := config.Load("proxy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := c.Pools["web"]
	if p == nil || len(p.Members) != 2 {
		t.Fatalf("got pools %v, want pool web with service and failover", c.PoolNames())
	}
	if m := p.Members[0]; m.Name != "service" || m.URL != "http://service:8080" || m.Tier != 0 {
		t.Errorf("first member: got %+v, want service as primary", m)
	}
	if m := p.Members[1]; m.Name != "failover" || m.URL != "http://failover:8080" || m.Tier != 1 {
		t.Errorf("second member: got %+v, want failover as standby", m)
	}
	if p.Health.Interval != 5*time.Second {
		t.Errorf("health interval: got %v, want 5s", p.Health.Interval)
	}
	if !slices.Equal(p.Passive.Statuses, []int{500, 502}) {
		t.Errorf("passive statuses: got %v, want [500 502]", p.Passive.Statuses)
	}
	if c.Admin.Listen != "0.0.0.0:9901" || c.Admin.Token == "" {
		t.Errorf("admin: got %+v, want 0.0.0.0:9901 with a token", c.Admin)
	}
}
