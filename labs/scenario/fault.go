package scenario

import "time"

// Fault breaks one node in one of three ways. It mirrors the lab runtime's
// fault (labs.Fault) field for field, so a scenario reads what the runtime
// does; the runner converts it.
type Fault struct {
	Node      string          `yaml:"node" doc:"The node to break."`
	HTTP      *HTTPFault      `yaml:"http,omitempty" doc:"A fault of the app's control API (app nodes only)."`
	Container *ContainerFault `yaml:"container,omitempty" doc:"An action on the node's container, or its process under the process driver."`
	Network   *NetworkFault   `yaml:"network,omitempty" doc:"A Toxiproxy toxic on the link from the node to the proxy."`
}

// HTTPFault is a fault of the app fixture's control API. Kind may be left
// out when Status is set: {status: 500} is {kind: status, status: 500}.
type HTTPFault struct {
	Kind        string        `yaml:"kind,omitempty" enum:"status,latency,hang,reset,truncate,exit,health" doc:"status, latency, hang, reset, truncate, exit or health. Default status when status is set."`
	Status      int           `yaml:"status,omitempty" doc:"The status to answer (kind status), 100-599."`
	Count       int           `yaml:"count,omitempty" doc:"Only the next count requests; 0 = no limit."`
	For         time.Duration `yaml:"for,omitempty" doc:"Lifetime from when it is applied; 0 = until cleared."`
	Probability float64       `yaml:"probability,omitempty" doc:"Chance a request is hit, in (0, 1]. Default 1."`
	Latency     time.Duration `yaml:"latency,omitempty" doc:"Added delay (kind latency)."`
	Jitter      time.Duration `yaml:"jitter,omitempty" doc:"Random extra delay in [0, jitter) (kind latency)."`
	When        string        `yaml:"when,omitempty" enum:"before,mid" doc:"When a reset happens: before (default) or mid (after half the body)."`
	Code        int           `yaml:"code,omitempty" doc:"Exit status (kind exit), 1-255. Default 1."`
	Health      string        `yaml:"health,omitempty" enum:"ok,fail" doc:"What /health answers (kind health): ok or fail, whatever the pages do."`
	Path        string        `yaml:"path,omitempty" doc:"Only requests whose path starts with this, e.g. /poison. Default every page (not for kind health)."`
	Method      string        `yaml:"method,omitempty" doc:"Only requests with this method, e.g. POST. Default any (not for kind health)."`
}

// ContainerFault acts on the node's container (or process).
type ContainerFault struct {
	Action string `yaml:"action" enum:"stop,kill,pause,restart,disconnect" doc:"stop, kill, pause, restart or disconnect. Clearing starts, unpauses or reconnects (restart has nothing to clear)."`
	Signal string `yaml:"signal,omitempty" doc:"The signal of a kill. Default SIGKILL."`
}

// NetworkFault is a Toxiproxy toxic between the proxy and the node.
type NetworkFault struct {
	Toxic   string        `yaml:"toxic" enum:"latency,bandwidth,reset_peer,timeout,down" doc:"latency, bandwidth, reset_peer, timeout or down (connections refused)."`
	Latency time.Duration `yaml:"latency,omitempty" doc:"Added delay of a latency toxic (required, > 0)."`
	Jitter  time.Duration `yaml:"jitter,omitempty" doc:"± variation of a latency toxic."`
	Rate    int64         `yaml:"rate,omitempty" doc:"Bandwidth limit in KB/s (required, > 0)."`
	Timeout time.Duration `yaml:"timeout,omitempty" doc:"reset_peer: reset after this (0 at once); timeout: close after this (0 never)."`
}

// Vocabulary of faults, as the runtime accepts it.
var (
	httpKinds        = []string{"status", "latency", "hang", "reset", "truncate", "exit", "health"}
	containerActions = []string{"stop", "kill", "pause", "restart", "disconnect"}
	networkToxics    = []string{"latency", "bandwidth", "reset_peer", "timeout", "down"}
)

// Describe is a short human description: "service: http status 500".
func (f Fault) Describe() string {
	switch {
	case f.HTTP != nil:
		h := f.HTTP
		switch h.Kind {
		case "status":
			return f.Node + ": http status " + itoa(h.Status)
		case "latency":
			return f.Node + ": http latency " + h.Latency.String()
		case "health":
			return f.Node + ": /health says " + h.Health
		}
		return f.Node + ": http " + h.Kind
	case f.Container != nil:
		return f.Node + ": container " + f.Container.Action
	case f.Network != nil:
		return f.Node + ": network " + f.Network.Toxic
	}
	return f.Node
}
