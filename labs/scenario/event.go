package scenario

import "strings"

// EventKind is what an event does. The kinds are a closed set: EventKinds
// is its one table, which Event.Kind, validation, the runner and the docs
// listing (docs/scenarios.md) loop over.
type EventKind string

// The event kinds.
const (
	EventFault  EventKind = "fault"
	EventClear  EventKind = "clear"
	EventProbe  EventKind = "probe"
	EventReload EventKind = "reload"
	EventWhy    EventKind = "why"
	EventMark   EventKind = "mark" // none of the others: a plain named mark
	EventEnd    EventKind = "end"
)

// Start names the start of the load: the ledger's first mark, and the
// event an expectation's after may name without the timeline having it.
const Start = "start"

// EventKindDef is one row of EventKinds.
type EventKindDef struct {
	Kind EventKind
	// Set says whether e is of this kind (its key is set); nil for
	// EventMark, which is what an event setting none of them is.
	Set func(e Event) bool
	// Written is how the event is written, for the docs.
	Written string
	// Doc says what it does, for the docs.
	Doc string
}

// EventKinds is the table of what an event can do, in the order messages
// and docs name them.
var EventKinds = []EventKindDef{
	{EventFault, func(e Event) bool { return e.Fault != nil }, "`{at, name, fault: {node, http \\| container \\| network \\| tls}}`",
		"break one node; `name` is required"},
	{EventClear, func(e Event) bool { return e.Clear != "" }, "`{at, name?, clear: FAULT}`",
		"undo the fault of that earlier event; name defaults to `clear-FAULT`"},
	{EventProbe, func(e Event) bool { return e.Probe != "" }, "`{at, name, probe: PATH}`",
		"one GET through the proxy (2 s timeout); its status, answerer and headers are kept for a `probe` expectation"},
	{EventReload, func(e Event) bool { return e.Reload }, "`{at, name, reload: true}`",
		"the proxy re-reads its unchanged config: `POST /reload` on the builtin proxy's admin, or the proxy's `reload_signal` (your own config: `SIGHUP` for nginx, `SIGUSR1` for Apache)"},
	{EventWhy, func(e Event) bool { return e.Why != "" }, "`{at, name, why: NODE}`",
		"`GET /status` on the proxy's admin (builtin only): the node's member state and the cause of its last transition (its why-timeline) are kept for a `probe` expectation with `cause`"},
	{EventMark, nil, "`{at, name}`", "a plain mark, for windows"},
	{EventEnd, func(e Event) bool { return e.End }, "`{at, end: true}`", "the load stops; the last event; named `end`"},
}

// Kind is what the event does: the kind of EventKinds it sets, or
// EventMark.
func (e Event) Kind() EventKind {
	for _, k := range EventKinds {
		if k.Set != nil && k.Set(e) {
			return k.Kind
		}
	}
	return EventMark
}

// kindsSet lists the kinds e sets (more than one is an error), and every
// kind an event may set.
func (e Event) kindsSet() (set, all []string) {
	for _, k := range EventKinds {
		if k.Set == nil {
			continue
		}
		all = append(all, string(k.Kind))
		if k.Set(e) {
			set = append(set, string(k.Kind))
		}
	}
	return set, all
}

// EventsTable is the docs' listing of the events (docs/scenarios.md), a
// Markdown table made from EventKinds.
func EventsTable() string {
	var b strings.Builder
	b.WriteString("| event | what |\n|---|---|\n")
	for _, k := range EventKinds {
		b.WriteString("| " + k.Written + " | " + k.Doc + " |\n")
	}
	return b.String()
}
