package expect

import (
	"fmt"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// Window is the stretch of the run an expectation looks at: requests sent
// in [From, To). Event is when the window's event (After) happened; it is
// From without the grace of Within.
type Window struct {
	Event    time.Time
	From, To time.Time
	Label    string // "broken+100ms .. fixed"
}

// Contains says whether t falls in the window.
func (w Window) Contains(t time.Time) bool { return !t.Before(w.From) && t.Before(w.To) }

// Times are the moments of a run: its start and every timeline event that
// happened, by event name, as marked once in effect.
type Times struct {
	Start  time.Time
	Events map[string]time.Time
	// due is when each event was due (start + at): the runner begins it
	// then, so its effect can show a little before its mark.
	due map[string]time.Time
}

// closing is when a window that ends at the named event closes: the
// earlier of its due time and its mark, so that nothing the event caused
// falls inside the window before it.
func (t Times) closing(name string) (time.Time, bool) {
	at, ok := t.Events[name]
	if due, dok := t.due[name]; ok && dok && due.Before(at) {
		at = due
	}
	return at, ok
}

// TimesOf reads the event times of a run from its ledger marks.
func TimesOf(s *scenario.Scenario, l *ledger.Ledger) Times {
	t := Times{Start: l.Start(), Events: map[string]time.Time{}, due: map[string]time.Time{}}
	if m, ok := l.FindMark(scenario.Start, ledger.MarkEvent); ok {
		t.Start = m.At
	}
	t.Events[scenario.Start] = t.Start
	for _, e := range s.Timeline {
		t.due[e.Name] = t.Start.Add(e.At)
		name, kind := e.Name, ledger.MarkEvent
		switch e.Kind() {
		case scenario.EventFault:
			kind = ledger.MarkApply
		case scenario.EventClear:
			name, kind = e.Clear, ledger.MarkClear
		}
		if m, ok := l.FindMark(name, kind); ok {
			t.Events[e.Name] = m.At
		}
	}
	return t
}

// Rel is t as an offset from the start: "+3.002s".
func (t Times) Rel(at time.Time) string { return Rel(at.Sub(t.Start)) }

// Rel writes an offset as "+3.002s".
func Rel(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	return fmt.Sprintf("%s%.3fs", sign, d.Seconds())
}

// end is when the run ended: the end event, else just after the last
// request was sent.
func (t Times) end(s *scenario.Scenario, rows []ledger.Row) time.Time {
	for _, e := range s.Timeline {
		if at, ok := t.closing(e.Name); ok && e.End {
			return at
		}
	}
	end := t.Start
	for _, r := range rows {
		if r.Sent.After(end) {
			end = r.Sent.Add(time.Nanosecond)
		}
	}
	return end
}

// WindowOf resolves the window of e, or says which event never happened.
func WindowOf(s *scenario.Scenario, e scenario.Expectation, t Times, rows []ledger.Row) (Window, error) {
	end := t.end(s, rows)
	if e.After == "" {
		w := Window{Event: t.Start, From: t.Start.Add(e.Within), To: end, Label: "whole run"}
		if e.Within > 0 {
			w.Label = "start+" + fmtDur(e.Within) + " .. end"
		}
		if e.For > 0 {
			w.To = w.From.Add(e.For)
			w.Label = fmt.Sprintf("start+%s for %s", fmtDur(e.Within), fmtDur(e.For))
		}
		return w, nil
	}
	at, ok := t.Events[e.After]
	if !ok {
		return Window{}, fmt.Errorf("event %q never happened", e.After)
	}
	w := Window{Event: at, From: at.Add(e.Within), Label: e.After}
	if e.Within > 0 {
		w.Label += "+" + fmtDur(e.Within)
	}
	switch {
	case e.Until != "":
		to, ok := t.closing(e.Until)
		if !ok {
			return Window{}, fmt.Errorf("event %q never happened", e.Until)
		}
		w.To, w.Label = to, w.Label+" .. "+e.Until
	case e.For > 0:
		w.To, w.Label = w.From.Add(e.For), w.Label+" for "+fmtDur(e.For)
	default:
		next := nextEvent(s, e.After)
		w.To, w.Label = end, w.Label+" .. end"
		if to, ok := t.closing(next); ok && next != "" {
			w.To, w.Label = to, w.Label[:len(w.Label)-len("end")]+next
		}
	}
	if w.To.After(end) {
		w.To = end
	}
	return w, nil
}

// nextEvent names the timeline event after the named one ("" at the end).
func nextEvent(s *scenario.Scenario, name string) string {
	if name == scenario.Start && len(s.Timeline) > 0 {
		return s.Timeline[0].Name
	}
	for i, e := range s.Timeline {
		if e.Name == name && i+1 < len(s.Timeline) {
			return s.Timeline[i+1].Name
		}
	}
	return ""
}

func fmtDur(d time.Duration) string {
	s := d.String()
	if len(s) > 4 && s[len(s)-4:] == "m0s" {
		s = s[:len(s)-2]
	}
	return s
}
