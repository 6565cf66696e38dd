// Package cleanup makes sure a run leaves nothing behind: owner labels on
// every Docker resource, sweeps of what dead runs left (containers and
// networks by label, process runs' directories by name), and a handler
// that closes live runs on SIGINT/SIGTERM.
//
//	Start ──▶ Sweep (dead owners' leftovers) ──▶ Track(run) ──▶ ... ──▶ Close ──▶ Untrack(run)
//	                                                 │
//	                                   SIGINT/SIGTERM ──▶ Close every tracked run, re-raise
package cleanup

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
)

// Labels every Docker resource of a run carries (docs/contracts.md).
const (
	LabelRun   = "failover-lab.run"   // the run id
	LabelOwner = "failover-lab.owner" // <host>/<pid>/<process start time>
)

// Owner identifies a process across pid reuse: the host it runs on, its
// pid, and its start time in clock ticks since boot (field 22 of
// /proc/PID/stat). A pid alone is not enough: pids are reused.
type Owner struct {
	Host  string
	PID   int
	Start string
}

func (o Owner) String() string { return fmt.Sprintf("%s/%d/%s", o.Host, o.PID, o.Start) }

// ParseOwner reads the value of a LabelOwner label.
func ParseOwner(s string) (Owner, error) {
	// The host name may not contain "/", so split from the right.
	i := strings.LastIndex(s, "/")
	if i < 0 {
		return Owner{}, fmt.Errorf("parse owner %q: want host/pid/start", s)
	}
	j := strings.LastIndex(s[:i], "/")
	if j < 0 {
		return Owner{}, fmt.Errorf("parse owner %q: want host/pid/start", s)
	}
	pid, err := strconv.Atoi(s[j+1 : i])
	if err != nil {
		return Owner{}, fmt.Errorf("parse owner %q: %w", s, err)
	}
	return Owner{Host: s[:j], PID: pid, Start: s[i+1:]}, nil
}

// Self is this process as an Owner.
var Self = sync.OnceValue(func() Owner {
	host, _ := os.Hostname()
	pid := os.Getpid()
	_, start, _ := procStat(pid)
	return Owner{Host: host, PID: pid, Start: start}
})

// Alive reports whether the Owner process may still be running. Owners on
// another host, or whose liveness cannot be read, count as alive: a sweep
// must never remove a live process's resources.
func (o Owner) Alive() bool {
	if o.Host != Self().Host {
		return true
	}
	state, start, err := procStat(o.PID)
	if err != nil {
		return !os.IsNotExist(err)
	}
	// A zombie has exited; only its parent has not reaped it yet.
	return start == o.Start && state != "Z"
}

// procStat returns the state and the start time (in clock ticks since boot)
// of pid.
func procStat(pid int) (state, start string, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", "", err
	}
	// The command name (field 2) may hold spaces and parentheses: fields
	// are counted after its last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return "", "", fmt.Errorf("proc stat %d: malformed", pid)
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state); starttime is field 22.
	if len(f) < 20 {
		return "", "", fmt.Errorf("proc stat %d: malformed", pid)
	}
	return f[0], f[19], nil
}
