package main

import (
	"net/http"

	"github.com/failover-lab/failover-lab/proxy"
)

// newMetrics is replaced by the Prometheus registry in proxy/metrics.
func newMetrics(*proxy.Server) http.Handler { return nil }
