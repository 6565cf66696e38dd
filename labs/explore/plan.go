package explore

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/faults"
)

// Plan is one generated timeline: steps on the scenario's nodes, and when
// the run ends. A plan is a value: the shrinker makes smaller copies.
type Plan struct {
	Length time.Duration
	Steps  []Step
}

// Step is one event of a plan: a fault applied at At and cleared For later
// (For 0: never before the end), an instant action (a restart), or a
// reload of the proxy's config (Kind ReloadKind, no node). ID stays with
// the step through shrinking and names its events.
type Step struct {
	ID     int
	At     time.Duration
	For    time.Duration
	Node   string
	Kind   string // a faults.Spaces id, "container.kill", or ReloadKind
	Values []faults.Value
}

// ReloadKind is the step that asks the builtin proxy to re-read its config.
const ReloadKind = "reload"

// Name is the step's event name: "e3-service-kill".
func (s Step) Name() string {
	_, kind, _ := strings.Cut(s.Kind, ".")
	if s.Kind == ReloadKind {
		return fmt.Sprintf("e%d-reload", s.ID)
	}
	return fmt.Sprintf("e%d-%s-%s", s.ID, s.Node, strings.ReplaceAll(kind, "_", "-"))
}

// Lasting says whether the step has a clear.
func (s Step) Lasting() bool { return s.For > 0 }

// End is when the step's fault is cleared: At+For, or the plan's end.
func (s Step) End(length time.Duration) time.Duration {
	if s.For > 0 && s.At+s.For < length {
		return s.At + s.For
	}
	return length
}

// Value returns the step's drawn value of key.
func (s Step) Value(key string) (faults.Value, bool) {
	i := slices.IndexFunc(s.Values, func(v faults.Value) bool { return v.Key == key })
	if i < 0 {
		return faults.Value{}, false
	}
	return s.Values[i], true
}

// String is the step in one line: "e3 +2.5s service container.kill
// {signal: SIGKILL} for 4s".
func (s Step) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "e%d +%s", s.ID, fmtDur(s.At))
	if s.Node != "" {
		b.WriteString(" " + s.Node)
	}
	b.WriteString(" " + s.Kind)
	if len(s.Values) > 0 {
		parts := make([]string, len(s.Values))
		for i, v := range s.Values {
			parts[i] = v.String()
		}
		b.WriteString(" {" + strings.Join(parts, ", ") + "}")
	}
	if s.For > 0 {
		b.WriteString(" for " + fmtDur(s.For))
	}
	return b.String()
}

// String lists the steps, one a line, then the end.
func (p Plan) String() string {
	var b strings.Builder
	for _, s := range p.Steps {
		b.WriteString(s.String() + "\n")
	}
	fmt.Fprintf(&b, "end +%s\n", fmtDur(p.Length))
	return b.String()
}

// clone copies the plan deep enough for a shrinker to change a step.
func (p Plan) clone() Plan {
	c := Plan{Length: p.Length, Steps: make([]Step, len(p.Steps))}
	for i, s := range p.Steps {
		s.Values = slices.Clone(s.Values)
		c.Steps[i] = s
	}
	return c
}

// sorted orders the steps by time, then ID: the timeline's order.
func (p Plan) sorted() Plan {
	slices.SortStableFunc(p.Steps, func(a, b Step) int {
		if a.At != b.At {
			return int(a.At - b.At)
		}
		return a.ID - b.ID
	})
	return p
}

// Nodes lists the nodes the plan touches, sorted.
func (p Plan) Nodes() []string {
	var ns []string
	for _, s := range p.Steps {
		if s.Node != "" && !slices.Contains(ns, s.Node) {
			ns = append(ns, s.Node)
		}
	}
	slices.Sort(ns)
	return ns
}

func fmtDur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	return s
}
