package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/expect"
)

// Three shards, each with its own reports root, merge into one: one
// junit.xml holding every expectation of every scenario, one index, one
// results.json, durations for the next split.
func TestMergeShards(t *testing.T) {
	s, l := lateFailback(t)
	results := expect.Evaluate(s, l)
	var roots []string
	names := []string{"a-one", "b-two", "c-three", "d-four"}
	for i, name := range names {
		if i < 3 {
			roots = append(roots, filepath.Join(t.TempDir(), fmt.Sprintf("shard-%d", i+1)))
		}
		sc := *s
		sc.Name = name
		rs := &Reports{Root: roots[min(i, 2)]}
		r := Run{Scenario: &sc, Ledger: l, Results: results, Driver: "docker"}
		if name == "b-two" {
			r = Run{Scenario: &sc, Ledger: l, Driver: "docker", Err: errors.New("start: no engine")}
		}
		if _, err := rs.Write(r); err != nil {
			t.Fatal(err)
		}
		if _, err := rs.WriteIndex(t0); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "merged")
	set, err := Merge(out, roots, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Scenarios) != 4 || set.Pass || set.Failed != 4 || set.Version != SetVersion {
		t.Errorf("set: got %d scenarios, pass %v, failed %d; want 4, false, 4", len(set.Scenarios), set.Pass, set.Failed)
	}
	junit, err := os.ReadFile(filepath.Join(out, "junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := checkJUnit(junit); err != nil {
		t.Errorf("merged junit.xml is not the JUnit shape: %v", err)
	}
	// 3 scenarios × 2 expectations + b-two's run error.
	if !strings.Contains(string(junit), `<testsuites name="failover-lab" tests="7" failures="3" errors="1" time="80.000">`) {
		t.Errorf("merged totals wrong:\n%s", junit)
	}
	for _, name := range names {
		if !strings.Contains(string(junit), `<testsuite name="`+name+`"`) {
			t.Errorf("junit.xml lacks %s", name)
		}
		for _, f := range []string{"index.html", "results.json", "junit.xml", "ledger.csv"} {
			if _, err := os.Stat(filepath.Join(out, name, f)); err != nil {
				t.Errorf("the scenario's own report was not copied: %v", err)
			}
		}
	}
	if n := strings.Count(string(junit), "<testcase "); n != 7 {
		t.Errorf("got %d test cases, want 7", n)
	}
	page, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(page), "0 passed, 4 failed") || strings.Count(string(page), `">report</a>`) != 4 {
		t.Errorf("index should list all four:\n%s", page)
	}
	var back Set
	b, _ := os.ReadFile(filepath.Join(out, "results.json"))
	if err := json.Unmarshal(b, &back); err != nil || len(back.Scenarios) != 4 || back.Scenarios[1].Error != "start: no engine" {
		t.Errorf("results.json: got %+v, %v", back, err)
	}
	d, err := ReadDurations(filepath.Join(out, DurationsFile))
	if err != nil || d["a-one"] != 20 || len(d) != 4 {
		t.Errorf("durations: got %v, %v; want all four, 20 s each", d, err)
	}
	// Shards never overlap: the same scenario twice is an error.
	if _, err := Merge(t.TempDir(), []string{roots[0], roots[0]}, t0); err == nil || !strings.Contains(err.Error(), "a-one is in both") {
		t.Errorf("overlapping shards: got %v", err)
	}
	if _, err := Merge(t.TempDir(), []string{t.TempDir()}, t0); err == nil || !strings.Contains(err.Error(), "no scenario reports") {
		t.Errorf("empty: got %v", err)
	}
	// Merging into one of the roots keeps its files.
	if _, err := Merge(roots[0], roots, t0); err != nil {
		t.Errorf("merge into a root: %v", err)
	}
}

func TestDurations(t *testing.T) {
	root := t.TempDir()
	if d, err := ReadDurations(filepath.Join(root, DurationsFile)); err != nil || len(d) != 0 {
		t.Errorf("no file: got %v, %v; want none, no error", d, err)
	}
	if err := UpdateDurations(root, []Results{{Scenario: "a", Seconds: 3}, {Scenario: "b", Seconds: 5}}); err != nil {
		t.Fatal(err)
	}
	if err := UpdateDurations(root, []Results{{Scenario: "a", Seconds: 4}, {Scenario: "c", Seconds: 0}}); err != nil {
		t.Fatal(err)
	}
	d, err := ReadDurations(filepath.Join(root, DurationsFile))
	if err != nil || d["a"] != 4 || d["b"] != 5 || len(d) != 2 {
		t.Errorf("got %v, %v; want a 4 (the last run), b 5 (kept), no c (it never ran)", d, err)
	}
	os.WriteFile(filepath.Join(root, DurationsFile), []byte(`{"version": "x"}`), 0o644)
	if _, err := ReadDurations(filepath.Join(root, DurationsFile)); err == nil || !strings.Contains(err.Error(), "version") {
		t.Errorf("a foreign file: got %v, want a version error", err)
	}
}
