package cli

import (
	"net"
	"net/http"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/admin"
	"github.com/failover-lab/failover-lab/proxy/config"
)

// adminOptions: the token is read from the config in use on each request,
// so a reload that rotates it takes effect at once; the admin answers to
// its configured listen name besides IP literals and localhost.
func adminOptions(srv *proxy.Server, cfg *config.Config, reload func() error, metrics http.Handler) admin.Options {
	o := admin.Options{
		Token:   func() string { return srv.Config().Admin.Token },
		Reload:  reload,
		Metrics: metrics,
	}
	if host, _, err := net.SplitHostPort(cfg.Admin.Listen); err == nil && host != "" && net.ParseIP(host) == nil {
		o.Hosts = []string{host}
	}
	return o
}
