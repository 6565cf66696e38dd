package scenario

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/proxy/config/strictyaml"
)

// Explore narrows the search of `lab explore` (labs/explore); `lab run`
// ignores it. Every key is optional.
type Explore struct {
	Kinds      []string      `yaml:"kinds,omitempty" doc:"Fault kinds to draw, by id: container.kill, http.status, network.latency, tls.cert, ... and reload (builtin proxy). Default: every kind the nodes allow."`
	Nodes      []string      `yaml:"nodes,omitempty" doc:"The nodes to break. Default: every node."`
	Events     *Bound        `yaml:"events,omitempty" doc:"How many events a run draws: N (1 to N) or {min, max}. Default {min: 1, max: 4}."`
	Length     time.Duration `yaml:"length,omitempty" doc:"How long each run lasts. Default 20s."`
	Invariants Invariants    `yaml:"invariants,omitempty" doc:"What must hold in every run, with tolerances; each is on unless off: true."`
}

// Invariants are the checks of a generated run, each compiled into
// expectations of the run's own timeline (labs/explore).
type Invariants struct {
	ClientErrors Invariant     `yaml:"client_errors,omitempty" doc:"No client error while a member could serve. within: the detection grace after a member comes back (default 2s)."`
	Failover     Invariant     `yaml:"failover,omitempty" doc:"Once no primary can serve, answers come from a standby within this (within, default 1s)."`
	Failback     Invariant     `yaml:"failback,omitempty" doc:"Once a primary can serve again, it answers within this of the clear (within, default 6s)."`
	Waits        Invariant     `yaml:"waits,omitempty" doc:"No request waits longer than the load's timeout while a member could serve (within: the grace, as client_errors)."`
	Flaps        Invariant     `yaml:"flaps,omitempty" doc:"Switches between primaries and standbys at most two per outage of every primary, plus budget (default 2)."`
	Expect       []Expectation `yaml:"expect,omitempty" doc:"Your own invariants in the expectation language; after and until may name fault (each fault's start) or clear (each fault's end), or start."`
}

// Invariant is one built-in invariant's switch and tolerance.
type Invariant struct {
	Off    bool          `yaml:"off,omitempty" doc:"Do not check it."`
	Within time.Duration `yaml:"within,omitempty" doc:"Its tolerance (see the invariant)."`
	Budget int           `yaml:"budget,omitempty" doc:"flaps: the switches allowed beyond two per outage."`
}

// ExploreAnchors are the event names an explore: expectation may use in
// after and until: each fault's start, each fault's end.
var ExploreAnchors = []string{Start, string(EventFault), string(EventClear)}

func (v v) explore() {
	x := v.s.Explore
	if x == nil {
		return
	}
	known := []string{"reload"}
	for _, k := range faults.Kinds() {
		known = append(known, k.ID())
	}
	for i, k := range x.Kinds {
		if !slices.Contains(known, k) {
			v.add(fmt.Sprintf("explore.kinds[%d]", i), ErrUnknownName, "no fault kind %q%s; known: %s", k, strictyaml.DidYouMean(k, known), strings.Join(known, ", "))
		}
	}
	for i, n := range x.Nodes {
		if _, ok := v.s.Node(n); !ok {
			v.add(fmt.Sprintf("explore.nodes[%d]", i), ErrUnknownName, "no node named %q%s", n, strictyaml.DidYouMean(n, v.s.Topology().NodeNames()))
		}
	}
	v.bound("explore.events", x.Events)
	if x.Events != nil && x.Events.Max != nil && *x.Events.Max > 20 {
		v.add("explore.events", ErrInvalid, "at most 20 events a run (got %d)", *x.Events.Max)
	}
	if x.Length < 0 || x.Length > 10*time.Minute {
		v.add("explore.length", ErrInvalid, "must be in (0, 10m] (got %s)", x.Length)
	}
	in := x.Invariants
	for key, i := range map[string]Invariant{"client_errors": in.ClientErrors, "failover": in.Failover, "failback": in.Failback, "waits": in.Waits, "flaps": in.Flaps} {
		if i.Within < 0 || i.Budget < 0 {
			v.add("explore.invariants."+key, ErrInvalid, "within and budget must be ≥ 0")
		}
	}
	for i, e := range in.Expect {
		path := fmt.Sprintf("explore.invariants.expect[%d]", i)
		if k := e.kinds(); len(k) != 1 || k[0] == MeasureProbe {
			v.add(path, ErrInvalid, "one measure per item, not probe (got %s)", strings.Join(strs(k), ", "))
		}
		for field, name := range map[string]string{"after": e.After, "until": e.Until} {
			if name != "" && !slices.Contains(ExploreAnchors, name) {
				v.add(path+"."+field, ErrUnknownName, "a generated run's events are named fault (each fault's start) or clear (its end), or start (got %q)", name)
			}
		}
	}
}
