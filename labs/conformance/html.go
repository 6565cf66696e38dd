package conformance

import (
	"fmt"
	"html/template"
	"io"
	"net/url"
	"path"
	"time"
)

// HTML writes reports/conformance/index.html: the matrix as a
// self-contained page (no script, no resource), each cell coloured by its
// verdict and linked to its run's report, relative to the page.
func (m *Matrix) HTML(w io.Writer) error {
	var tallies []Tally
	for i := range m.Columns {
		tallies = append(tallies, m.Tally(i))
	}
	data := map[string]any{"M": m, "Tallies": tallies, "Legend": legend,
		"Generated": m.Generated.UTC().Format(time.RFC3339)}
	if err := matrixPage.Execute(w, data); err != nil {
		return fmt.Errorf("conformance: html: %w", err)
	}
	return nil
}

var matrixPage = template.Must(template.New("matrix").Funcs(template.FuncMap{
	"errorCount": errorCount,
	"href":       func(rel string) string { return (&url.URL{Path: path.Clean(rel)}).EscapedPath() },
	"class": func(v Verdict) string {
		return map[Verdict]string{Pass: "pass", Fail: "fail", Error: "error", Skipped: "skipped", NotJudged: "skipped"}[v]
	},
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>failover-lab conformance — {{.M.Driver}} driver</title>
<style>
body { font: 14px/1.4 sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
td.pass { background: #e3f4e6; } td.fail { background: #fbe3e0; } td.error { background: #fbeed0; } td.skipped { background: #eee; color: #666; }
.verdict { font-weight: bold; } small { color: #555; }
</style></head><body>
<h1>failover-lab conformance: the scenario library in front of each proxy kind</h1>
<p>{{.M.Driver}} driver · generated {{.Generated}} · <code>{{.M.Command}}</code></p>
<table><tr><th>scenario</th>{{range .M.Columns}}<th>{{.}}</th>{{end}}</tr>
{{range .M.Rows}}<tr><td>{{.Scenario}}<br><small>{{.About}}</small></td>
{{range .Cells}}<td class="{{class .Verdict}}">{{if .Report}}<a class="verdict" href="{{href .Report}}">{{.Verdict}}</a>{{else}}<span class="verdict">{{.Verdict}}</span>{{end}}
{{- if eq .Verdict "FAIL"}} {{.Failed}} of {{.Expectations}}{{end}}
{{- if or (eq .Verdict "pass") (eq .Verdict "FAIL")}}<br>{{errorCount .ClientErrors}}{{if .Failover.Measured}}<br>failover {{.Failover}}{{end}}{{if .Failback.Measured}}<br>failback {{.Failback}}{{end}}{{end}}
{{- with .Why}}<br><small>{{.}}</small>{{end}}</td>
{{end}}</tr>
{{end}}<tr><th>total</th>{{range .Tallies}}<th>{{.}}</th>{{end}}</tr>
</table>
<p><small>{{.Legend}}</small></p>
</body></html>
`))
