// Package scenarios holds the outage scenarios (*.yaml) and the test that
// runs each of them, through labs/labtest, as a subtest named after its
// file:
//
//	go test ./scenarios/...                               # all, both drivers: LAB_DRIVER=docker|process|auto
//	go test ./scenarios/... -run 'TestScenarios/primary-answers-500$'
//	go test -short ./scenarios/...                        # the fast subset (short: true)
//	LAB_PARALLEL=2 go test ./scenarios/...                # at most 2 runs at once (default 3)
//	LAB_DRIVER=process LAB_PROXY_KIND=nginx go test ./scenarios/...   # the same outages in front of nginx
//	LAB_SHARD=2/3 go test ./scenarios/...                 # one CI machine's part (or CI_NODE_INDEX/CI_NODE_TOTAL)
//
// Each expectation is a subtest of its scenario, named after the
// expectation (or expect[i] when it has no name), so go test -json and
// gotestsum show one case per expectation. A failing one prints its line,
// the measured value and an ASCII timeline of its window. Every scenario
// run writes reports/<scenario>/ at the repository root (index.html,
// results.json, junit.xml, the ledger), and reports/index.html lists the
// scenarios of the last go test run.
package scenarios

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/labtest"
	"github.com/failover-lab/failover-lab/labs/report"
	"github.com/failover-lab/failover-lab/labs/shard"
)

// defaultParallel is how many scenarios run at once: each keeps a proxy,
// its nodes and a load generator busy on a 2-core machine.
const defaultParallel = 3

func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios found: %v", err)
	}
	files, err = inShard(files)
	if err != nil {
		t.Fatal(err)
	}
	limit := labtest.NewLimiter(parallelism())
	opts := []labtest.Option{
		labtest.DriverFromEnv(),
		labtest.ProxyKind(os.Getenv("LAB_PROXY_KIND")),
		labtest.ReportDir(filepath.Join("..", "reports")),
		labtest.Limit(limit),
	}
	t.Logf("LAB_DRIVER=%q, up to %d scenarios at once", os.Getenv("LAB_DRIVER"), limit.Cap())
	for _, file := range files {
		t.Run(strings.TrimSuffix(file, ".yaml"), func(t *testing.T) {
			t.Parallel()
			labtest.Run(t, file, opts...)
		})
	}
}

// parallelism is LAB_PARALLEL, else defaultParallel.
func parallelism() int {
	if n, err := strconv.Atoi(os.Getenv("LAB_PARALLEL")); err == nil && n > 0 {
		return n
	}
	return defaultParallel
}

// inShard keeps the files of the shard LAB_SHARD=K/N names (else GitLab's
// CI_NODE_INDEX/CI_NODE_TOTAL), balanced by reports/durations.json: CI
// machines each run their part (labs/shard), and `lab report merge`
// joins their reports.
func inShard(files []string) ([]string, error) {
	sh, err := shard.FromSettings(shard.Source{LabShard: os.Getenv("LAB_SHARD"),
		Index: os.Getenv("CI_NODE_INDEX"), Total: os.Getenv("CI_NODE_TOTAL")})
	if err != nil || sh.All() {
		return files, err
	}
	seconds, err := report.ReadDurations(filepath.Join("..", "reports", report.DurationsFile))
	if err != nil {
		return nil, err
	}
	return sh.Of(files, seconds), nil
}
