package labs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A process run keeps its files (the proxy's config) in a temporary
// directory named after its owner, so a run killed with SIGKILL (its
// children die with it) leaves only this directory, which the next run
// removes.
const runDirPrefix = "failover-lab-run-"

// runDirPattern is the os.MkdirTemp pattern of a run's directory:
// failover-lab-run-<pid>.<start>-<run id>-<random>.
func runDirPattern(id string) string {
	o := self()
	return fmt.Sprintf("%s%d.%s-%s-", runDirPrefix, o.PID, o.Start, id)
}

// sweepRunDirs removes the directories of runs whose owner is dead.
func sweepRunDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), runDirPrefix+"*"))
	for _, dir := range dirs {
		rest := strings.TrimPrefix(filepath.Base(dir), runDirPrefix)
		pidStart, _, ok := strings.Cut(rest, "-")
		pid, start, ok2 := strings.Cut(pidStart, ".")
		if !ok || !ok2 {
			continue
		}
		o, err := parseOwner(self().Host + "/" + pid + "/" + start)
		if err == nil && !o.alive() {
			_ = os.RemoveAll(dir)
		}
	}
}
