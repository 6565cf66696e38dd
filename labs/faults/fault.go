// Package faults holds the ways the lab breaks a node, one kind per file,
// in the manner of Toxiproxy's toxics: each kind declares its settings (a
// struct a scenario's fault decodes into), their validation and the space
// `lab explore` draws them from; the settings apply themselves to what a
// driver offers for the node and return how to undo it. A driver never
// switches on fault kinds.
//
//	                 Target (per node, from the driver)
//	                 ├─ Container  stop, signal, pause, restart, start again, (dis)connect
//	client ─▶ proxy ─┼─ Link ─────▶ Toxiproxy link between the proxy and the node
//	                 ├─ Control ──▶ the app fixture's fault-control API
//	                 └─ Cert ─────▶ the certificate an HTTPS node serves
//
//	fault: {node: N, <family>: {<key>: <kind>, <settings...>}}
//	Register(Kind{Family, Name, New, Space}) ── New() ──▶ Settings ──Apply(ctx, target)──▶ in force ──▶ Undo(ctx)
//
// Container kinds (stop, kill, pause, restart, restart-loop, disconnect) act
// through Target.Container, network kinds (latency, bandwidth, reset_peer,
// timeout, down) through Target.Link; http kinds (status, latency, hang,
// ...) go to Target.Control; the tls kind (cert.go) swaps the certificate
// of Target.Cert. A kind registers itself in its file's init (kind.go);
// the vocabulary (labs/vocab) decodes and validates a scenario's fault
// through this registry, the scenario schema lists its kinds and their
// settings, and `lab explore` draws from their spaces.
//
// The package is a leaf: it knows neither Docker nor Toxiproxy's client.
package faults

import (
	"context"
	"fmt"
	"syscall"
)

// Settings are one kind's settings as a scenario writes them: each kind
// declares its own struct (yaml and doc tags name and describe its keys),
// decoded strictly from the scenario's fault, and the value checks,
// describes and applies itself.
type Settings interface {
	// Check validates the settings; a problem names its field.
	Check() *Problem
	// Describe is the short form in progress lines and ledger marks:
	// "kill SIGKILL", "latency 300ms", "status 500".
	Describe() string
	// Apply breaks the node and returns once the fault is in force, with
	// how to undo it. Undo returns once the undo has taken effect (a
	// stopped node answers again).
	Apply(ctx context.Context, t Target) (Undo, error)
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
	Node string
	// Fault is the fault's name (its event's): an http fault's id in the
	// node's control API.
	Fault     string
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
