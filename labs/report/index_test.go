package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/expect"
)

func TestIndex(t *testing.T) {
	s, l := lateFailback(t)
	failing := ResultsOf(Run{Scenario: s, Ledger: l, Results: expect.Evaluate(s, l), Driver: "process"})
	broken := ResultsOf(Run{Scenario: s, Ledger: l, Driver: "docker", Err: errors.New(`start: <b>no</b> "docker"`)})
	passing := failing
	passing.Scenario, passing.Pass, passing.Expectations = "all-good", true, nil
	var b strings.Builder
	err := Index(&b, t0, []IndexEntry{{passing, "all-good"}, {failing, "late-failback"}, {broken, "late failback?"}})
	if err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{
		"<title>failover-lab — 1 passed, 2 failed</title>",
		"generated 2026-11-25T01:00:00Z",
		`<a href="late-failback/index.html">report</a>`,
		`<a href="late-failback/junit.xml">junit.xml</a>`,
		"line 13: {after: fixed, within: 1.5s, served_by: service} — 160 of 174 answers from service",
		"run failed: start: &lt;b&gt;no&lt;/b&gt; &#34;docker&#34;", // escaped
		`<a href="late%20failback%3F/results.json">`,                // a path, escaped
	} {
		if !strings.Contains(page, want) {
			t.Errorf("index lacks %s", want)
		}
	}
	for _, bad := range []string{"<script", "src=", "<link", "<b>no"} {
		if strings.Contains(page, bad) {
			t.Errorf("index has %q", bad)
		}
	}
}
