package cleanup

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
const RunDirPrefix = "failover-lab-run-"

// RunDirPattern is the os.MkdirTemp pattern of a run's directory:
// failover-lab-run-<pid>.<start>-<run id>-<random>.
func RunDirPattern(id string) string {
	o := Self()
	return fmt.Sprintf("%s%d.%s-%s-", RunDirPrefix, o.PID, o.Start, id)
}

// SweepRunDirs removes the directories of runs whose owner is dead.
func SweepRunDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), RunDirPrefix+"*"))
	for _, dir := range dirs {
		rest := strings.TrimPrefix(filepath.Base(dir), RunDirPrefix)
		pidStart, _, ok := strings.Cut(rest, "-")
		pid, start, ok2 := strings.Cut(pidStart, ".")
		if !ok || !ok2 {
			continue
		}
		o, err := ParseOwner(Self().Host + "/" + pid + "/" + start)
		if err == nil && !o.Alive() {
			_ = os.RemoveAll(dir)
		}
	}
}
