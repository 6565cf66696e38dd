package scenarios

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/drivers"
	"github.com/failover-lab/failover-lab/labs/explore"
	"github.com/failover-lab/failover-lab/labs/report"
	"github.com/failover-lab/failover-lab/labs/runner"
	"github.com/failover-lab/failover-lab/labs/scenario"
	"github.com/failover-lab/failover-lab/labs/shard"
)

// exploreSeed and exploreRuns are the short search the suite (and CI)
// makes: `lab explore -kind builtin -driver process -runs 5 -seed 5
// scenarios/explore/seed-builtin.yaml`.
const (
	exploreSeed = 5
	exploreRuns = 5
)

// TestExplore runs a short lab explore against the builtin proxy on the
// process driver: a violation that comes back in the 2-of-3 rule fails the
// test with its minimal scenario (a few shrinking steps); one that does
// not is logged as noise. reports/explore/ holds the search's page.
func TestExplore(t *testing.T) {
	if testing.Short() {
		t.Skip("a search of 5 runs; not in -short")
	}
	sh, err := shard.FromSettings(shard.Source{LabShard: os.Getenv("LAB_SHARD"),
		Index: os.Getenv("CI_NODE_INDEX"), Total: os.Getenv("CI_NODE_TOTAL")})
	if err != nil {
		t.Fatal(err)
	}
	if sh.K > 1 {
		t.Skipf("shard %s: the search runs in shard 1", sh)
	}
	b, err := explore.ReadBase(filepath.Join("explore", "seed-builtin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	d, err := drivers.For(ctx, "process", drivers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Parallel() // beside TestScenarios' runs, as one more of them: one run at a time
	x := &explore.Explorer{
		Base: b, Seed: exploreSeed, Runs: exploreRuns, Parallel: 1, MaxTries: 6,
		Out:     filepath.Join("..", "reports", "explore"),
		Command: "go test ./scenarios -run TestExplore",
		Run: func(ctx context.Context, s *scenario.Scenario) report.Run {
			return runner.Run(ctx, s, d, runner.Options{})
		},
		Progress: func(line string) { t.Log(line) },
	}
	sum, err := x.Explore(ctx)
	var text bytes.Buffer
	sum.Text(&text)
	t.Log(text.String())
	if err != nil {
		t.Fatal(err)
	}
	if n := sum.Count(explore.CannotRun); n > 0 {
		t.Errorf("%d of %d runs could not be made", n, len(sum.Outcomes))
	}
	for _, v := range sum.Violations {
		if !v.Reproduced {
			t.Logf("run %d: %s did not come back in 2 more runs (noise on this machine?)", v.Outcome.N, v.Invariant)
			continue
		}
		t.Errorf("run %d violates %s: %s\nminimal scenario:\n%s", v.Outcome.N, v.Invariant, v.Measured, v.YAML)
	}
}
