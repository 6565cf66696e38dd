package conformance

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/report"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

const story = `name: story
about: The service answers 500 for 4 s.
nodes:
  service:  {fixture: app, role: primary}
  failover: {fixture: errorpage, role: standby}
load: {rate: 50/s}
timeline:
  - {at: 2s, name: broken, fault: {node: service, http: {status: 500}}}
  - {at: 6s, name: fixed,  clear: broken}
  - {at: 8s, end: true}
expect:
  - client_errors: 0
  - {name: failover time, after: broken, within: 300ms, served_by: failover}
  - {name: failback time, after: fixed, within: 500ms, served_by: service}
`

// storyRun is a run of story where 5 requests meet the 500 before the
// error page takes over 100 ms after the fault, and the service is back
// 400 ms after the fix: failback and failover hold, client_errors fails.
func storyRun(t *testing.T, failbackAt time.Duration) report.Run {
	t.Helper()
	return runOf(t, story, failbackAt)
}

// runOf is a run of the scenario src with story's answers.
func runOf(t *testing.T, src string, failbackAt time.Duration) report.Run {
	t.Helper()
	s, err := scenario.Parse("scenarios/story.yaml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	marks := []ledger.Mark{
		expect.At(2*time.Second, "broken", ledger.MarkApply),
		expect.At(6*time.Second, "broken", ledger.MarkClear),
		expect.At(8*time.Second, "end", ledger.MarkEvent),
	}
	l := expect.Synthetic(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), 50, 8*time.Second, marks, func(at time.Duration) ledger.Row {
		switch {
		case at >= 2*time.Second && at < 2100*time.Millisecond:
			return ledger.Row{Status: 500, ServedBy: "service"}
		case at >= 2100*time.Millisecond && at < 6*time.Second+failbackAt:
			return ledger.Row{Status: 200, ServedBy: "failover"}
		}
		return ledger.Row{Status: 200, ServedBy: "service"}
	})
	return report.Run{Scenario: s, Ledger: l, Results: expect.Evaluate(s, l), Driver: "process"}
}

