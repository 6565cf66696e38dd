package explore

import (
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/scenario"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// Coverage counts the steps the search ran: fault kind × the role of the
// node it broke × whether it overlapped a step on another node. Every
// kind the search may draw has a row, drawn or not.
type Coverage struct {
	Kinds   []string
	Columns []string         // "primary alone", "primary overlapping", ...
	Counts  map[string][]int // kind → one count per column
}

func coverageColumns() []string {
	var cols []string
	for _, role := range vocab.Targets() {
		for _, o := range []string{"alone", "overlapping"} {
			cols = append(cols, role+" "+o)
		}
	}
	return cols
}

// CoverageOf tallies the outcomes' plans (runs the lab could not make count
// for nothing).
func CoverageOf(s *scenario.Scenario, sr Search, outs []Outcome) Coverage {
	c := Coverage{Columns: coverageColumns(), Counts: map[string][]int{}}
	for _, k := range sr.Kinds {
		c.Kinds = append(c.Kinds, k.ID())
	}
	if sr.Reload {
		c.Kinds = append(c.Kinds, ReloadKind)
	}
	for _, k := range c.Kinds {
		c.Counts[k] = make([]int, len(c.Columns))
	}
	for _, o := range outs {
		if o.Verdict == CannotRun {
			continue
		}
		for i, st := range o.Plan.Steps {
			role := vocab.ServedByProxy
			if n, ok := s.Node(st.Node); ok {
				role = string(n.Role)
			}
			lap := "alone"
			for j, other := range o.Plan.Steps {
				if i != j && other.Node != st.Node && overlap(st, other, o.Plan.Length) {
					lap = "overlapping"
				}
			}
			idx := slices.Index(c.Columns, role+" "+lap)
			if _, ok := c.Counts[st.Kind]; !ok {
				c.Kinds = append(c.Kinds, st.Kind)
				c.Counts[st.Kind] = make([]int, len(c.Columns))
			}
			c.Counts[st.Kind][idx]++
		}
	}
	return c
}

// Text writes the table for a terminal.
func (c Coverage) Text(w io.Writer) {
	width := len("fault kind")
	for _, k := range c.Kinds {
		width = max(width, len(k))
	}
	fmt.Fprintf(w, "%-*s", width+2, "fault kind")
	for _, col := range c.Columns {
		fmt.Fprintf(w, " %*s", len(col), col)
	}
	fmt.Fprintln(w)
	for _, k := range c.Kinds {
		fmt.Fprintf(w, "%-*s", width+2, k)
		for i, col := range c.Columns {
			fmt.Fprintf(w, " %*d", len(col), c.Counts[k][i])
		}
		fmt.Fprintln(w)
	}
}

// Text writes the search's summary for a terminal.
func (s Summary) Text(w io.Writer) {
	fmt.Fprintf(w, "\nexplore %s: seed %d, %d runs in %s: %d passed, %d violated, %d not judged (a window held no request), %d could not run\n\n",
		s.Search.Topology.Name, s.Seed, len(s.Outcomes), s.Took.Round(time.Second),
		s.Count(Passed), s.Count(Violated), s.Count(NotJudged), s.Count(CannotRun))
	s.Coverage.Text(w)
	if len(s.Violations) == 0 {
		fmt.Fprintln(w, "\nno invariant violated")
		return
	}
	for _, v := range s.Violations {
		fmt.Fprintf(w, "\nVIOLATED %s (run %d, report %s)\n  %s\n", v.Invariant, v.Outcome.N, v.Outcome.Report, v.Measured)
		switch {
		case !v.Shrunk:
			fmt.Fprintf(w, "  not shrunk (-no-shrink); the timeline:\n")
		case v.Reproduced:
			fmt.Fprintf(w, "  shrunk from %d to %d events in %d candidates:\n", len(v.Outcome.Plan.Steps), len(v.Minimal.Steps), v.Tries)
		default:
			fmt.Fprintf(w, "  not reproduced in 2 more runs (noise?); the original timeline:\n")
		}
		for _, l := range strings.Split(strings.TrimSpace(v.Minimal.String()), "\n") {
			fmt.Fprintf(w, "    %s\n", l)
		}
		if v.File != "" {
			fmt.Fprintf(w, "  scenario: %s\n", v.File)
		}
	}
}

// HTML writes reports/explore/index.html: the runs, the coverage table,
// each violation with its minimal YAML and a link to its run's report.
func HTML(w io.Writer, s Summary) error {
	return page.Execute(w, map[string]any{"S": s, "Passed": s.Count(Passed), "Violated": s.Count(Violated),
		"NotJudged": s.Count(NotJudged), "CannotRun": s.Count(CannotRun), "Took": s.Took.Round(time.Second),
		"Invariants": Invariants})
}

var page = template.Must(template.New("explore").Funcs(template.FuncMap{
	"str": func(b []byte) string { return string(b) },
	"at":  func(c Coverage, k string, i int) int { return c.Counts[k][i] },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>lab explore {{.S.Search.Topology.Name}}: {{len .S.Violations}} violations</title>
<style>
body { font: 14px/1.4 sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; vertical-align: top; }
td.n { text-align: right; } td.zero { color: #bbb; text-align: right; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; }
.VIOLATED, .error { color: #d33a2c; font-weight: bold; } .pass { color: #2e9e44; }
</style></head><body>
<h1>lab explore {{.S.Search.Topology.Name}}</h1>
<p><code>{{.S.Command}}</code> — seed {{.S.Seed}}, {{len .S.Outcomes}} runs in {{.Took}}:
{{.Passed}} passed, {{.Violated}} violated, {{.NotJudged}} not judged (a window held no request), {{.CannotRun}} could not run.</p>
<h2>Violations</h2>
{{range .S.Violations}}<h3>{{.Invariant}} — run {{.Outcome.N}}{{with .Outcome.Report}} (<a href="{{.}}">report</a>){{end}}</h3>
<p>{{.Measured}}</p>
<p>{{if not .Shrunk}}Not shrunk (-no-shrink).{{else if .Reproduced}}Shrunk from {{len .Outcome.Plan.Steps}} to {{len .Minimal.Steps}} events ({{.Tries}} candidates, each failing 2 runs in a row).{{else}}Not reproduced in 2 more runs: the original timeline.{{end}}
{{with .File}}Minimal scenario: <a href="{{.}}">{{.}}</a> (<code>lab run</code> it).{{end}}</p>
<pre>{{str .YAML}}</pre>
{{else}}<p>No invariant was violated.</p>{{end}}
<h2>Coverage</h2>
<table><tr><th>fault kind</th>{{range .S.Coverage.Columns}}<th>{{.}}</th>{{end}}</tr>
{{$c := .S.Coverage}}{{range $k := $c.Kinds}}<tr><td>{{$k}}</td>{{range $i, $col := $c.Columns}}{{$n := at $c $k $i}}<td class="{{if $n}}n{{else}}zero{{end}}">{{$n}}</td>{{end}}</tr>
{{end}}</table>
<h2>Runs</h2>
<table><tr><th>run</th><th>verdict</th><th>timeline</th><th>why</th></tr>
{{range .S.Outcomes}}<tr><td>{{.N}}{{with .Report}} <a href="{{.}}">report</a>{{end}}</td><td class="{{.Verdict}}">{{.Verdict}}</td><td><pre>{{.Plan}}</pre></td><td>{{.Why}}</td></tr>
{{end}}</table>
<h2>Invariants</h2>
<ul>{{range .Invariants}}<li><b>{{.ID}}</b>: {{.Doc}}</li>{{end}}</ul>
</body></html>
`))
