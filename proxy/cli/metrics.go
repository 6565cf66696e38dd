package cli

import (
	"net/http"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/metrics"
)

// newMetrics attaches the Prometheus metrics to srv (before it serves).
func newMetrics(srv *proxy.Server) http.Handler { return metrics.Attach(srv).Handler() }
