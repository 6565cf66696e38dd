package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// No GitHub runner is at hand, so the GitHub recipe is checked for what
// it must hold together: a matrix of shards 1..N that each run -shard
// K/N into reports/shard-K, and a merge job after them that merges those
// directories. (The GitLab recipe is run: ci_test.go.)
func TestGitHubRecipeShardsAndMerges(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "ci", "github-actions.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Needs    any `yaml:"needs"`
			Strategy struct {
				Matrix struct {
					Shard []int `yaml:"shard"`
				} `yaml:"matrix"`
			} `yaml:"strategy"`
			Steps []struct {
				Run string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatal(err)
	}
	shards, merge := wf.Jobs["scenarios"], wf.Jobs["report"]
	var runLine, mergeLine string
	for _, s := range shards.Steps {
		if strings.Contains(s.Run, " run ") {
			runLine = s.Run
		}
	}
	for _, s := range merge.Steps {
		if strings.Contains(s.Run, "report merge") {
			mergeLine = s.Run
		}
	}
	m := regexp.MustCompile(`-shard \$\{\{ matrix\.shard \}\}/(\d+) -reports reports/shard-\$\{\{ matrix\.shard \}\}`).FindStringSubmatch(runLine)
	if m == nil {
		t.Fatalf("the shard job's lab run does not take -shard ${{ matrix.shard }}/N into reports/shard-${{ matrix.shard }}: %q", runLine)
	}
	var want []int
	for k := 1; k <= len(shards.Strategy.Matrix.Shard); k++ {
		want = append(want, k)
	}
	if m[1] != strconv.Itoa(len(want)) || !slices.Equal(shards.Strategy.Matrix.Shard, want) {
		t.Errorf("matrix %v with -shard K/%s: want 1..N with N = %s", shards.Strategy.Matrix.Shard, m[1], m[1])
	}
	if merge.Needs != "scenarios" || !strings.Contains(mergeLine, "report merge -o reports reports/shard-*") {
		t.Errorf("the report job must need scenarios and merge reports/shard-*: needs %v, %q", merge.Needs, mergeLine)
	}
	// The lines run the same lab verbs and flags the GitLab recipe runs.
	for _, flag := range []string{"-quiet", "-reports"} {
		if !strings.Contains(runLine, flag) {
			t.Errorf("the shard job's lab run lacks %s", flag)
		}
	}
}
