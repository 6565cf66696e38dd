package vocab_test

import (
	"errors"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/fixtures/app"
)

func TestFaultValidate(t *testing.T) {
	tests := []struct {
		name  string
		fault vocab.Fault
		want  string // substring of the error; "" = valid
	}{
		{"http status", vocab.Fault{Node: "service", HTTP: &app.Fault{Kind: app.KindStatus, Status: 500}}, ""},
		{"kill default signal", vocab.Fault{Node: "service", Container: &vocab.ContainerFault{Action: "kill"}}, ""},
		{"kill SIGTERM", vocab.Fault{Node: "service", Container: &vocab.ContainerFault{Action: "kill", Signal: "SIGTERM"}}, ""},
		{"latency", vocab.Fault{Node: "service", Network: &vocab.NetworkFault{Toxic: "latency", Latency: 200 * time.Millisecond, Jitter: 50 * time.Millisecond}}, ""},
		{"down", vocab.Fault{Node: "service", Network: &vocab.NetworkFault{Toxic: "down"}}, ""},
		{"no node", vocab.Fault{Container: &vocab.ContainerFault{Action: "stop"}}, "node: required"},
		{"none set", vocab.Fault{Node: "service"}, "exactly one of http, container, network, tls must be set (got 0)"},
		{"two set", vocab.Fault{Node: "service", Container: &vocab.ContainerFault{Action: "stop"}, Network: &vocab.NetworkFault{Toxic: "down"}}, "(got 2)"},
		{"bad action", vocab.Fault{Node: "service", Container: &vocab.ContainerFault{Action: "freeze"}}, `container.action: must be one of `},
		{"bad action names it", vocab.Fault{Node: "service", Container: &vocab.ContainerFault{Action: "freeze"}}, `(got "freeze")`},
		{"bad signal", vocab.Fault{Node: "service", Container: &vocab.ContainerFault{Action: "kill", Signal: "SIGFOO"}}, `container.signal: unknown signal "SIGFOO"`},
		{"signal without kill", vocab.Fault{Node: "service", Container: &vocab.ContainerFault{Action: "stop", Signal: "SIGKILL"}}, "container.signal: only for action kill"},
		{"bad toxic", vocab.Fault{Node: "service", Network: &vocab.NetworkFault{Toxic: "loss"}}, `network.toxic: must be one of bandwidth, down, latency, reset_peer, timeout (got "loss")`},
		{"latency zero", vocab.Fault{Node: "service", Network: &vocab.NetworkFault{Toxic: "latency"}}, "network.latency: must be > 0 (got 0s)"},
		{"bandwidth zero", vocab.Fault{Node: "service", Network: &vocab.NetworkFault{Toxic: "bandwidth"}}, "network.rate: must be > 0 KB/s (got 0)"},
		{"http invalid", vocab.Fault{Node: "service", HTTP: &app.Fault{Kind: app.KindStatus, Status: 42}}, "http.status: must be 100-599 (got 42)"},
		{"tls expired", vocab.Fault{Node: "service", TLS: &vocab.TLSFault{Cert: "expired"}}, ""},
		{"tls bad cert", vocab.Fault{Node: "service", TLS: &vocab.TLSFault{Cert: "stale"}}, `tls.cert: must be one of expired, unknown-ca, wrong-name (got "stale")`},
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

// A scenario embeds vocab.Fault in its YAML with strict decoding.
func TestFaultYAML(t *testing.T) {
	src := `
node: service
network: {toxic: latency, latency: 200ms, jitter: 50ms}
`
	var f vocab.Fault
	dec := yaml.NewDecoder(strings.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		t.Fatal(err)
	}
	want := vocab.NetworkFault{Toxic: "latency", Latency: 200 * time.Millisecond, Jitter: 50 * time.Millisecond}
	if f.Node != "service" || f.Network == nil || *f.Network != want {
		t.Fatalf("got %+v, want node service and %+v", f, want)
	}
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}

	dec = yaml.NewDecoder(strings.NewReader("node: service\ncontainer: {action: kill, sgnal: SIGTERM}\n"))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err == nil || !strings.Contains(err.Error(), "sgnal") {
		t.Fatalf("got %v, want an error naming the unknown field", err)
	}
}
