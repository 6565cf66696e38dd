package products

import (
	"fmt"
	"github.com/failover-lab/failover-lab/labs/vocab"

	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// proxyConfig is the failover-proxy configuration of a topology: one pool
// (vocab.PoolName) on every path, its members the nodes in topology order,
// reached at memberURL (their Toxiproxy link). The result has the proxy's
// defaults applied and is validated, so a bad pool fails before anything
// starts.
func proxyConfig(t vocab.Topology, listen, admin, token string, memberURL func(vocab.Node) string) ([]byte, error) {
	pool := t.Proxy.Pool
	pool.Members = make([]config.Member, 0, len(t.Nodes))
	for _, n := range t.Nodes {
		tier := config.Primary
		if n.Role == vocab.RoleStandby {
			tier = config.Standby
		}
		pool.Members = append(pool.Members, config.Member{Name: n.Name, URL: memberURL(n), Tier: tier, Weight: n.Weight})
	}
	cfg := config.Default()
	cfg.Listen = []string{listen}
	cfg.Admin = config.Admin{Listen: admin, Token: token}
	cfg.Pools = map[string]*config.Pool{vocab.PoolName: &pool}
	cfg.Routes = []config.Route{{Path: "/", Pool: vocab.PoolName}}
	cfg.ApplyDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("proxy config: %w", err)
	}
	b, err := yaml.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("proxy config: %w", err)
	}
	return b, nil
}
