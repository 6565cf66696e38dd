package vocab

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/fixtures/app"
	"github.com/failover-lab/failover-lab/labs/faults"
)

// Fault is one way to break one node: exactly one of HTTP, Container and
// Network is set. A scenario embeds it in its timeline (strict decoding);
// the doc tags become the scenario schema's descriptions.
type Fault struct {
	// Name labels the ledger marks of this fault; the scenario sets it to
	// the event's name.
	Name      string          `yaml:"-"`
	Node      string          `yaml:"node" doc:"The node to break."`
	HTTP      *app.Fault      `yaml:"http,omitempty" doc:"A fault of the app's control API (app nodes only)."`
	Container *ContainerFault `yaml:"container,omitempty" doc:"An action on the node's container, or its process under the process driver."`
	Network   *NetworkFault   `yaml:"network,omitempty" doc:"A Toxiproxy toxic on the link from the node to the proxy."`
	TLS       *TLSFault       `yaml:"tls,omitempty" doc:"Swap the certificate of a node with https for a bad one; the node reloads it and closes its open connections, as a server reloading its certificate does, so the proxy meets it on its next connection. Clearing puts the good one back."`
}

// TLSFault makes a node that serves HTTPS serve a bad certificate.
type TLSFault struct {
	Cert CertFault `yaml:"cert" doc:"expired, unknown-ca (signed by a CA the proxy does not trust) or wrong-name (for another host)."`
}

// CertFault names a bad certificate (labs/faults CertKinds).
type CertFault string

// Enum lists the bad certificates, for the scenario schema.
func (CertFault) Enum() []string { return faults.CertKinds }

// Action names a container fault kind (labs/faults registers them).
type Action string

// Enum lists the actions, for the scenario schema.
func (Action) Enum() []string { return faults.ContainerKinds() }

// Toxic names a network fault kind (labs/faults registers them).
type Toxic string

// Enum lists the toxics, for the scenario schema.
func (Toxic) Enum() []string { return faults.NetworkKinds() }

// ContainerFault acts on the node's container, or its process under the
// process driver.
type ContainerFault struct {
	Action Action `yaml:"action" doc:"stop, kill, pause, restart, restart-loop or disconnect. Clearing starts, unpauses or reconnects (restart has nothing to clear)."`
	Signal string `yaml:"signal,omitempty" doc:"The signal of a kill. Default SIGKILL."`
}

// NetworkFault is a Toxiproxy toxic on the link between the proxy and the
// node, or the link going down.
type NetworkFault struct {
	Toxic   Toxic         `yaml:"toxic" doc:"latency, bandwidth, reset_peer, timeout or down (connections refused)."`
	Latency time.Duration `yaml:"latency,omitempty" doc:"Added delay of a latency toxic (required, > 0)."`
	Jitter  time.Duration `yaml:"jitter,omitempty" doc:"± variation of a latency toxic."`
	Rate    int64         `yaml:"rate,omitempty" doc:"Bandwidth limit in KB/s (required, > 0)."`
	Timeout time.Duration `yaml:"timeout,omitempty" doc:"reset_peer: reset after this (0 at once); timeout: close after this (0 never)."`
}

// Kind returns the registered kind of a container or network fault.
func (f Fault) Kind() (faults.Kind, faults.Params, bool) {
	switch {
	case f.Container != nil:
		k, ok := faults.ContainerKind(string(f.Container.Action))
		return k, faults.Params{Signal: f.Container.Signal}, ok
	case f.Network != nil:
		n := f.Network
		k, ok := faults.NetworkKind(string(n.Toxic))
		return k, faults.Params{Latency: n.Latency, Jitter: n.Jitter, Rate: n.Rate, Timeout: n.Timeout}, ok
	case f.TLS != nil:
		return faults.CertSwap, faults.Params{Cert: string(f.TLS.Cert)}, true
	}
	return nil, faults.Params{}, false
}

// Validate checks the fault alone (not whether its node exists:
// Topology.CheckFault does). The error names the field:
// `container.action: must be one of disconnect, kill, ... (got "freeze")`.
func (f Fault) Validate() error { return first(f.Check) }

