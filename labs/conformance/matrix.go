// Package conformance is the matrix `lab conform` writes: the scenario
// library run in front of every proxy kind, one cell per scenario and kind.
//
//	             builtin          apache           nginx    haproxy
//	crash        pass · 0 errors  FAIL 1 of 3 ...  ...      ...
//	seed-story   ...
//
// A cell is the verdict of one run (pass, FAIL, error: the run could not
// be made, skipped: the driver or kind refuses the scenario) with the
// run's own figures: client errors over the whole run, and the failover
// and failback times its served_by expectations measured. Nothing here
// runs anything; cells are made from finished runs (CellOf) or from a
// refusal (Skip), and rendered as Markdown or HTML.
package conformance

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/report"
	"github.com/failover-lab/failover-lab/labs/scenario"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// Verdict is how one scenario went in front of one kind.
type Verdict string

// The verdicts of a cell.
const (
	Pass    Verdict = "pass"
	Fail    Verdict = "FAIL"    // the run completed; an expectation failed
	Error   Verdict = "error"   // the run could not be made: a node did not start, a fault failed ...
	Skipped Verdict = "skipped" // refused before anything started (drivers.Supports)
	// NotJudged: every failed expectation's window held no request (the
	// lab's timing); never counted against the proxy.
	NotJudged Verdict = "not judged"
)

// Matrix is one invocation of lab conform.
type Matrix struct {
	Command   string    // "lab conform -driver process", shown with the table
	Driver    string    // the driver every run used
	Generated time.Time // when the matrix was written
	// Columns name the proxies, in order: kinds (builtin, nginx) and
	// proxies given by file (their name: caddy).
	Columns []string
	Rows    []Row // the scenarios, in order
}

// Row is one scenario across the proxies.
type Row struct {
	Scenario string
	About    string
	Cells    []Cell // one per Matrix.Columns, in its order
}

// Cell is one run, or the reason there was none.
type Cell struct {
	Verdict Verdict
	// Why says why a cell is not a pass: the reason of a skip or an error,
	// the names of the failed expectations of a FAIL ("; "-joined).
	Why          string
	Failed       int // expectations that failed
	Expectations int // expectations evaluated
	ClientErrors int // requests a client saw fail over the whole run (report.RequestSummary.ClientErrors)
	Failover     Figure
	Failback     Figure
	// Report is the run's index.html, relative to the folder of the
	// matrix; "" for a skipped cell.
	Report string
}

// Figure is a failover or failback time as one run measured it.
type Figure struct {
	Measured bool // the scenario has such an expectation, and the run evaluated it
	Settled  bool // the answers settled on the target; else they never did within its window
	Time     time.Duration
}

// String is "—" (not measured), "never" or the time: "12ms", "1.21s".
func (f Figure) String() string {
	ms := f.Time.Round(time.Millisecond)
	switch {
	case !f.Measured:
		return "—"
	case !f.Settled:
		return "never"
	case ms < time.Second:
		return fmt.Sprintf("%dms", ms.Milliseconds())
	}
	return fmt.Sprintf("%.2fs", f.Time.Seconds())
}

// Skip is the cell of a scenario the driver or kind refuses. A position in
// the file ("scenarios/x.yaml:5:10: ") is left out: the row names the file.
func Skip(reason error) Cell {
	return Cell{Verdict: Skipped, Why: filePos.ReplaceAllString(firstLine(reason.Error()), "")}
}

// filePos is the "file:line:col: " that starts an error of a scenario file.
var filePos = regexp.MustCompile(`^\S+:\d+:\d+: `)

// CellOf is the cell of a finished run whose report is at reportPath
// (relative to the matrix's folder).
func CellOf(r report.Run, reportPath string) Cell {
	c := Cell{Verdict: Pass, Report: reportPath, Expectations: len(r.Results),
		ClientErrors: report.ResultsOf(r).Requests.ClientErrors}
	c.Failover, c.Failback = figures(r.Scenario, r.Results)
	var failed, unjudged []string
	for _, res := range expect.Failed(r.Results) {
		if res.NotJudged {
			unjudged = append(unjudged, res.Name())
			continue
		}
		failed = append(failed, res.Name())
	}
	c.Failed = len(failed)
	switch {
	case r.Err != nil:
		c.Verdict, c.Why = Error, firstLine(r.Err.Error())
	case len(failed) > 0:
		c.Verdict, c.Why = Fail, strings.Join(failed, "; ")
	case len(unjudged) > 0:
		c.Verdict, c.Why = NotJudged, "the window held no request: "+strings.Join(unjudged, "; ")
	}
	return c
}

// figures picks the failover and failback times of a run. Failover: the
// figure of the first served_by expectation measured after a fault event
// whose target is not the broken node itself; failback: of the first
// measured after a clear event. Only expectations that want every answer
// from a node or role count: a fraction never settles on one target, and
// the proxy's own answers are no failover.
func figures(s *scenario.Scenario, results []expect.Result) (failover, failback Figure) {
	for _, res := range results {
		e := res.Expectation
		if e.Kind() != scenario.MeasureServedBy || e.ServedBy == "" || e.ServedBy == vocab.ServedByProxy || (e.Fraction != 0 && e.Fraction != 1) {
			continue
		}
		ev, ok := s.Event(e.After)
		if !ok {
			continue
		}
		var f *Figure
		switch {
		case ev.Kind() == scenario.EventFault && ev.Fault.Node != e.ServedBy:
			f = &failover
		case ev.Kind() == scenario.EventClear:
			f = &failback
		default:
			continue
		}
		if !f.Measured {
			*f = Figure{Measured: true, Settled: res.HasFigure, Time: res.Figure}
		}
	}
	return failover, failback
}

// Tally counts a kind's column: passes out of the runs made, and skips.
type Tally struct{ Pass, Ran, Skipped int }

// Tally counts the column of kind i.
func (m *Matrix) Tally(i int) Tally {
	var t Tally
	for _, r := range m.Rows {
		switch r.Cells[i].Verdict {
		case Skipped, NotJudged:
			t.Skipped++ // not a verdict on the proxy
		case Pass:
			t.Pass++
			t.Ran++
		default:
			t.Ran++
		}
	}
	return t
}

// String is "18 of 23 pass, 2 skipped".
func (t Tally) String() string {
	s := fmt.Sprintf("%d of %d pass", t.Pass, t.Ran)
	if t.Skipped > 0 {
		s += fmt.Sprintf(", %d skipped", t.Skipped)
	}
	return s
}

// firstLine keeps an error's first line: a cell is no place for a log.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
