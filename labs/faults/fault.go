// Package faults holds the ways the lab breaks a node, one kind per file,
// in the manner of Toxiproxy's toxics: each kind is a value that checks its
// settings and applies itself to what a driver offers for the node, and
// returns how to undo it. A driver never switches on fault kinds.
//
//	                 Target (per node, from the driver)
//	                 ├─ Container  stop, signal, pause, restart, start again, (dis)connect
//	client ─▶ proxy ─┼─ Link ─────▶ Toxiproxy link between the proxy and the node
//	                 ├─ Control ──▶ the app fixture's fault-control API
//	                 └─ Cert ─────▶ the certificate an HTTPS node serves
//
//	Kind.Apply(ctx, target, params) ──▶ in force ──▶ Undo(ctx)
//
// Container kinds (stop, kill, pause, restart, restart-loop, disconnect) act
// through Target.Container, network kinds (latency, bandwidth, reset_peer,
// timeout, down) through Target.Link; HTTP faults go to Target.Control;
// the tls fault (cert.go) swaps the certificate of Target.Cert.
// A kind registers itself by name in its file's init; the vocabulary
// (labs/vocab) validates fault settings against this registry, and the
// scenario schema lists its names.
//
// The package is a leaf: it knows neither Docker nor Toxiproxy's client.
package faults

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Params are a fault's settings as the vocabulary writes them; each kind
// uses some and refuses the others.
type Params struct {
	Signal  string        // kill, restart-loop: the signal (default SIGKILL)
	Latency time.Duration // latency toxic
	Jitter  time.Duration // latency toxic
	Rate    int64         // bandwidth toxic, KB/s
	Timeout time.Duration // reset_peer and timeout toxics
	Cert    string        // cert: which bad certificate (CertKinds)
}

// Kind is one way to break a node.
type Kind interface {
	// Name is the kind's word in a scenario: "kill", "latency".
	Name() string
	// Check validates the settings; a problem names its field.
	Check(p Params) *Problem
	// Describe is the short form in progress lines and ledger marks:
	// "kill SIGKILL", "latency".
	Describe(p Params) string
	// Apply breaks the node and returns once the fault is in force, with
	// how to undo it. Undo returns once the undo has taken effect (a
	// stopped node answers again).
	Apply(ctx context.Context, t Target, p Params) (Undo, error)
	// Space is what `lab explore` may draw for the kind (space.go).
	Space() Space
}

// InForceOnReturn is implemented by kinds whose effect is certain only once
// Apply returns: a SIGKILL, a freeze or a disconnect goes through the Docker
// daemon, which can take most of a second on a loaded 2-core machine, and
// the node keeps answering until then. The lab marks such a fault when
// Apply returns, so a scenario's "within" counts from when the node was
// really gone, not from when the daemon was asked. (A stop is marked when
// issued: the node stops accepting at SIGTERM, before the stop returns.)
type InForceOnReturn interface{ InForceOnReturn() }

// Undo reverts an applied fault.
type Undo func(ctx context.Context) error

func nothingToUndo(context.Context) error { return nil }

// Problem is a bad setting: `signal: unknown signal "SIGFOO"`.
type Problem struct {
	Field string
	Msg   string
}

func (p *Problem) Error() string { return p.Field + ": " + p.Msg }

