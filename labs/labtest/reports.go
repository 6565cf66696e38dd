package labtest

import (
	"path/filepath"
	"sync"
	"time"

	"github.com/failover-lab/failover-lab/labs/report"
)

// reportDir is the runs one test binary wrote under one directory: the
// index is written again after each run, so it lists them all without a
// TestMain, and one writer at a time.
type reportDir struct {
	mu      sync.Mutex
	reports *report.Reports
}

var reportDirs sync.Map // absolute dir → *reportDir

// writeReport writes r's report to dir/<scenario>/ and dir/index.html,
// and returns the path of the run's page.
func writeReport(dir string, r report.Run) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	v, _ := reportDirs.LoadOrStore(abs, &reportDir{reports: &report.Reports{Root: dir}})
	rd := v.(*reportDir)
	path, err := rd.reports.Write(r)
	if err != nil {
		return "", err
	}
	rd.mu.Lock()
	defer rd.mu.Unlock()
	_, err = rd.reports.WriteIndex(time.Now())
	return path, err
}
