package runner

import (
	"net/http"

	"github.com/failover-lab/failover-lab/labs/load"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// loadSpec is the load of s aimed at the proxy at target, for the run's
// whole length.
func loadSpec(s *scenario.Scenario, target string) load.Spec {
	l := s.Load
	spec := load.Spec{
		Target: target, Path: l.Path, Method: l.Method, IdempotencyKey: l.IdempotencyKey,
		Rate: int(l.Rate), Duration: s.EndAt(), Timeout: l.Timeout, FreshConns: l.FreshConns,
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
