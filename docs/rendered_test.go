package docs

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/products"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"github.com/failover-lab/failover-lab/proxy/config"
)

// TestRenderedConfigsMatch keeps docs/other-proxies.md's "The rendered
// configs" equal to what labs/products renders for the topology that
// section describes: the seed, health GET /health every 5 s, traffic on
// 127.0.0.1:8080, admin on 127.0.0.1:9901, members at 127.0.0.1:20000
// (service) and :20001 (failover).
func TestRenderedConfigsMatch(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(root, "docs", "other-proxies.md"))
	if err != nil {
		t.Fatal(err)
	}
	top := vocab.Topology{
		Name:  "seed",
		Proxy: vocab.ProxySpec{Pool: config.Pool{Health: config.Health{Path: "/health", Interval: 5 * time.Second}}},
		Nodes: []vocab.Node{
			{Name: "service", Fixture: vocab.FixtureApp, Role: vocab.RolePrimary},
			{Name: "failover", Fixture: vocab.FixtureErrorPage, Role: vocab.RoleStandby},
		},
	}
	port := map[string]int{"service": 20000, "failover": 20001}
	member := func(n vocab.Node) string { return fmt.Sprintf("http://127.0.0.1:%d", port[n.Name]) }
	for fence, kind := range map[string]vocab.ProxyKind{"apache": vocab.ProxyApache, "nginx": vocab.ProxyNginx, "haproxy": vocab.ProxyHAProxy} {
		m := regexp.MustCompile("(?s)\n```" + fence + "\n(.*?\n)```").FindSubmatch(doc)
		if m == nil {
			t.Errorf("docs/other-proxies.md has no ```%s block", fence)
			continue
		}
		top.Proxy.Kind = kind
		got, err := products.For(kind).Config(top, "127.0.0.1:8080", "127.0.0.1:9901", "", member, products.TLSFiles{})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(m[1]) {
			t.Errorf("docs/other-proxies.md's %s config is not what labs/products renders now; paste this:\n%s", fence, got)
		}
	}
}
