package runner

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// senderOf is where run's load, warm-up and probes go from: beside its
// topology when the run offers it (labs.LoadBeside), else this machine.
func senderOf(run labs.Run) labs.Sender {
	if b, ok := run.(labs.LoadBeside); ok {
		if s := b.Beside(); s != nil {
			return s
		}
	}
	h := here{run: run}
	if e, ok := run.(labs.OnEngine); ok {
		h.reach.Engine = e.EngineAddress()
	}
	return h
}

// here sends from this machine, to the proxy's URL: loopback, or the
// Docker engine's published port.
type here struct {
	run   labs.Run
	reach load.Reach
}

func (h here) Load(ctx context.Context, spec load.Spec, rec load.Recorder) error {
	spec.Reach = h.reach
	return load.Run(ctx, spec, rec)
}

func (h here) Get(ctx context.Context, path string) (time.Time, ledger.ProbeAnswer) {
	at := time.Now()
	return at, load.Probe(ctx, h.reach.ProbeClient(h.run.ClientTLS()), h.run.ProxyURL()+path)
}

// Where: the timings include the way to the proxy's port.
func (h here) Where() string {
	from := "this machine, to " + h.run.ProxyURL()
	if ip := net.ParseIP(h.reach.Engine); h.reach.Engine != "" && (ip == nil || !ip.IsLoopback()) {
		from += " (across the network to the Docker engine's published port)"
	}
	return from
}

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