// Check reports every problem of the fault alone.
func (f Fault) Check(report Report) {
	if f.Node == "" {
		report.add("node", ErrRequired, "required: the node to break")
	}
	set := 0
	for _, on := range []bool{f.HTTP != nil, f.Container != nil, f.Network != nil, f.TLS != nil} {
		if on {
			set++
		}
	}
	if set != 1 {
		report.add("", ErrInvalid, "exactly one of http, container, network, tls must be set (got %d)", set)
		return
	}
	switch {
	case f.HTTP != nil:
		checkHTTP(*f.HTTP, report.under("http"))
	case f.Container != nil:
		checkKind(f, "container", "action", string(f.Container.Action), faults.ContainerKinds(), report)
	case f.Network != nil:
		if f.Network.Jitter < 0 || f.Network.Timeout < 0 {
			report.add("network", ErrInvalid, "jitter and timeout must be ≥ 0")
		}
		checkKind(f, "network", "toxic", string(f.Network.Toxic), faults.NetworkKinds(), report)
	case f.TLS != nil:
		checkKind(f, "tls", "cert", string(f.TLS.Cert), faults.CertKinds, report)
	}
}

func checkKind(f Fault, part, field, name string, names []string, report Report) {
	k, p, ok := f.Kind()
	if !ok {
		report(part+"."+field, ErrInvalid, oneOf(name, names))
		return
	}
	if prob := k.Check(p); prob != nil {
		report(part+"."+prob.Field, ErrInvalid, prob.Msg)
	}
}

// checkHTTP places the fixture's own validation under "http.": its
// messages read `status: must be 100-599 (got 42)`.
func checkHTTP(h app.Fault, report Report) {
	err := h.Validate()
	if err == nil {
		return
	}
	msg := err.Error()
	if errors.Is(err, app.ErrInvalid) {
		msg = strings.TrimPrefix(msg, app.ErrInvalid.Error()+": ")
	}
	field, rest, ok := strings.Cut(msg, ": ")
	if !ok || strings.ContainsAny(field, " \"") {
		report("", ErrInvalid, msg)
		return
	}
	report(field, ErrInvalid, rest)
}

// CheckFault reports the problems of a fault in this topology: its node
// must exist, and an HTTP fault needs an app node.
func (t Topology) CheckFault(f Fault, report Report) {
	f.Check(report)
	if f.Node == "" {
		return
	}
	n, ok := t.Node(f.Node)
	switch {
	case !ok:
		report.add("node", ErrUnknownName, "no node named %q%s", f.Node, didYouMean(f.Node, t.NodeNames()))
	case f.HTTP != nil && !n.HasControl():
		report.add("http", ErrInvalid, "http faults need a fixture with a fault-control API (app, php); node %s runs %s", n.Name, n.What())
	case f.HTTP != nil && n.Fixture == FixturePHP && !phpCanDo(*f.HTTP):
		report.add("http", ErrInvalid, "node %s runs fixture php, whose PHP control API knows status faults only, on every request (no count, for, probability, path or method) (got %s)", n.Name, f.HTTP)
	case f.Network != nil:
		t.checkNetworkReach(n, report)
	case f.TLS != nil && !n.HTTPS:
		report.add("tls", ErrInvalid, "tls faults need a node with https: true; %s serves plain HTTP", n.Name)
	}
}

// phpCanDo says whether the php fixture's control API can apply h: a
// status fault, always on, on every path.
func phpCanDo(h app.Fault) bool {
	return (h.Kind == "" || h.Kind == app.KindStatus) && h.Count == 0 && h.For == 0 && h.Probability == 0 && h.Path == "" && h.Method == ""
}

// ValidateFault is CheckFault's first problem, wrapping ErrInvalid.
func (t Topology) ValidateFault(f Fault) error {
	return first(func(r Report) { t.CheckFault(f, r) })
}

// Describe is the short human form of the fault, in progress lines and
// ledger marks: "service: http status 500", "service: container kill SIGKILL".
func (f Fault) Describe() string {
	switch {
	case f.HTTP != nil:
		h := f.HTTP
		switch h.Kind {
		case app.KindStatus:
			return fmt.Sprintf("%s: http status %d", f.Node, h.Status)
		case app.KindLatency:
			return f.Node + ": http latency " + h.Latency.String()
		case app.KindHealth:
			return f.Node + ": /health says " + h.Health
		}
		return f.Node + ": http " + string(h.Kind)
	case f.Container != nil:
		if k, p, ok := f.Kind(); ok {
			return f.Node + ": container " + k.Describe(p)
		}
		return f.Node + ": container " + string(f.Container.Action)
	case f.Network != nil:
		return f.Node + ": network " + string(f.Network.Toxic)
	case f.TLS != nil:
		return f.Node + ": tls cert " + string(f.TLS.Cert)
	}
	return f.Node
}
