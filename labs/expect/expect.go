package expect

import (
	"fmt"
	"sort"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// Result is the verdict on one expectation.
type Result struct {
	Index       int // in the scenario's expect list
	Expectation scenario.Expectation
	Pos         scenario.Pos // where it is written
	Pass        bool
	// NotJudged says the window held no request: the result fails, but
	// for the lab's timing, not the proxy's doing.
	NotJudged bool
	// Measured says what the run did, in words and figures:
	// "3 client errors (2× 500 from service, 1× reset); want at most 0".
	Measured string
	// Figure is the headline duration of a served_by expectation: how long
	// after its event the answers settled on the target (failover or
	// failback time). Valid when HasFigure.
	Figure    time.Duration
	HasFigure bool
	Window    Window
	// Focus is the moment worth looking at: the first request that broke
	// the expectation (zero when none did).
	Focus time.Time
}

// Name is the expectation's label: its name, else its text.
func (r Result) Name() string {
	if r.Expectation.Name != "" {
		return r.Expectation.Name
	}
	return r.Expectation.String()
}

// Evaluate judges every expectation of s over the ledger l.
func Evaluate(s *scenario.Scenario, l *ledger.Ledger) []Result {
	rows := BySent(l.Rows())
	t := TimesOf(s, l)
	out := make([]Result, len(s.Expect))
	for i, e := range s.Expect {
		r := Result{Index: i, Expectation: e, Pos: s.Pos(fmt.Sprintf("expect[%d]", i))}
		rows := ofStream(rows, e.Stream)
		w, err := WindowOf(s, e, t, rows)
		if err != nil {
			r.Measured = err.Error()
			out[i] = r
			continue
		}
		r.Window = w
		if judge, ok := judges[e.Kind()]; ok { // validation wants one measure
			judge(&r, judging{c: classifier{s: s}, l: l, all: rows, in: inWindow(rows, w), t: t})
		}
		out[i] = r
	}
	return out
}

// judging is what a judge reads: the scenario's classifier, the ledger,
// the rows of the expectation's stream and those of its window, the event
// times.
type judging struct {
	c       classifier
	l       *ledger.Ledger
	all, in []ledger.Row
	t       Times
}

// judges evaluate each measure of scenario.Measures (a test keeps the two
// equal): a new measure is a row there and a judge here.
var judges = map[scenario.Measure]func(r *Result, j judging){
	scenario.MeasureClientErrors: func(r *Result, j judging) { j.c.clientErrors(r, j.in) },
	scenario.MeasureErrorPage:    func(r *Result, j judging) { j.c.errorPage(r, j.in) },
	scenario.MeasureServedBy:     func(r *Result, j judging) { j.c.servedBy(r, j.all, j.in, j.t) },
	scenario.MeasureFlaps:        func(r *Result, j judging) { j.c.flaps(r, j.in, j.t) },
	scenario.MeasureLatency:      func(r *Result, j judging) { latency(r, j.in) },
	scenario.MeasureProbe:        func(r *Result, j judging) { probe(r, j.c.s, j.l) },
	scenario.MeasureNeverEjected: func(r *Result, j judging) { neverEjected(r, j.in, j.t) },
	scenario.MeasureRequests: func(r *Result, j judging) {
		b := *r.Expectation.Requests
		r.Pass = b.Check(len(j.in))
		r.Measured = fmt.Sprintf("%d requests%s", len(j.in), want(r.Pass, b))
	},
}

// Failed returns the results that did not pass.
func Failed(rs []Result) []Result {
	var f []Result
	for _, r := range rs {
		if !r.Pass {
			f = append(f, r)
		}
	}
	return f
}

// BySent orders rows by the time they were sent.
func BySent(rows []ledger.Row) []ledger.Row {
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Sent.Before(rows[j].Sent) })
	return rows
}

func inWindow(rows []ledger.Row, w Window) []ledger.Row {
	var in []ledger.Row
	for _, r := range rows {
		if w.Contains(r.Sent) {
			in = append(in, r)
		}
	}
	return in
}

// want writes "; want at most 0" after a failing count.
func want(pass bool, b scenario.Bound) string {
	if pass {
		return ""
	}
	switch {
	case b.Min != nil && b.Max != nil:
		return fmt.Sprintf("; want %d to %d", *b.Min, *b.Max)
	case b.Min != nil:
		return fmt.Sprintf("; want at least %d", *b.Min)
	case b.Max != nil:
		return fmt.Sprintf("; want at most %d", *b.Max)
	}
	return ""
}
