package main

import (
	"context"
	"errors"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// lab run -shard 1/3 … 3/3 over scenarios/ runs every file exactly once:
// -list prints what each shard would run.
func TestRunShardsCoverEveryScenarioOnce(t *testing.T) {
	files, err := filepath.Glob("../../../scenarios/*.yaml")
	if err != nil || len(files) < 10 {
		t.Fatalf("scenarios: %v, %v", files, err)
	}
	t.Setenv("LAB_SHARD", "")
	t.Setenv("CI_NODE_INDEX", "")
	t.Setenv("CI_NODE_TOTAL", "")
	root := t.TempDir()
	list := func(t *testing.T, shardArgs ...string) []string {
		t.Helper()
		var out, errOut strings.Builder
		args := append(append([]string{"-list", "-reports", root, "-durations", filepath.Join(root, "durations.json")}, shardArgs...), files...)
		if err := runTo(context.Background(), args, &out, &errOut); err != nil {
			t.Fatalf("run %v: %v\n%s", shardArgs, err, errOut.String())
		}
		return strings.Fields(out.String())
	}
	check := func(t *testing.T, how func(k string) []string) {
		t.Helper()
		var all []string
		for _, k := range []string{"1", "2", "3"} {
			got := how(k)
			if len(got) == 0 {
				t.Errorf("shard %s/3 is empty", k)
			}
			all = append(all, got...)
		}
		slices.Sort(all)
		want := slices.Sorted(slices.Values(files))
		if !slices.Equal(all, want) {
			t.Errorf("the shards ran %d files (%v), want each of the %d once", len(all), all, len(want))
		}
	}
	t.Run("flag", func(t *testing.T) { check(t, func(k string) []string { return list(t, "-shard", k+"/3") }) })
	t.Run("GitLab's CI_NODE_INDEX/CI_NODE_TOTAL", func(t *testing.T) {
		check(t, func(k string) []string {
			t.Setenv("CI_NODE_INDEX", k)
			t.Setenv("CI_NODE_TOTAL", "3")
			return list(t)
		})
	})
	t.Run("balanced by reports/durations.json", func(t *testing.T) {
		// One scenario took longer than all the others together: it runs alone.
		var secs []string
		for i, f := range files {
			d := "10"
			if i == 0 {
				d = "1000"
			}
			secs = append(secs, `"`+strings.TrimSuffix(filepath.Base(f), ".yaml")+`": `+d)
		}
		body := `{"version": "failover-lab/durations/v1", "seconds": {` + strings.Join(secs, ", ") + `}}`
		if err := os.WriteFile(filepath.Join(root, "durations.json"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(filepath.Join(root, "durations.json"))
		check(t, func(k string) []string { return list(t, "-shard", k+"/3") })
		if got := list(t, "-shard", "1/3"); len(got) != 1 || got[0] != files[0] {
			t.Errorf("shard 1/3: got %v, want %s alone", got, files[0])
		}
	})
	var out, errOut strings.Builder
	if err := runTo(context.Background(), append([]string{"-shard", "4/3"}, files...), &out, &errOut); !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "-shard: ") {
		t.Errorf("-shard 4/3: got %v, want a usage error naming -shard", err)
	}
}

func TestReportMergeUsage(t *testing.T) {
	var out, errOut strings.Builder
	for _, args := range [][]string{nil, {"join"}, {"merge"}} {
		if err := reportTo(args, &out, &errOut); !errors.Is(err, errUsage) {
			t.Errorf("report %v: got %v, want errUsage", args, err)
		}
	}
	var invalid invalidError
	if err := reportTo([]string{"merge", t.TempDir()}, &out, &errOut); !errors.As(err, &invalid) || !strings.Contains(err.Error(), "no scenario reports") {
		t.Errorf("merge of an empty directory: got %v, want an invalid-input error", err)
	}
}

// Broken engine settings stop a docker run with a usage error naming the
// setting, and do not stop the process driver, which needs no engine.
func TestEngineSettingsOnlyMatterForDocker(t *testing.T) {
	t.Setenv("DOCKER_HOST", "")
	t.Setenv("DOCKER_CONTEXT", "no-such-context")
	if _, err := cliDriver(context.Background(), "docker", "", docker.LoadAuto); err == nil || !strings.Contains(err.Error(), `context "no-such-context" (from DOCKER_CONTEXT)`) {
		t.Errorf("docker: got %v, want an error naming the context", err)
	}
	if d, err := cliDriver(context.Background(), "process", "", docker.LoadAuto); err != nil || d.Name() != "process" {
		t.Errorf("process: got %v, %v; want the process driver", d, err)
	}
}
