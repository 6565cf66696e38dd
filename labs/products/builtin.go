package products

import (
	"fmt"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// proxyConfig is the failover-proxy configuration of a topology: one pool
// (vocab.PoolName) on every path, its members the nodes in topology order,
// reached at memberURL (their Toxiproxy link). The result has the proxy's
// defaults applied and is validated, so a bad pool fails before anything
// starts. With proxy.https the listener serves files' pair (HTTP/2 and
// HTTP/1.1, the default protocols with TLS); with an HTTPS node the pool
// trusts files' CA.
func proxyConfig(t vocab.Topology, listen, admin, token string, memberURL func(vocab.Node) string, files TLSFiles) ([]byte, error) {
	var cfg config.Config
	if err := poolConfig(t, memberURL, &cfg); err != nil {
		return nil, err
	}
	cfg.Listen = []string{listen}
	if t.Proxy.HTTPS {
		cfg.Listen = nil
		cfg.Listeners = []config.Listener{{Addr: listen, TLS: &config.ListenerTLS{
			Certificates: []config.CertFiles{{Cert: files.Cert, Key: files.Key}},
		}}}
	}
	if slices.ContainsFunc(t.Nodes, func(n vocab.Node) bool { return n.HTTPS }) {
		cfg.Pools[vocab.PoolName].TLS = &config.UpstreamTLS{CA: files.CA}
	}
	cfg.Admin = config.Admin{Listen: admin, Token: token}
	cfg.Routes = []config.Route{{Path: "/", Pool: vocab.PoolName}}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("proxy config: %w", err)
	}
	b, err := yaml.Marshal(&cfg)
	if err != nil {
		return nil, fmt.Errorf("proxy config: %w", err)
	}
	return b, nil
}
