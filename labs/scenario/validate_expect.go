package scenario

import (
	"github.com/failover-lab/failover-lab/labs/vocab"
	"github.com/failover-lab/failover-lab/proxy/config/strictyaml"

	"fmt"
	"slices"
	"strings"
	"time"
)

// Targets lists what served_by may name: every node, the roles and proxy.
func (s *Scenario) Targets() []string {
	t := make([]string, 0, len(s.Nodes)+3)
	for _, n := range s.Nodes {
		t = append(t, n.Name)
	}
	return append(t, vocab.Targets()...)
}

func (v v) expectation(i int) {
	e := v.s.Expect[i]
	path := fmt.Sprintf("expect[%d]", i)
	switch k := e.kinds(); len(k) {
	case 0:
		v.add(path, ErrRequired, "say what to expect: one of %s", MeasureKeys())
	case 1:
	default:
		v.add(path, ErrInvalid, "one measure per item (got %s); write one item each", strings.Join(strs(k), ", "))
	}
	events := v.s.eventNames()
	idx := func(name string) int { return slices.Index(events, name) }
	if e.After != "" && idx(e.After) < 0 {
		v.add(path+".after", ErrUnknownName, "no event named %q%s", e.After, strictyaml.DidYouMean(e.After, events))
	}
	if e.Until != "" && idx(e.Until) < 0 {
		v.add(path+".until", ErrUnknownName, "no event named %q%s", e.Until, strictyaml.DidYouMean(e.Until, events))
	}
	if e.After != "" && e.Until != "" && idx(e.After) >= 0 && idx(e.Until) >= 0 && idx(e.Until) <= idx(e.After) {
		v.add(path+".until", ErrInvalid, "%q does not come after %q", e.Until, e.After)
	}
	v.windowFits(path, e)
	if e.Until != "" && e.For != 0 {
		v.add(path+".for", ErrInvalid, "set until or for, not both")
	}
	if e.Within < 0 || e.For < 0 {
		v.add(path, ErrInvalid, "within and for must be ≥ 0")
	}
	if e.ServedBy != "" && !slices.Contains(v.s.Targets(), e.ServedBy) {
		v.add(path+".served_by", ErrUnknownName, "no node or role named %q%s; known: %s",
			e.ServedBy, strictyaml.DidYouMean(e.ServedBy, v.s.Targets()), strings.Join(v.s.Targets(), ", "))
	}
	if e.Stream != "" && !slices.Contains(v.s.StreamNames(), e.Stream) {
		v.add(path+".stream", ErrUnknownName, "no stream named %q%s; known: %s",
			e.Stream, strictyaml.DidYouMean(e.Stream, v.s.StreamNames()), strings.Join(v.s.StreamNames(), ", "))
	}
	if _, ok := v.s.Node(e.NeverEjected); e.NeverEjected != "" && !ok {
		v.add(path+".never_ejected", ErrUnknownName, "no node named %q", e.NeverEjected)
	}
	v.probe(path, e)
	if e.Status != 0 && (e.Status < 100 || e.Status > 599) {
		v.add(path+".status", ErrInvalid, "must be 100-599 (got %d)", e.Status)
	}
	switch {
	case e.Fraction != 0 && e.ServedBy == "" && e.Status == 0:
		v.add(path+".fraction", ErrInvalid, "only with served_by or status")
	case e.Fraction < 0 || e.Fraction > 1:
		v.add(path+".fraction", ErrInvalid, "must be in (0, 1] (got %g)", e.Fraction)
	}
	if e.Latency != nil && len(e.Latency.Quantiles()) == 0 {
		v.add(path+".latency", ErrRequired, "set at least one of p50, p90, p99, max (> 0)")
	}
	for _, m := range Measures {
		v.bound(path+"."+string(m.Measure), bound(m, e))
	}
}

func (v v) bound(path string, b *Bound) {
	switch {
	case b == nil:
	case b.Min == nil && b.Max == nil:
		v.add(path, ErrRequired, "set min, max or both")
	case b.Min != nil && *b.Min < 0, b.Max != nil && *b.Max < 0:
		v.add(path, ErrInvalid, "counts must be ≥ 0")
	case b.Min != nil && b.Max != nil && *b.Min > *b.Max:
		v.add(path, ErrInvalid, "min %d is more than max %d", *b.Min, *b.Max)
	}
}

func (v v) probe(path string, e Expectation) {
	if e.Header != "" && e.Probe == "" {
		v.add(path+".header", ErrInvalid, "only with probe (the ledger keeps no headers)")
	}
	if e.Probe == "" {
		return
	}
	var probes []string
	why := false
	for _, ev := range v.s.Timeline {
		if k := ev.Kind(); k == EventProbe || k == EventWhy {
			probes = append(probes, ev.Name)
			why = why || ev.Name == e.Probe && k == EventWhy
		}
	}
	if !slices.Contains(probes, e.Probe) {
		v.add(path+".probe", ErrUnknownName, "no probe or why event named %q%s", e.Probe, strictyaml.DidYouMean(e.Probe, probes))
	}
	if e.After != "" || e.Until != "" || e.Within != 0 || e.For != 0 || e.Fraction != 0 {
		v.add(path+".probe", ErrInvalid, "a probe is one answer: after, until, within, for and fraction do not apply")
	}
	switch {
	case why && (e.ServedBy != "" || e.Status != 0 || e.Header != ""):
		v.add(path+".probe", ErrInvalid, "a why event reads the proxy's status, not an answer: only cause applies")
	case why && e.Cause == "":
		v.add(path+".cause", ErrRequired, "say what the cause must contain")
	case !why && e.Cause != "":
		v.add(path+".cause", ErrInvalid, "only with the probe of a why event")
	case !why && e.ServedBy == "" && e.Status == 0 && e.Header == "":
		v.add(path+".probe", ErrRequired, "say what the answer must be: served_by, status and/or header")
	}
}

// nextAfter is the timeline event after the named one ("start": the first).
func (s *Scenario) nextAfter(name string) (Event, bool) {
	if name == Start {
		if len(s.Timeline) == 0 {
			return Event{}, false
		}
		return s.Timeline[0], true
	}
	for i, e := range s.Timeline {
		if e.Name == name && i+1 < len(s.Timeline) {
			return s.Timeline[i+1], true
		}
	}
	return Event{}, false
}

// windowFits rejects a window that would hold no request: one that opens
// at or after the end, or closes before it opens.
func (v v) windowFits(path string, e Expectation) {
	at := func(name string) (time.Duration, bool) {
		if name == "" || name == Start {
			return 0, true
		}
		ev, ok := v.s.Event(name)
		return ev.At, ok
	}
	open, ok := at(e.After)
	end := v.s.EndAt()
	if !ok || end == 0 {
		return // reported elsewhere
	}
	open += e.Within
	if open >= end {
		v.add(path+".within", ErrInvalid, "the window opens at %s, not before the end at %s", fmtDuration(open), fmtDuration(end))
		return
	}
	if close, ok := at(e.Until); ok && e.Until != "" && close <= open {
		v.add(path+".until", ErrInvalid, "the window opens at %s, not before %s at %s", fmtDuration(open), e.Until, fmtDuration(close))
	}
	if e.After != "" && e.Until == "" && e.For == 0 {
		if next, ok := v.s.nextAfter(e.After); ok && next.At <= open {
			v.add(path+".after", ErrInvalid, "the window closes at the next event, %s at %s, before it opens at %s: set until or for",
				next.Name, fmtDuration(next.At), fmtDuration(open))
		}
	}
}
