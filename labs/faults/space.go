package faults

import (
	"fmt"
	"strings"
	"time"
)

// Space is what `lab explore` may draw for one kind: the settings it picks,
// and what the fault does to the node while in force, so that the
// invariants know which members could serve at each moment.
//
//	fault: {node: N, <family>: {<key>: <kind>, <Params drawn...>}}
type Space struct {
	// Params are drawn, each within its range; their keys are settings of
	// the kind's struct (a test keeps them so).
	Params []Param
	// Breaks says the node cannot serve while the fault is in force (a
	// kill, a 500, a link down); false for a slow link or a lying /health.
	Breaks bool
	// Leaks is how many client errors the fault may cause whatever the
	// proxy does: an answer cut after its headers went out cannot be
	// retried, so the requests already under way when it takes hold reach
	// the client broken (scenarios/reset-mid-response.yaml allows 3).
	Leaks int
	// Suspect says the node can serve but a proxy may rightly take it out
	// (its /health lies): no failover or failback is expected meanwhile.
	Suspect bool
	// Instant kinds act once and have nothing to clear (restart): the node
	// is briefly gone while it acts.
	Instant bool
	// Needs is what the node must offer: NeedsControl (the app's
	// fault-control API), NeedsHTTPS, NeedsLink (a Toxiproxy link: no
	// proxy config of the user's own), or "".
	Needs string
	// Never, when set, keeps explore from drawing the kind, and says why.
	Never string
}

// What a kind needs of its node (Space.Needs).
const (
	NeedsControl = "control"
	NeedsHTTPS   = "https"
	NeedsLink    = "link"
)

// ParamType is how a drawn value is written.
type ParamType int

// Param types.
const (
	Duration ParamType = iota // N milliseconds, written "300ms"
	Int                       // N, written as a number
	Choice                    // one of Choices, written as a string
)

// Param is one drawn setting: a number in [Min, Max] on a grid of Step
// (milliseconds for a Duration), or one of Choices. Simpler is smaller,
// and for a choice, earlier.
type Param struct {
	Key     string
	Type    ParamType
	Min     int64
	Max     int64
	Step    int64 // grid of the number; 0 = 1
	Choices []string
}

// Grid is the param's step, at least 1.
func (p Param) Grid() int64 { return max(p.Step, 1) }

// Value is a drawn Param: N for numbers, S for a choice.
type Value struct {
	Param
	N int64
	S string
}

// YAML writes the value as a scenario does: "300ms", "502", "SIGTERM".
func (v Value) YAML() string {
	switch v.Type {
	case Duration:
		return fmtMS(v.N)
	case Int:
		return fmt.Sprint(v.N)
	}
	return v.S
}

// String is "key: value".
func (v Value) String() string { return v.Key + ": " + v.YAML() }

func fmtMS(ms int64) string {
	s := (time.Duration(ms) * time.Millisecond).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	return s
}
