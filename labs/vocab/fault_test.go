package vocab_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

func TestFaultValidate(t *testing.T) {
	tests := []struct {
		name  string
		fault vocab.Fault
		want  string // substring of the error; "" = valid
	}{
		{"http status", vocab.Fault{Node: "service", Settings: faults.HTTPStatus{Status: 500}}, ""},
		{"kill default signal", vocab.Fault{Node: "service", Settings: faults.Kill{}}, ""},
		{"kill SIGTERM", vocab.Fault{Node: "service", Settings: faults.Kill{Signal: "SIGTERM"}}, ""},
		{"latency", vocab.Fault{Node: "service", Settings: faults.Latency{Latency: 200 * time.Millisecond, Jitter: 50 * time.Millisecond}}, ""},
		{"down", vocab.Fault{Node: "service", Settings: faults.Down{}}, ""},
		{"a pointer too", vocab.Fault{Node: "service", Settings: &faults.Down{}}, ""},
		{"no node", vocab.Fault{Settings: faults.Stop{}}, "node: required"},
		{"none set", vocab.Fault{Node: "service"}, "exactly one of http, container, network, tls must be set (got 0)"},
		{"bad signal", vocab.Fault{Node: "service", Settings: faults.Kill{Signal: "SIGFOO"}}, `container.signal: unknown signal "SIGFOO"`},
		{"latency zero", vocab.Fault{Node: "service", Settings: faults.Latency{}}, "network.latency: must be > 0 (got 0s)"},
		{"jitter negative", vocab.Fault{Node: "service", Settings: faults.Latency{Latency: time.Second, Jitter: -time.Second}}, "network.jitter: must be ≥ 0 (got -1s)"},
		{"bandwidth zero", vocab.Fault{Node: "service", Settings: faults.Bandwidth{}}, "network.rate: must be > 0 KB/s (got 0)"},
		{"http invalid", vocab.Fault{Node: "service", Settings: faults.HTTPStatus{Status: 42}}, "http.status: must be 100-599 (got 42)"},
		{"tls expired", vocab.Fault{Node: "service", Settings: faults.CertSwap{Cert: "expired"}}, ""},
		{"tls bad cert", vocab.Fault{Node: "service", Settings: faults.CertSwap{Cert: "stale"}}, `tls.cert: must be one of expired, unknown-ca, wrong-name (got "stale")`},
		{"not a kind", vocab.Fault{Node: "service", Settings: unregistered{}}, "settings of no registered fault kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.fault.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if !errors.Is(err, vocab.ErrInvalid) {
				t.Errorf("got %v, want it to wrap vocab.ErrInvalid", err)
			}
		})
	}
}

type unregistered struct{ faults.Down }

// A scenario's fault decodes into its kind's own settings, strictly.
func TestFaultYAML(t *testing.T) {
	tests := []struct {
		src  string
		want faults.Settings
		err  string // substring; "" = decodes
	}{
		{"{node: service, network: {toxic: latency, latency: 200ms, jitter: 50ms}}", faults.Latency{Latency: 200 * time.Millisecond, Jitter: 50 * time.Millisecond}, ""},
		{"{node: service, http: {status: 500}}", faults.HTTPStatus{Status: 500}, ""},
		{"{node: service, http: {kind: latency, latency: 1s, for: 2s}}", faults.HTTPLatency{Latency: 1e9, HTTPScope: faults.HTTPScope{HTTPLimits: faults.HTTPLimits{For: 2e9}}}, ""},
		{"{node: service, http: {kind: health, health: fail}}", faults.HTTPHealth{Health: "fail"}, ""},
		{"{node: service, tls: {cert: expired}}", faults.CertSwap{Cert: "expired"}, ""},
		{"{node: service, container: {action: kill}}", faults.Kill{}, ""},
		{"{node: service, container: &c {action: kill, signal: TERM}, x: *c}", nil, "x: unknown field"},
		{"{node: service, network: &n {toxic: bandwidth, rate: 5}}", faults.Bandwidth{Rate: 5}, ""},
		{"{node: service, container: {action: kill, sgnal: SIGTERM}}", nil, `container.sgnal: unknown field of action kill (did you mean "signal"?)`},
		{"{node: service, container: {action: pause, signal: SIGTERM}}", nil, "container.signal: unknown field: action pause takes no settings"},
		{"{node: service, network: {toxic: latency, rate: 5}}", nil, "network.rate: unknown field of toxic latency; known: jitter, latency"},
		{"{node: service, network: {toxic: loss}}", nil, `network.toxic: must be one of bandwidth, down, latency, reset_peer, timeout (got "loss")`},
		{"{node: service, http: {kind: health, health: fail, path: /x}}", nil, "http.path: unknown field of kind health"},
		{"{node: service, container: {signal: SIGTERM}}", nil, "container.action: required: one of disconnect, kill"},
		{"{node: service, container: {action: stop}, network: {toxic: down}}", nil, "exactly one of http, container, network, tls must be set (got 2)"},
		{"{node: service}", nil, "(got 0)"},
		{"{node: service, contaner: {action: stop}}", nil, `contaner: unknown field (did you mean "container"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			var f vocab.Fault
			err := yaml.Unmarshal([]byte(tt.src), &f)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %v, want an error containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.Node != "service" || f.Settings != tt.want {
				t.Fatalf("got %#v, want node service and %#v", f, tt.want)
			}
			if err := f.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}