func TestCellOf(t *testing.T) {
	tests := []struct {
		name string
		run  report.Run
		want Cell
	}{
		{"failed expectation, figures measured", storyRun(t, 400*time.Millisecond), Cell{
			Verdict: Fail, Why: "{client_errors: 0}", Failed: 1, Expectations: 3, ClientErrors: 5,
			Failover: Figure{true, true, 100 * time.Millisecond}, Failback: Figure{true, true, 400 * time.Millisecond},
			Report: "nginx/story/index.html"}},
		{"never settled", storyRun(t, time.Hour), Cell{
			Verdict: Fail, Why: "{client_errors: 0}; failback time", Failed: 2, Expectations: 3, ClientErrors: 5,
			Failover: Figure{true, true, 100 * time.Millisecond}, Failback: Figure{Measured: true},
			Report: "nginx/story/index.html"}},
	}
	broken := storyRun(t, 0)
	broken.Results, broken.Err = nil, errors.New("run story: service exited (exit status 2)\nlast lines: ...")
	tests = append(tests, struct {
		name string
		run  report.Run
		want Cell
	}{"run could not be made", broken, Cell{Verdict: Error, Why: "run story: service exited (exit status 2)",
		ClientErrors: 5, Report: "nginx/story/index.html"}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CellOf(tt.run, "nginx/story/index.html"); got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestFigures: the answers settle on the standby 100 ms after the fault
// and back on the service 400 ms after the fix; expectations that do not
// measure a failover or failback come first and must be passed over.
func TestFigures(t *testing.T) {
	src := strings.Replace(story, `expect:
  - client_errors: 0
  - {name: failover time, after: broken, within: 300ms, served_by: failover}
  - {name: failback time, after: fixed, within: 500ms, served_by: service}
`, `expect:
  - {after: broken, served_by: service}                   # the broken node itself: its recovery, no failover (4.4 s)
  - {after: broken, served_by: primary, fraction: 0.01}   # a share, not where answers settle (4.4 s)
  - {after: fixed, served_by: proxy, status: 503}         # the proxy's own answers (never)
  - {name: failover time, after: broken, within: 300ms, served_by: failover}
  - {name: failback time, after: fixed, within: 500ms, served_by: service}
`, 1)
	if src == story {
		t.Fatal("the story's expectations changed: update this test")
	}
	c := CellOf(runOf(t, src, 400*time.Millisecond), "")
	want := [2]Figure{{true, true, 100 * time.Millisecond}, {true, true, 400 * time.Millisecond}}
	if got := [2]Figure{c.Failover, c.Failback}; got != want {
		t.Errorf("failover, failback: got %+v, want %+v", got, want)
	}
}

// sample is a matrix with one cell of each verdict.
func sample() *Matrix {
	return &Matrix{
		Command: "lab conform -kinds builtin,nginx", Driver: "process",
		Generated: time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC),
		Columns:   []string{"builtin", "nginx"},
		Rows: []Row{
			{Scenario: "crash", About: "The service is killed <hard>.", Cells: []Cell{
				{Verdict: Pass, Expectations: 3, ClientErrors: 1, Failover: Figure{true, true, 12 * time.Millisecond},
					Failback: Figure{true, true, 1210 * time.Millisecond}, Report: "builtin/crash/index.html"},
				{Verdict: Fail, Why: "failback time", Failed: 1, Expectations: 3, ClientErrors: 37,
					Failover: Figure{true, true, 40 * time.Millisecond}, Failback: Figure{Measured: true}, Report: "nginx/crash/index.html"},
			}},
			{Scenario: "seed-story-tls", Cells: []Cell{
				{Verdict: Error, Why: "run seed-story-tls: service exited | badly", Report: "builtin/seed-story-tls/index.html"},
				Skip(errors.New("scenarios/seed-story-tls.yaml:5:10: proxy.https: only with proxy kind builtin (got nginx)\nscenarios/seed-story-tls.yaml:7:3: more")),
			}},
		},
	}
}

func TestMarkdown(t *testing.T) {
	var b strings.Builder
	if err := sample().Markdown(&b, "reports/conformance"); err != nil {
		t.Fatal(err)
	}
	want := "Conformance on the process driver, 2026-12-02: `lab conform -kinds builtin,nginx`\n\n" +
		"| scenario | builtin | nginx |\n" +
		"| --- | --- | --- |\n" +
		"| crash | [pass](reports/conformance/builtin/crash/index.html) · 1 error · failover 12ms · failback 1.21s | " +
		"[FAIL 1 of 3](reports/conformance/nginx/crash/index.html) · 37 errors · failover 40ms · failback never |\n" +
		"| seed-story-tls | [error](reports/conformance/builtin/seed-story-tls/index.html): run seed-story-tls: service exited \\| badly | " +
		"skipped: proxy.https: only with proxy kind builtin (got nginx) |\n" +
		"| **total** | 1 of 2 pass | 0 of 1 pass, 1 skipped |\n\n" + legend + "\n"
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	b.Reset()
	if err := sample().Markdown(&b, ""); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "[pass](builtin/crash/index.html)") {
		t.Errorf("links from the matrix's own folder: got\n%s", b.String())
	}
}

func TestHTML(t *testing.T) {
	var b strings.Builder
	if err := sample().HTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{
		"<th>scenario</th><th>builtin</th><th>nginx</th></tr>",
		"<code>lab conform -kinds builtin,nginx</code>",
		`<td class="pass"><a class="verdict" href="builtin/crash/index.html">pass</a><br>1 error<br>failover 12ms<br>failback 1.21s</td>`,
		`<td class="fail"><a class="verdict" href="nginx/crash/index.html">FAIL</a> 1 of 3<br>37 errors<br>failover 40ms<br>failback never<br><small>failback time</small></td>`,
		`<td class="error"><a class="verdict" href="builtin/seed-story-tls/index.html">error</a><br><small>run seed-story-tls: service exited | badly</small></td>`,
		`<td class="skipped"><span class="verdict">skipped</span><br><small>proxy.https: only with proxy kind builtin (got nginx)</small></td>`,
		"The service is killed &lt;hard&gt;.", // escaped
		"<th>total</th><th>1 of 2 pass</th><th>0 of 1 pass, 1 skipped</th>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s\n%s", want, page)
		}
	}
	for _, bad := range []string{"<script", "src=", "<link"} {
		if strings.Contains(page, bad) {
			t.Errorf("page should be self-contained, has %q", bad)
		}
	}
}

func TestFigureString(t *testing.T) {
	for _, tt := range []struct {
		f    Figure
		want string
	}{
		{Figure{}, "—"},
		{Figure{Measured: true}, "never"},
		{Figure{true, true, 0}, "0ms"},
		{Figure{true, true, 999400 * time.Microsecond}, "999ms"},
		{Figure{true, true, 999600 * time.Microsecond}, "1.00s"},
		{Figure{true, true, 6004 * time.Millisecond}, "6.00s"},
	} {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.f, got, tt.want)
		}
	}
}

// A run whose only failures are windows that held no request is not
// judged, and the column does not count it against the kind.
func TestNotJudgedCell(t *testing.T) {
	src := strings.Replace(story, "  - client_errors: 0\n", "  - client_errors: 0\n  - {after: fixed, within: 1990ms, latency: {max: 1s}}\n", 1)
	src = strings.Replace(src, "within: 500ms, served_by: service}", "within: 1990ms, served_by: service}", 1)
	r := runOf(t, src, 0)
	r.Results = slices.DeleteFunc(r.Results, func(res expect.Result) bool { return res.Expectation.ClientErrors != nil })
	c := CellOf(r, "")
	if c.Verdict != NotJudged || c.Failed != 0 || !strings.Contains(c.Why, "the window held no request") {
		t.Fatalf("got %+v, want not judged", c)
	}
	m := &Matrix{Columns: []string{"builtin"}, Rows: []Row{{Scenario: "story", Cells: []Cell{c}}}}
	if got := m.Tally(0); got.Ran != 0 || got.Pass != 0 {
		t.Errorf("tally: got %+v, want no run counted", got)
	}
}
