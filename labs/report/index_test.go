package report

import (
	"errors"
	"os"
	"path/filepath"
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

func TestReports(t *testing.T) {
	s, l := lateFailback(t)
	rs := &Reports{Root: t.TempDir()}
	if path, err := rs.WriteIndex(t0); err != nil || path != "" {
		t.Errorf("index of no run: got %q, %v, want nothing written", path, err)
	}
	passing := *s
	passing.Name = "all-good"
	runs := []Run{
		{Scenario: s, Ledger: l, Driver: "process", Err: errors.New("start: no docker")},
		{Scenario: &passing, Ledger: l, Driver: "process"},
		{Scenario: s, Ledger: l, Results: expect.Evaluate(s, l), Driver: "process"}, // the same scenario again: listed once, as last
	}
	for _, r := range runs {
		path, err := rs.Write(r)
		if want := filepath.Join(rs.Root, r.Scenario.Name, "index.html"); err != nil || path != want {
			t.Fatalf("Write: got %q, %v, want %q", path, err, want)
		}
	}
	path, err := rs.WriteIndex(t0)
	if want := filepath.Join(rs.Root, "index.html"); err != nil || path != want {
		t.Fatalf("WriteIndex: got %q, %v, want %q", path, err, want)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Count(string(page), `">report</a>`), 2; got != want {
		t.Errorf("index lists %d runs, want %d", got, want)
	}
	good, late := strings.Index(string(page), "all-good/index.html"), strings.Index(string(page), "late-failback/index.html")
	if good < 0 || late < good {
		t.Errorf("index should list all-good, then late-failback:\n%s", page)
	}
	if !strings.Contains(string(page), "1 passed, 1 failed") || strings.Contains(string(page), "no docker") {
		t.Errorf("index should hold the last run of late-failback (failed expectations, no run error):\n%s", page)
	}
	for _, f := range []string{"all-good/results.json", "late-failback/junit.xml"} {
		if _, err := os.Stat(filepath.Join(rs.Root, f)); err != nil {
			t.Error(err)
		}
	}
}
