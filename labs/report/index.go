package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// IndexEntry is one scenario run on the index page: its results and the
// directory of its report, relative to the page.
type IndexEntry struct {
	Results Results
	Dir     string // "primary-answers-500": links go to Dir/index.html, Dir/results.json, Dir/junit.xml
}

// Index writes reports/index.html: every scenario of a run with its
// verdict, proxy kind, driver, failed expectations and links to its
// report. Self-contained like the report pages (no script, no resource).
func Index(w io.Writer, generated time.Time, entries []IndexEntry) error {
	failed := 0
	for _, e := range entries {
		if !e.Results.Pass {
			failed++
		}
	}
	data := map[string]any{"Entries": entries, "Failed": failed, "Passed": len(entries) - failed,
		"Generated": generated.UTC().Format(time.RFC3339)}
	if err := indexPage.Execute(w, data); err != nil {
		return fmt.Errorf("report: index: %w", err)
	}
	return nil
}

// Dirs are path-escaped: a "?" or "#" in a name stays part of the path.
var indexPage = template.Must(template.New("index").Funcs(template.FuncMap{"path": url.PathEscape}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>failover-lab — {{.Passed}} passed, {{.Failed}} failed</title>
<style>
body { font: 14px/1.4 sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; vertical-align: top; }
.verdict { display: inline-block; padding: 2px 10px; border-radius: 3px; color: #fff; font-weight: bold; }
.pass { background: #2e9e44; } .fail { background: #d33a2c; }
</style></head><body>
<h1>failover-lab: {{.Passed}} passed, {{.Failed}} failed</h1>
<p>generated {{.Generated}}</p>
<table><tr><th></th><th>scenario</th><th>proxy</th><th>driver</th><th>requests</th><th>failed expectations</th><th></th></tr>
{{range .Entries}}{{with .Results}}<tr><td><span class="verdict {{if .Pass}}pass">pass{{else}}fail">FAIL{{end}}</span></td>
<td>{{.Scenario}}<br><small>{{.About}}</small></td><td>{{.ProxyKind}}</td><td>{{.Driver}}</td><td>{{.Requests.Total}}</td>
<td>{{with .Error}}run failed: {{.}}<br>{{end}}{{range .Expectations}}{{if not .Pass}}line {{.Line}}: {{.Name}} — {{.Measured}}<br>{{end}}{{end}}</td>
{{end}}<td><a href="{{path .Dir}}/index.html">report</a> · <a href="{{path .Dir}}/results.json">results.json</a> · <a href="{{path .Dir}}/junit.xml">junit.xml</a></td></tr>
{{end}}</table>
</body></html>
`))

// Reports writes the reports of one invocation (go test ./scenarios/...,
// lab run) under Root: each run's files in Root/<scenario>/ (WriteDir),
// and Root/index.html across them. Safe for concurrent use: scenarios run
// in parallel.
type Reports struct {
	Root string // "reports"

	mu      sync.Mutex
	entries []IndexEntry
}

// Write writes r's report to Root/<scenario>/, keeps it for the index and
// returns the path of its index.html. A scenario written twice (go test
// -count=2) is listed once, as last written.
func (rs *Reports) Write(r Run) (string, error) {
	path, err := WriteDir(filepath.Join(rs.Root, r.Scenario.Name), r)
	if err != nil {
		return "", err
	}
	e := IndexEntry{Results: ResultsOf(r), Dir: r.Scenario.Name}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.entries = slices.DeleteFunc(rs.entries, func(old IndexEntry) bool { return old.Dir == e.Dir })
	rs.entries = append(rs.entries, e)
	return path, nil
}

// WriteIndex writes Root/index.html listing every run written so far, by
// scenario name, updates Root/durations.json with their lengths, and
// returns the index's path; nothing when none was written.
func (rs *Reports) WriteIndex(generated time.Time) (string, error) {
	rs.mu.Lock()
	entries := slices.SortedFunc(slices.Values(rs.entries), func(a, b IndexEntry) int { return strings.Compare(a.Dir, b.Dir) })
	rs.mu.Unlock()
	if len(entries) == 0 {
		return "", nil
	}
	var page bytes.Buffer
	if err := Index(&page, generated, entries); err != nil {
		return "", err
	}
	path := filepath.Join(rs.Root, "index.html")
	if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	// How long each ran, for balancing shards next time (labs/shard).
	if err := UpdateDurations(rs.Root, resultsOf(entries)); err != nil {
		return "", err
	}
	return path, nil
}
