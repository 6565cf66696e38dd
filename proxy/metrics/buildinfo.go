package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/failover-lab/failover-lab/proxy/buildinfo"
)

// buildInfo is the usual constant-1 info gauge (as prometheus_build_info),
// so dashboards can join on the running version:
//
//	failover_proxy_build_info{goversion="go1.26.0",revision="70680c7…",version="(devel)"} 1
func buildInfo(i buildinfo.Info) prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: ns, Name: "build_info",
		Help:        "Always 1; the labels say which build is running (module version, VCS revision, Go version).",
		ConstLabels: prometheus.Labels{"version": i.Version, "revision": i.CommitOrUnknown(), "goversion": i.GoVersion},
	}, func() float64 { return 1 })
}
