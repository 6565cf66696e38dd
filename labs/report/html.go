package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// Run is everything a report shows about one run.
type Run struct {
	Scenario *scenario.Scenario
	Ledger   *ledger.Ledger
	Results  []expect.Result
	Driver   string // "docker" or "process"
	Load     string // where the load ran and what it reached: "this machine, to http://127.0.0.1:PORT"
	Err      error  // the run itself failed (nothing started, a fault failed, ...)
}

// Pass says whether the run completed and met every expectation.
func (r Run) Pass() bool { return r.Err == nil && len(expect.Failed(r.Results)) == 0 }

// WriteDir writes dir/index.html, dir/ledger.csv, dir/ledger.jsonl,
// dir/timeline.svg (the page's plot as an image of its own, for a README
// or a chat) and, for machines, dir/results.json and dir/junit.xml; it
// returns the path of index.html.
func WriteDir(dir string, r Run) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	var csv, jsonl, page, results, junit bytes.Buffer
	if err := r.Ledger.WriteCSV(&csv); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	if err := r.Ledger.WriteJSONL(&jsonl); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	if err := HTML(&page, r); err != nil {
		return "", err
	}
	if err := WriteResults(&results, r); err != nil {
		return "", err
	}
	if err := JUnit(&junit, r); err != nil {
		return "", err
	}
	files := map[string][]byte{"ledger.csv": csv.Bytes(), "ledger.jsonl": jsonl.Bytes(), "index.html": page.Bytes(),
		"results.json": results.Bytes(), "junit.xml": junit.Bytes(), "timeline.svg": TimelineSVG(r)}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return "", fmt.Errorf("report: %w", err)
		}
	}
	return filepath.Join(dir, "index.html"), nil
}

// TimelineSVG is the report's timeline plot as a standalone SVG file, on
// a white background so that it reads on dark pages too.
func TimelineSVG(r Run) []byte {
	plot := timeline(r.Scenario, r.Ledger, r.Results)
	head, rest, _ := strings.Cut(plot, ">")
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + head + `><rect width="100%" height="100%" fill="#fff"/>` + rest + "\n")
}

// HTML writes the self-contained report page: no script, no external
// resource; the ledger is embedded as a download link.
func HTML(w io.Writer, r Run) error {
	var csv bytes.Buffer
	if err := r.Ledger.WriteCSV(&csv); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	s := r.Scenario
	type expRow struct {
		expect.Result
		Text, Figure, Failure string
	}
	var exps []expRow
	for _, res := range r.Results {
		e := expRow{Result: res, Text: res.Expectation.String()}
		if res.HasFigure {
			e.Figure = res.Figure.Round(time.Millisecond).String()
		}
		if !res.Pass {
			e.Failure = Failure(s, r.Ledger, res)
		}
		exps = append(exps, e)
	}
	data := map[string]any{
		"S":       s,
		"Pass":    r.Pass(),
		"Err":     r.Err,
		"Driver":  r.Driver,
		"Load":    r.Load,
		"Kind":    s.Proxy.Label(),
		"Rows":    len(r.Ledger.Rows()),
		"Start":   expect.TimesOf(s, r.Ledger).Start.UTC().Format(time.RFC3339),
		"Exps":    exps,
		"Plot":    template.HTML(timeline(s, r.Ledger, r.Results)), // built from escaped parts
		"CSV":     template.URL("data:text/csv;base64," + base64.StdEncoding.EncodeToString(csv.Bytes())),
		"Colours": classColour,
	}
	if err := page.Execute(w, data); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

var page = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{{.S.Name}} — {{if .Pass}}pass{{else}}FAIL{{end}}</title>
<style>
body { font: 14px/1.4 sans-serif; margin: 2em; color: #222; }
h1 { font-size: 20px; margin-bottom: 0; }
.verdict { display: inline-block; padding: 2px 10px; border-radius: 3px; color: #fff; font-weight: bold; }
.pass { background: #2e9e44; } .fail { background: #d33a2c; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; vertical-align: top; }
pre { background: #f6f6f6; padding: 8px; overflow-x: auto; font-size: 12px; }
.legend span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; }
</style></head><body>
<h1>{{.S.Name}} <span class="verdict {{if .Pass}}pass">pass{{else}}fail">FAIL{{end}}</span></h1>
<p>{{.S.About}}</p>
<p>{{.S.File}} · proxy {{.Kind}} · driver {{.Driver}}{{with .Load}} · load from {{.}}{{end}} · started {{.Start}} · {{.Rows}} requests at {{.S.Load.Rate}} ·
<a download="{{.S.Name}}-ledger.csv" href="{{.CSV}}">ledger (CSV)</a> · <a href="ledger.jsonl">ledger (JSON lines)</a></p>
{{with .Err}}<pre>run failed: {{.}}</pre>{{end}}
<h2>Timeline</h2>
<div class="legend">{{range $k, $v := .Colours}}<span style="background: {{$v}}"></span>{{$k}}{{end}}
· a tick per request in the lane of whoever answered; shaded: a fault in force; orange bar: the window of a failed expectation; dots: latency</div>
{{.Plot}}
<h2>Expectations</h2>
<table><tr><th></th><th>line</th><th>expectation</th><th>measured</th><th>figure</th></tr>
{{range .Exps}}<tr><td><span class="verdict {{if .Pass}}pass">ok{{else}}fail">FAIL{{end}}</span></td>
<td>{{.Pos.Line}}</td><td><code>{{.Text}}</code></td><td>{{.Measured}}</td><td>{{.Figure}}</td></tr>
{{end}}</table>
{{range .Exps}}{{if .Failure}}<pre>{{.Failure}}</pre>{{end}}{{end}}
</body></html>
`))
