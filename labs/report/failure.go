package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// Failure explains one failed expectation: where it is written, what was
// measured, and the ASCII timeline of its window around the moment that
// broke it:
//
//	scenarios/x.yaml:16: expect[2] {after: fixed, within: 1500ms, served_by: service} failed
//	  measured: 160 of 174 answers from service (92.0%, want 100%); ...
//	  window:   fixed+1.5s .. end (+16.503s .. +20.000s)
//	     time   service failover proxy err │ 2xx 3xx 4xx 5xx │ slowest
//	  ...
func Failure(s *scenario.Scenario, l *ledger.Ledger, r expect.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: expect[%d] %s failed\n", s.File, r.Pos.Line, r.Index, r.Expectation.String())
	fmt.Fprintf(&b, "  measured: %s\n", r.Measured)
	w := r.Window
	if w.To.IsZero() {
		return b.String() // the window never opened: nothing to draw
	}
	t := expect.TimesOf(s, l)
	fmt.Fprintf(&b, "  window:   %s (%s .. %s)\n", w.Label, t.Rel(w.From), t.Rel(w.To))
	from, to := Around(w, r.Focus)
	from = align(t, from)
	if from.After(w.Event.Add(-Step)) || to.Before(w.To) {
		fmt.Fprintf(&b, "  showing %s .. %s, per %s:\n", t.Rel(from), t.Rel(to), Step)
	}
	notes := []ledger.Mark{{At: w.From, Name: "┄ window opens"}, {At: w.To, Name: "┄ window closes"}}
	if !r.Focus.IsZero() {
		notes = append(notes, ledger.Mark{At: r.Focus, Name: "✗ first miss"})
	}
	for _, line := range strings.SplitAfter(ASCII(s, l, from, to, notes...), "\n") {
		if line != "" {
			b.WriteString("  " + line)
		}
	}
	return b.String()
}

// Around picks the stretch worth drawing: from just before the window's
// event, or around the focus when that is far into the window, at most
// maxLines long, a little past the window's end when it fits.
func Around(w expect.Window, focus time.Time) (from, to time.Time) {
	from = w.Event.Add(-5 * Step)
	if !focus.IsZero() && focus.Sub(from) > (maxLines-10)*Step {
		from = focus.Add(-10 * Step)
	}
	to = w.To.Add(3 * Step)
	if to.Sub(from) > maxLines*Step {
		to = from.Add(maxLines * Step)
	}
	return from, to
}
