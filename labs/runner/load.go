package runner

import (
	"crypto/tls"
	"net/http"

	"github.com/failover-lab/failover-lab/labs/load"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// loadSpecs are the loads of s aimed at the proxy at target (trusted with
// tc when it is https), for the run's whole length: the scenario's load
// first, then one per stream, its rows tagged with the stream's name.
func loadSpecs(s *scenario.Scenario, target string, tc *tls.Config) []load.Spec {
	specs := []load.Spec{loadSpec(s, target, tc, s.Load)}
	for _, st := range s.Streams {
		spec := loadSpec(s, target, tc, st.Load)
		spec.Stream = st.Name
		specs = append(specs, spec)
	}
	return specs
}

func loadSpec(s *scenario.Scenario, target string, tc *tls.Config, l scenario.Load) load.Spec {
	spec := load.Spec{
		Target: target, TLS: tc, HTTP2: l.HTTP2, Path: l.Path, Method: string(l.Method), IdempotencyKey: l.IdempotencyKey,
		Rate: int(l.Rate), Duration: s.EndAt(), Timeout: l.Timeout, FreshConns: l.FreshConns,
		Malformed: string(l.Malformed),
	}
	if l.Body != "" {
		spec.Body = []byte(l.Body)
	}
	if len(l.Headers) > 0 {
		spec.Header = http.Header{}
		for k, v := range l.Headers {
			spec.Header.Set(k, v)
		}
	}
	return spec
}
