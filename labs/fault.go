package labs

import (
	"fmt"
	"strings"
	"syscall"
	"time"

	"github.com/failover-lab/failover-lab/fixtures/app"
)

// Container fault actions.
const (
	ActionStop       = "stop"       // SIGTERM, wait for exit; cleared by starting again
	ActionKill       = "kill"       // a signal (default SIGKILL); cleared by starting again
	ActionPause      = "pause"      // freeze (cgroup freezer / SIGSTOP); cleared by unpausing
	ActionRestart    = "restart"    // stop then start at once; clearing does nothing
	ActionDisconnect = "disconnect" // leave the run's network; cleared by reconnecting
)

// Network toxics (Toxiproxy, between the proxy and the node).
const (
	ToxicLatency   = "latency"    // add latency ± jitter to every answer
	ToxicBandwidth = "bandwidth"  // limit answers to rate KB/s
	ToxicResetPeer = "reset_peer" // reset connections after timeout (0: at once)
	ToxicTimeout   = "timeout"    // swallow requests, close after timeout (0: never)
	ToxicDown      = "down"       // refuse connections (the Toxiproxy proxy is disabled)
)

var (
	containerActions = []string{ActionStop, ActionKill, ActionPause, ActionRestart, ActionDisconnect}
	networkToxics    = []string{ToxicLatency, ToxicBandwidth, ToxicResetPeer, ToxicTimeout, ToxicDown}
)

// Fault is one way to break one node. Exactly one of HTTP, Container and
// Network is set. The yaml tags let a scenario embed it (strict decoding).
type Fault struct {
	// Name labels the ledger marks of this fault; the scenario sets it.
	Name string `yaml:"-"`
	// Node is the name of the node to break.
	Node string `yaml:"node"`
	// HTTP is posted to the node's fault-control API (app nodes only).
	HTTP *app.Fault `yaml:"http,omitempty"`
	// Container acts on the node's container (or process).
	Container *ContainerFault `yaml:"container,omitempty"`
	// Network acts on the Toxiproxy link between the proxy and the node.
	Network *NetworkFault `yaml:"network,omitempty"`
}

// ContainerFault acts on the node's container, or on its process under the
// process driver.
type ContainerFault struct {
	// Action is one of stop, kill, pause, restart, disconnect.
	Action string `yaml:"action"`
	// Signal is the signal of a kill, e.g. SIGKILL (default) or SIGTERM.
	Signal string `yaml:"signal,omitempty"`
}

// NetworkFault is a Toxiproxy toxic on the link between the proxy and the
// node, or the link going down. Latency, bandwidth and reset_peer act on
// the answers (Toxiproxy's downstream), timeout on the requests (upstream:
// the node never sees them and the connection hangs).
type NetworkFault struct {
	// Toxic is one of latency, bandwidth, reset_peer, timeout, down.
	Toxic string `yaml:"toxic"`
	// Latency is the added delay of a latency toxic (required, > 0).
	Latency time.Duration `yaml:"latency,omitempty"`
	// Jitter is the ± variation of a latency toxic (default 0).
	Jitter time.Duration `yaml:"jitter,omitempty"`
	// Rate is the bandwidth limit in KB/s (required, > 0).
	Rate int64 `yaml:"rate,omitempty"`
	// Timeout of reset_peer and timeout toxics; 0 = at once / never.
	Timeout time.Duration `yaml:"timeout,omitempty"`
}

// Applied is a fault in force, as Run.Apply returned it; pass it to
// Run.Clear to undo the fault.
type Applied struct {
	Fault Fault
	At    time.Time // when the fault was issued (the apply mark's time)

	httpID string // the control API's fault id
	toxic  string // the Toxiproxy toxic name
}

// Validate checks the fault alone (not whether its node exists: Run.Apply
// does that). Messages name the field: `container.action: must be one of
// stop, kill, pause, restart, disconnect (got "freeze")`.
func (f Fault) Validate() error {
	if f.Node == "" {
		return fmt.Errorf("%w: node: required", ErrInvalid)
	}
	n := 0
	for _, set := range []bool{f.HTTP != nil, f.Container != nil, f.Network != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("%w: exactly one of http, container, network must be set (got %d)", ErrInvalid, n)
	}
	switch {
	case f.HTTP != nil:
		return validateHTTP(*f.HTTP)
	case f.Container != nil:
		return wrapField("container", f.Container.validate())
	case f.Network != nil:
		return wrapField("network", f.Network.validate())
	}
	return nil
}

func wrapField(field string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %s.%w", ErrInvalid, field, err)
}

func (c ContainerFault) validate() error {
	if !oneOf(c.Action, containerActions) {
		return fmt.Errorf("action: must be one of %s (got %q)", strings.Join(containerActions, ", "), c.Action)
	}
	if c.Signal != "" {
		if c.Action != ActionKill {
			return fmt.Errorf("signal: only for action kill (got %q with %s)", c.Signal, c.Action)
		}
		if _, err := parseSignal(c.Signal); err != nil {
			return fmt.Errorf("signal: %w", err)
		}
	}
	return nil
}

func (n NetworkFault) validate() error {
	if !oneOf(n.Toxic, networkToxics) {
		return fmt.Errorf("toxic: must be one of %s (got %q)", strings.Join(networkToxics, ", "), n.Toxic)
	}
	switch {
	case n.Toxic == ToxicLatency && n.Latency <= 0:
		return fmt.Errorf("latency: must be > 0 (got %s)", n.Latency)
	case n.Jitter < 0:
		return fmt.Errorf("jitter: must be >= 0 (got %s)", n.Jitter)
	case n.Toxic == ToxicBandwidth && n.Rate <= 0:
		return fmt.Errorf("rate: must be > 0 KB/s (got %d)", n.Rate)
	case n.Timeout < 0:
		return fmt.Errorf("timeout: must be >= 0 (got %s)", n.Timeout)
	}
	return nil
}

func oneOf(s string, set []string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}

var signals = map[string]syscall.Signal{
	"SIGKILL": syscall.SIGKILL, "SIGTERM": syscall.SIGTERM, "SIGINT": syscall.SIGINT,
	"SIGQUIT": syscall.SIGQUIT, "SIGHUP": syscall.SIGHUP, "SIGUSR1": syscall.SIGUSR1,
	"SIGUSR2": syscall.SIGUSR2, "SIGABRT": syscall.SIGABRT,
}

// parseSignal accepts "SIGKILL", "KILL" or "kill".
func parseSignal(s string) (syscall.Signal, error) {
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	sig, ok := signals[name]
	if !ok {
		return 0, fmt.Errorf("unknown signal %q", s)
	}
	return sig, nil
}

// signal returns the signal of a kill fault, SIGKILL by default.
func (c ContainerFault) signal() (string, syscall.Signal) {
	if c.Signal == "" {
		return "SIGKILL", syscall.SIGKILL
	}
	sig, _ := parseSignal(c.Signal)
	name := strings.ToUpper(c.Signal)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	return name, sig
}

// describe is the Detail of the fault's ledger marks.
func (f Fault) describe() string {
	switch {
	case f.Container != nil && f.Container.Action == ActionKill:
		name, _ := f.Container.signal()
		return fmt.Sprintf("%s: container kill %s", f.Node, name)
	case f.Container != nil:
		return fmt.Sprintf("%s: container %s", f.Node, f.Container.Action)
	case f.Network != nil:
		return fmt.Sprintf("%s: network %s", f.Node, f.Network.Toxic)
	case f.HTTP != nil:
		return fmt.Sprintf("%s: http fault", f.Node)
	}
	return f.Node
}