func problem(field, format string, args ...any) *Problem {
	return &Problem{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Target is what a driver offers to break one node. A nil part is
// something the driver cannot do (the compose demo has no Link).
type Target struct {
	Node      string
	Container Container
	Link      Link
	Control   Control
	Cert      Cert // nil unless the node serves HTTPS
}

// Container acts on a node's container, or on its process under the
// process driver.
type Container interface {
	// Stop sends SIGTERM, then SIGKILL after a grace; it returns once the
	// node has exited.
	Stop(ctx context.Context) error
	// Signal sends sig; when it is lethal, it returns once the node exited.
	Signal(ctx context.Context, sig syscall.Signal) error
	Pause(ctx context.Context) error
	Unpause(ctx context.Context) error
	// Restart stops and starts the node at once.
	Restart(ctx context.Context) error
	// StartAgain starts a node that exited and returns once it answers; a
	// node still running is left alone.
	StartAgain(ctx context.Context) error
	// Disconnect takes the node off the proxy's network; Reconnect puts it
	// back and returns once it answers.
	Disconnect(ctx context.Context) error
	Reconnect(ctx context.Context) error
}

// Link is the Toxiproxy link between the proxy and a node.
type Link interface {
	// AddToxic adds a toxic of a Toxiproxy type on a stream ("upstream":
	// requests, "downstream": answers) and returns its name.
	AddToxic(ctx context.Context, toxic, stream string, attrs map[string]any) (string, error)
	RemoveToxic(ctx context.Context, name string) error
	// SetEnabled takes the link down (connections refused, open ones
	// dropped) or up again on the same address.
	SetEnabled(ctx context.Context, on bool) error
}

// ErrUnsupported is wrapped when a driver offers nothing for a fault (a
// network fault on the compose demo, which has no Toxiproxy).
var ErrUnsupported = fmt.Errorf("not supported")

var (
	containerKinds []Kind
	networkKinds   []Kind
)

// registerContainer and registerNetwork are called from each kind's init.
func registerContainer(k Kind) { containerKinds = register(containerKinds, k) }
func registerNetwork(k Kind)   { networkKinds = register(networkKinds, k) }

// Register adds a kind of family container or network (its Space says
// which), as the kinds of this package do from their init: a new kind is
// one file, and the vocabulary, the schema and `lab explore` pick it up.
func Register(k Kind) {
	switch f := k.Space().Family; f {
	case "container":
		registerContainer(k)
	case "network":
		registerNetwork(k)
	default:
		panic("faults: Register: family must be container or network (got " + f + ")")
	}
}

func register(kinds []Kind, k Kind) []Kind {
	if slices.ContainsFunc(kinds, func(o Kind) bool { return o.Name() == k.Name() }) {
		panic("faults: kind registered twice: " + k.Name())
	}
	registerSpace(k)
	kinds = append(kinds, k)
	slices.SortFunc(kinds, func(a, b Kind) int { return strings.Compare(a.Name(), b.Name()) })
	return kinds
}

// ContainerKind and NetworkKind find a kind by name.
func ContainerKind(name string) (Kind, bool) { return find(containerKinds, name) }
func NetworkKind(name string) (Kind, bool)   { return find(networkKinds, name) }

func find(kinds []Kind, name string) (Kind, bool) {
	i := slices.IndexFunc(kinds, func(k Kind) bool { return k.Name() == name })
	if i < 0 {
		return nil, false
	}
	return kinds[i], true
}

// ContainerKinds and NetworkKinds list the registered names, sorted.
func ContainerKinds() []string { return names(containerKinds) }
func NetworkKinds() []string   { return names(networkKinds) }

func names(kinds []Kind) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.Name()
	}
	return out
}

// container returns the target's container, or says the driver has none.
func container(t Target) (Container, error) {
	if t.Container == nil {
		return nil, fmt.Errorf("%w: no container or process of node %s to act on", ErrUnsupported, t.Node)
	}
	return t.Container, nil
}

// link returns the target's Toxiproxy link, or says the driver has none.
func link(t Target) (Link, error) {
	if t.Link == nil {
		return nil, fmt.Errorf("%w: network: no Toxiproxy between the proxy and %s; use an http or container fault", ErrUnsupported, t.Node)
	}
	return t.Link, nil
}

// noSignal refuses a signal on a kind that sends none.
func noSignal(kind string, p Params) *Problem {
	if p.Signal != "" {
		return problem("signal", "only for action kill (got %q with %s)", p.Signal, kind)
	}
	return nil
}
