package labs

import (
	"context"
	"crypto/tls"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
	"github.com/failover-lab/failover-lab/labs/vocab"
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
// there (load.Reach).
type OnEngine interface {
	EngineAddress() string
}

// Sender is where a run's load, warm-up and probes are sent from: this
// machine (labs/runner's own), or beside the topology, a container on the
// run's network (LoadBeside), whose timings then hold the proxy only and
// not the way to a remote engine. Rows and answers are on the lab's clock.
type Sender interface {
	// Load sends spec's load at the proxy (spec.Target is ProxyURL: a
	// sender from elsewhere aims it at the proxy as it reaches it) and
	// records each request in rec. It behaves as load.Run.
	Load(ctx context.Context, spec load.Spec, rec load.Recorder) error
	// Get sends one GET of path through the proxy: when it was sent and
	// what came back.
	Get(ctx context.Context, path string) (time.Time, ledger.ProbeAnswer)
	// Where says where the load runs and what it reaches, for the report:
	// "this machine, to http://127.0.0.1:32768".
	Where() string
}

// LoadBeside is a Run that can send its load, warm-up and probes from
// beside its topology (the docker driver's in-network load). Beside is
// nil when this run does not: they go from this machine.
type LoadBeside interface {
	Beside() Sender
}
