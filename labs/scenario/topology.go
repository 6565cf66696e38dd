package scenario

import (
	"net/http"

	"github.com/failover-lab/failover-lab/fixtures/app"
	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/load"
)

// Topology is what the lab runtime starts for s.
func (s *Scenario) Topology() labs.Topology {
	t := labs.Topology{Name: s.Name, Proxy: labs.ProxySpec{Kind: s.Proxy.Kind, Pool: s.Proxy.Pool}}
	for _, n := range s.Nodes {
		t.Nodes = append(t.Nodes, labs.Node{Name: n.Name, Fixture: n.Fixture, Role: n.Role, Weight: n.Weight, Args: n.Args})
	}
	return t
}

// LabFault is the runtime's form of the fault of the event named name.
func (f Fault) LabFault(name string) labs.Fault {
	out := labs.Fault{Name: name, Node: f.Node}
	if h := f.HTTP; h != nil {
		out.HTTP = &app.Fault{
			ID: name, Kind: app.Kind(h.Kind), Status: h.Status, Count: h.Count, For: app.Duration(h.For),
			Probability: h.Probability, Latency: app.Duration(h.Latency), Jitter: app.Duration(h.Jitter),
			When: h.When, Code: h.Code, Health: h.Health, Path: h.Path, Method: h.Method,
		}
	}
	if c := f.Container; c != nil {
		out.Container = &labs.ContainerFault{Action: c.Action, Signal: c.Signal}
	}
	if n := f.Network; n != nil {
		out.Network = &labs.NetworkFault{Toxic: n.Toxic, Latency: n.Latency, Jitter: n.Jitter, Rate: n.Rate, Timeout: n.Timeout}
	}
	return out
}

// LoadSpec is the load of s aimed at the proxy at target, for the run's
// whole length.
func (s *Scenario) LoadSpec(target string) load.Spec { return s.loadSpec(target, s.Load) }

func (s *Scenario) loadSpec(target string, l Load) load.Spec {
	spec := load.Spec{
		Target: target, Path: l.Path, Method: l.Method, IdempotencyKey: l.IdempotencyKey,
		Rate: int(l.Rate), Duration: s.EndAt(), Timeout: l.Timeout, FreshConns: l.FreshConns,
		Malformed: l.Malformed,
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
