package main

import (
	"fmt"
	"os/exec"
	"runtime"
	"strconv"
)

// pinning splits the cores between the proxies and the load: the proxy
// under test on the first half, wrk and the app on the second, so the
// proxy does not compete with what measures it. With fewer than 4 cores
// nothing is pinned (one core each would measure the scheduler).
type pinning struct {
	proxy, load string // taskset core lists; "" = not pinned
	why         string
}

func choosePinning() pinning {
	n := runtime.NumCPU()
	if _, err := exec.LookPath("taskset"); err != nil {
		return pinning{why: "nothing pinned: taskset not installed"}
	}
	if n < 4 {
		return pinning{why: fmt.Sprintf("nothing pinned: %d cores, shared by wrk, the app and the proxy", n)}
	}
	half := n / 2
	p := pinning{proxy: fmt.Sprintf("0-%d", half-1), load: fmt.Sprintf("%d-%d", half, n-1)}
	p.why = fmt.Sprintf("proxies pinned to cores %s, wrk and the app to cores %s (of %d); worker and thread counts were chosen by each proxy at start, from all %d cores",
		p.proxy, p.load, n, n)
	return p
}

// wrkPrefix is the command prefix that runs wrk on the load cores.
func (p pinning) wrkPrefix() []string {
	if p.load == "" {
		return nil
	}
	return []string{"taskset", "-c", p.load}
}

// apply pins every thread of the target's processes: the proxy's process
// group to the proxy cores, the app to the load cores.
func (p pinning) apply(t *target) error {
	if p.proxy == "" {
		return nil
	}
	pids, _ := t.run.(interface{ PIDs() []int })
	if pids == nil {
		return fmt.Errorf("%s: the run does not list its processes", t.kind)
	}
	for _, pid := range pids.PIDs() {
		cores := p.load
		if pid == t.pid && t.kind != rowDirect { // direct: the app, on the load cores as in every row
			cores = p.proxy
		}
		for _, member := range groupPIDs(pid) {
			if out, err := exec.Command("taskset", "-a", "-p", "-c", cores, strconv.Itoa(member)).CombinedOutput(); err != nil {
				return fmt.Errorf("taskset %d: %w: %s", member, err, out)
			}
		}
	}
	return nil
}
