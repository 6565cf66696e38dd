package runner

import (
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

const file = `name: x
about: the runner's own conversions
nodes:
  service: {fixture: app}
load: {rate: 20/s, method: POST, path: /pay, body: "{}", headers: {X-Test: "1"}, idempotency_key: true, timeout: 2s}
streams:
  - {name: abuse, rate: 2/s, method: POST, path: /upload, malformed: chunked}
timeline:
  - {at: 1s, name: broken, fault: {node: service, http: {status: 500}}}
  - {at: 2s, clear: broken}
  - {at: 3s, name: look, probe: /}
  - {at: 4s, end: true}
expect:
  - client_errors: 0
`

func TestLoadSpecs(t *testing.T) {
	s, err := scenario.Parse("x.yaml", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	specs := loadSpecs(s, "http://127.0.0.1:1", nil)
	if len(specs) != 2 {
		t.Fatalf("got %d load specs, want 2 (the load and one stream)", len(specs))
	}
	if abuse := specs[1]; abuse.Stream != "abuse" || abuse.Rate != 2 || abuse.Malformed != "chunked" ||
		abuse.Path != "/upload" || abuse.Duration != 4*time.Second {
		t.Errorf("stream: got %+v, want abuse at 2/s with a chunked broken body for the run's 4s", abuse)
	}
	spec := specs[0]
	if spec.Stream != "" || spec.Target != "http://127.0.0.1:1" || spec.Rate != 20 || spec.Duration != 4*time.Second ||
		spec.Method != "POST" || spec.Path != "/pay" || string(spec.Body) != "{}" ||
		spec.Header.Get("X-Test") != "1" || !spec.IdempotencyKey || spec.Timeout != 2*time.Second {
		t.Errorf("got %+v, want the scenario's load aimed at the target for the run's 4s", spec)
	}
}

func TestDescribe(t *testing.T) {
	s, err := scenario.Parse("x.yaml", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"service: http status 500", "clear broken", "probe GET /", "end"}
	for i, e := range s.Timeline {
		if got := describe(e); got != want[i] {
			t.Errorf("event %d: got %q, want %q", i, got, want[i])
		}
	}
	if f := s.Timeline[0].NamedFault(); f.Name != "broken" || s.Timeline[0].Fault.Name != "" {
		t.Errorf("NamedFault: got %+v, want named after the event without changing the scenario", f)
	}
}

type fakeRun struct {
	labs.Run
	url string
}

func (f fakeRun) ProxyURL() string { return f.url }

type fakeEngineRun struct {
	fakeRun
	engine string
}

func (f fakeEngineRun) EngineAddress() string { return f.engine }

// The report says where the load ran: across a network to a remote
// engine's port, the timings include that way.
func TestLoadFrom(t *testing.T) {
	tests := []struct {
		run  labs.Run
		want string
	}{
		{fakeRun{url: "http://127.0.0.1:8080"}, "this machine, to http://127.0.0.1:8080"},
		{fakeEngineRun{fakeRun{url: "http://127.0.0.1:32768"}, "127.0.0.1"}, "this machine, to http://127.0.0.1:32768"},
		{fakeEngineRun{fakeRun{url: "http://10.1.2.2:32768"}, "10.1.2.2"}, "this machine, to http://10.1.2.2:32768 (across the network to the Docker engine's published port)"},
		{fakeEngineRun{fakeRun{url: "http://docker:32768"}, "docker"}, "this machine, to http://docker:32768 (across the network to the Docker engine's published port)"},
	}
	for _, tt := range tests {
		if got := senderOf(tt.run).Where(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

type besideRun struct {
	fakeEngineRun
	beside labs.Sender
}

func (b besideRun) Beside() labs.Sender { return b.beside }

type fakeSender struct{ labs.Sender }

func (fakeSender) Where() string { return "the run's network" }

// A run that sends from beside its topology gets its own sender for the
// load, the warm-up and the probes; one that does not (Beside nil) sends
// from this machine, its reach the engine's address.
func TestSenderOf(t *testing.T) {
	onEngine := fakeEngineRun{fakeRun{url: "http://10.1.2.2:32768"}, "10.1.2.2"}
	if got := senderOf(besideRun{onEngine, fakeSender{}}).Where(); got != "the run's network" {
		t.Errorf("beside: got %q, want the run's own sender", got)
	}
	h, ok := senderOf(besideRun{onEngine, nil}).(here)
	if !ok || h.reach.Engine != "10.1.2.2" || len(h.reach.Network) != 0 {
		t.Errorf("not beside: got %#v, want this machine, reaching the engine only", h)
	}
}
