package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// groupRSS is the summed resident set of every process in the process
// group led by pgid: the proxy's own tree (nginx's master and workers,
// Apache's children), which the lab's driver starts in a group of its own.
func groupRSS(pgid int) int64 {
	var total int64
	for _, pid := range groupPIDs(pgid) {
		total += statusRSS(fmt.Sprintf("/proc/%d/status", pid))
	}
	return total
}

// groupPIDs lists the processes of process group pgid.
func groupPIDs(pgid int) []int {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var pids []int
	for _, d := range dirs {
		stat, err := os.ReadFile(filepath.Join(d, "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...: comm may hold spaces, cut after ')'.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 3 || f[2] != strconv.Itoa(pgid) {
			continue
		}
		if pid, err := strconv.Atoi(filepath.Base(d)); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat:
// 100 on every Linux architecture Go runs on (the kernel's CLOCK_TICKS
// exported to user space, independent of its internal HZ).
const clockTicks = 100

// groupCPU is the CPU time (user + system) the processes of group pgid
// have used so far: utime and stime of each, threads included, from
// /proc/PID/stat. A process that ended is no longer counted, so take it
// before and after a round, with the group running throughout.
func groupCPU(pgid int) time.Duration {
	var ticks int64
	for _, pid := range groupPIDs(pgid) {
		ticks += statTicks(fmt.Sprintf("/proc/%d/stat", pid))
	}
	return time.Duration(ticks) * time.Second / clockTicks
}

// statTicks reads utime + stime (fields 14 and 15) from a /proc/PID/stat.
func statTicks(file string) int64 {
	stat, err := os.ReadFile(file)
	if err != nil {
		return 0
	}
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(stat[i+1:])) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return u + s
}

// statusRSS reads VmRSS (kB) from /proc/PID/status, in bytes.
func statusRSS(file string) int64 {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// samplePeakRSS samples groupRSS(pgid) every 250 ms until the returned
// function is called, which returns the peak.
func samplePeakRSS(ctx context.Context, pgid int) func() int64 {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan int64, 1)
	go func() {
		var peak int64
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, groupRSS(pgid))
			select {
			case <-ctx.Done():
				done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() int64 {
		cancel()
		return <-done
	}
}
