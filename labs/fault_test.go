package labs

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/fixtures/app"
)

func TestFaultValidate(t *testing.T) {
	tests := []struct {
		name  string
		fault Fault
		want  string // substring of the error; "" = valid
	}{
		{"http status", Fault{Node: "service", HTTP: &app.Fault{Kind: app.KindStatus, Status: 500}}, ""},
		{"kill default signal", Fault{Node: "service", Container: &ContainerFault{Action: "kill"}}, ""},
		{"kill SIGTERM", Fault{Node: "service", Container: &ContainerFault{Action: "kill", Signal: "SIGTERM"}}, ""},
		{"latency", Fault{Node: "service", Network: &NetworkFault{Toxic: "latency", Latency: 200 * time.Millisecond, Jitter: 50 * time.Millisecond}}, ""},
		{"down", Fault{Node: "service", Network: &NetworkFault{Toxic: "down"}}, ""},
		{"no node", Fault{Container: &ContainerFault{Action: "stop"}}, "node: required"},
		{"none set", Fault{Node: "service"}, "exactly one of http, container, network must be set (got 0)"},
		{"two set", Fault{Node: "service", Container: &ContainerFault{Action: "stop"}, Network: &NetworkFault{Toxic: "down"}}, "(got 2)"},
		{"bad action", Fault{Node: "service", Container: &ContainerFault{Action: "freeze"}}, `container.action: must be one of stop, kill, pause, restart, disconnect (got "freeze")`},
		{"bad signal", Fault{Node: "service", Container: &ContainerFault{Action: "kill", Signal: "SIGFOO"}}, `container.signal: unknown signal "SIGFOO"`},
		{"signal without kill", Fault{Node: "service", Container: &ContainerFault{Action: "stop", Signal: "SIGKILL"}}, "container.signal: only for action kill"},
		{"bad toxic", Fault{Node: "service", Network: &NetworkFault{Toxic: "loss"}}, `network.toxic: must be one of latency, bandwidth, reset_peer, timeout, down (got "loss")`},
		{"latency zero", Fault{Node: "service", Network: &NetworkFault{Toxic: "latency"}}, "network.latency: must be > 0 (got 0s)"},
		{"bandwidth zero", Fault{Node: "service", Network: &NetworkFault{Toxic: "bandwidth"}}, "network.rate: must be > 0 KB/s (got 0)"},
		{"http invalid", Fault{Node: "service", HTTP: &app.Fault{Kind: app.KindStatus, Status: 42}}, "http.status: must be 100-599 (got 42)"},
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
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("got %v, want it to wrap ErrInvalid", err)
			}
		})
	}
}

// A scenario embeds Fault in its YAML with strict decoding.
func TestFaultYAML(t *testing.T) {
	src := `
node: service
network: {toxic: latency, latency: 200ms, jitter: 50ms}
`
	var f Fault
	dec := yaml.NewDecoder(strings.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		t.Fatal(err)
	}
	want := NetworkFault{Toxic: "latency", Latency: 200 * time.Millisecond, Jitter: 50 * time.Millisecond}
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

func TestParseSignal(t *testing.T) {
	for _, s := range []string{"SIGTERM", "TERM", "term"} {
		sig, err := parseSignal(s)
		if err != nil || sig.String() != "terminated" {
			t.Errorf("parseSignal(%q) = %v, %v; want SIGTERM", s, sig, err)
		}
	}
	name, _ := (ContainerFault{Action: "kill", Signal: "term"}).signal()
	if name != "SIGTERM" {
		t.Errorf("got %s, want SIGTERM", name)
	}
}
