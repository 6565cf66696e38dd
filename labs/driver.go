package labs

import (
	"context"
	"crypto/tls"
	"github.com/failover-lab/failover-lab/labs/vocab"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// Driver turns a vocab.Topology into running nodes.
type Driver interface {
	// Name is "docker", "process" or "compose:<project>".
	Name() string
	// Start starts the proxy, Toxiproxy and every node, and returns once
	// each answers HTTP. On error nothing it started is left running. The
	// ledger receives the marks of faults; it may be nil.
	Start(ctx context.Context, t vocab.Topology, l *ledger.Ledger) (Run, error)
}

// Run is one started topology.
type Run interface {
	// ID is the run id, the value of the failover-lab.run label.
	ID() string
	// ProxyURL is the proxy's traffic listener: http://127.0.0.1:PORT (a
	// remote Docker engine's address instead: OnEngine), or https:// with
	// proxy.https.
	ProxyURL() string
	// ClientTLS is how clients trust the proxy's listener when ProxyURL is
	// https:// (the run's own CA); nil when it is plain HTTP.
	ClientTLS() *tls.Config
	// AdminURL is the proxy's admin listener, at the same address.
	AdminURL() string
	// AdminToken is the bearer token the admin wants on POSTs ("" = none).
	AdminToken() string
	// NodeURL is a node's own traffic port at the same address, bypassing the
	// proxy and Toxiproxy; "" for an unknown node. It may change when a
	// node starts again (Docker re-publishes ports on start; a local
	// process takes whatever free port it can).
	NodeURL(name string) string
	// Apply breaks a node and records the mark {Name: f.Name, Kind: apply}
	// at the moment its effect was seen to take hold (faults.TookHold), else
	// when the action was issued. It returns once the fault is in force (a
	// killed node is dead, a stopped one has exited).
	Apply(ctx context.Context, f vocab.Fault) (Applied, error)
	// Clear undoes an applied fault and records {Kind: clear} once the undo
	// has taken effect: for faults that stop a node, once it answers HTTP
	// again. The marks thus bracket every moment the fault could act.
	Clear(ctx context.Context, a Applied) error
	// Close removes everything the run created; it is idempotent.
	Close(ctx context.Context) error
}

// ProxySignaler is a Run that can send its proxy a signal: a reload event
// of a proxy that re-reads its config on one (proxy.reload_signal, or the
// kind's own for the user's nginx or Apache config). The Docker and
// process drivers are.
type ProxySignaler interface {
	// SignalProxy sends sig ("SIGHUP") to the proxy's process or container.
	SignalProxy(ctx context.Context, sig string) error
}

// OnEngine is a Run whose ports a Docker engine publishes. EngineAddress
// is where they are reached: 127.0.0.1 for a local engine, the engine's
// address (a dind service, tcp://, ssh://) otherwise. The load may go
// there (load.Spec.Engine).
type OnEngine interface {
	EngineAddress() string
}
