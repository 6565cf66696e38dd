package scenario

import (
	"time"

	"github.com/failover-lab/failover-lab/labs/load"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"github.com/failover-lab/failover-lab/proxy/config/strictyaml"
)

// Scenario is one outage scenario file. The doc tags become the JSON
// Schema's descriptions.
type Scenario struct {
	Name     string          `yaml:"name" doc:"The scenario's name; must equal the file name without .yaml."`
	About    string          `yaml:"about" doc:"One line: what happens and what clients should see."`
	Short    bool            `yaml:"short,omitempty" doc:"Part of the fast subset run by go test -short. Default false."`
	Proxy    vocab.ProxySpec `yaml:"proxy,omitempty" doc:"The proxy under test and its pool settings; absent keys take the proxy's defaults."`
	Nodes    Nodes           `yaml:"nodes" doc:"The backends, by name, in order: primaries serve first, standbys when no primary is usable."`
	Load     Load            `yaml:"load" doc:"The open-loop load driven through the proxy for the whole run."`
	Streams  []Stream        `yaml:"streams,omitempty" doc:"More loads run alongside load for the whole run (a trickle of abusive requests, ...); each row is tagged with its stream's name, load's with main."`
	Timeline []Event         `yaml:"timeline" doc:"Events at times from the start of the load; the last one is {at: D, end: true}."`
	Expect   []Expectation   `yaml:"expect" doc:"What must hold; each item checks one thing over a window of the run."`
	Explore  *Explore        `yaml:"explore,omitempty" doc:"Narrows lab explore's search: fault kinds, nodes, events, run length, invariants. lab run ignores it."`

	// File is the path the scenario was read from, as given to Parse.
	File string `yaml:"-"`
	// pos maps a field path ("timeline[1].fault.node") to its place in File.
	pos strictyaml.Positions
}

// Nodes keeps the nodes in the order the file lists them: a mapping of
// name to node in the file.
type Nodes []vocab.Node

// Load is the client side of the run: a fixed rate of requests, whatever
// the answers take (open loop).
type Load struct {
	Rate           Rate              `yaml:"rate" doc:"Requests per second, written like 50/s."`
	Method         Method            `yaml:"method,omitempty" doc:"HTTP method. Default GET."`
	Path           string            `yaml:"path,omitempty" doc:"Request path (and query), starting with /. Default /."`
	Headers        map[string]string `yaml:"headers,omitempty" doc:"Extra headers sent with every request."`
	Body           string            `yaml:"body,omitempty" doc:"Request body sent with every request. Default none."`
	IdempotencyKey bool              `yaml:"idempotency_key,omitempty" doc:"Send a fresh random Idempotency-Key with every request, so the proxy may retry a POST. Default false."`
	Timeout        time.Duration     `yaml:"timeout,omitempty" doc:"Client timeout per request, from send to the end of the body. Default 5s."`
	FreshConns     float64           `yaml:"fresh_conns,omitempty" doc:"Fraction of requests, in [0, 1], sent on a new connection; the rest reuse keep-alive ones. Default 0."`
	Malformed      Malformed         `yaml:"malformed,omitempty" doc:"Send a broken body, a client fault: chunked (chunking breaks half way) or short (shorter than its Content-Length, then the client closes its side). Default none."`
	HTTP2          bool              `yaml:"http2,omitempty" doc:"Speak HTTP/2 to the proxy (needs proxy.https); an answer in another protocol counts as a client error. Default false: HTTP/1.1, over TLS with proxy.https."`
}

// Method is the load's HTTP method, one of Methods.
type Method string

// Methods the load may send.
var Methods = []Method{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

// Enum lists the methods, for the scenario schema and messages.
func (Method) Enum() []string { return strs(Methods) }

// Malformed names a broken body the load can send (labs/load's
// MalformedKinds is the table).
type Malformed string

// Enum lists the broken bodies, for the scenario schema and messages.
func (Malformed) Enum() []string { return load.MalformedKinds }

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// Event is one moment of the timeline. At most one of Fault, Clear, Probe
// and End is set; with none, the event is a plain named mark.
type Event struct {
	At     time.Duration `yaml:"at" doc:"When, from the start of the load, e.g. 3s."`
	Name   string        `yaml:"name,omitempty" doc:"The event's name, used by clear and by expectations' after/until. Required for a fault or a mark; a clear defaults to clear-<fault>, the end to end."`
	Fault  *vocab.Fault  `yaml:"fault,omitempty" doc:"Break one node."`
	Clear  string        `yaml:"clear,omitempty" doc:"Undo the fault of the named earlier event."`
	Probe  string        `yaml:"probe,omitempty" doc:"Send one GET of this path through the proxy and keep its status and headers, for an expectation {probe: NAME, ...}."`
	End    bool          `yaml:"end,omitempty" doc:"The run ends here: the load stops; must be the last event."`
	Reload bool          `yaml:"reload,omitempty" doc:"POST the proxy's admin /reload: it re-reads its (unchanged) config file. Builtin proxy only."`
	Why    string        `yaml:"why,omitempty" doc:"Read this node's member state and the cause of its last transition from the proxy's admin /status (its why-timeline), for an expectation {probe: NAME, cause: TEXT}. Builtin proxy only."`
}

// Pos returns where the field at path ("expect[2]", "timeline[0].at") was
// written, or the zero Pos when it was not.
func (s *Scenario) Pos(path string) Pos { return s.pos[path] }

// EndAt is the time of the end event (0 when there is none).
func (s *Scenario) EndAt() time.Duration {
	for _, e := range s.Timeline {
		if e.End {
			return e.At
		}
	}
	return 0
}

// Event returns the event with the given name.
func (s *Scenario) Event(name string) (Event, bool) {
	for _, e := range s.Timeline {
		if e.Name == name {
			return e, true
		}
	}
	return Event{}, false
}

// Node returns the node with the given name.
func (s *Scenario) Node(name string) (vocab.Node, bool) { return s.Topology().Node(name) }

// Topology is what the lab runtime starts for s.
func (s *Scenario) Topology() vocab.Topology {
	return vocab.Topology{Name: s.Name, Proxy: s.Proxy, Nodes: s.Nodes}
}

// NamedFault is the fault of a fault event as the runtime applies it: named
// after the event, and so is its HTTP fault's id in the control API.
func (e Event) NamedFault() vocab.Fault {
	f := *e.Fault
	f.Name = e.Name
	return f
}
