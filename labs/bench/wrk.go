package main

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

func wrkPath() (string, error) { return exec.LookPath("wrk") }

// wrkLoad runs wrk -t1 -cN -dD --latency against url and parses it,
// under prefix (taskset -c CORES, or nothing).
func wrkLoad(prefix ...string) loadFunc {
	return func(ctx context.Context, url string, d time.Duration, conns int) (row, error) {
		bin, err := wrkPath()
		if err != nil {
			return row{}, err
		}
		secs := max(1, int(d.Round(time.Second)/time.Second))
		args := append(append([]string{}, prefix...), bin, "-t1", fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%ds", secs), "--latency", url)
		return runWrk(ctx, args)
	}
}

func runWrk(ctx context.Context, args []string) (row, error) {
	out, err := exec.CommandContext(ctx, args[0], args[1:]...).CombinedOutput()
	if err != nil {
		return row{}, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	return parseWrk(string(out))
}

// parseWrk reads what bench needs from wrk's --latency report.
func parseWrk(out string) (row, error) {
	var r row
	var haveRPS bool
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "Requests/sec:":
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return row{}, fmt.Errorf("wrk: requests/sec %q: %w", f[1], err)
			}
			r.rps, haveRPS = v, true
		case len(f) == 2 && (f[0] == "50%" || f[0] == "99%"):
			v, err := parseWrkDuration(f[1])
			if err != nil {
				return row{}, err
			}
			if f[0] == "50%" {
				r.p50 = v
			} else {
				r.p99 = v
			}
		case len(f) >= 3 && f[1] == "requests" && f[2] == "in":
			r.reqs, _ = strconv.Atoi(f[0])
		case len(f) == 5 && f[0] == "Non-2xx":
			n, _ := strconv.Atoi(f[4])
			r.non2xx += n
		case len(f) > 2 && f[0] == "Socket" && f[1] == "errors:":
			// Socket errors: connect 0, read 0, write 0, timeout 0
			for i := 3; i < len(f); i += 2 {
				n, _ := strconv.Atoi(strings.TrimSuffix(f[i], ","))
				r.non2xx += n
			}
		}
	}
	if !haveRPS {
		return row{}, fmt.Errorf("wrk: no Requests/sec in its output:\n%s", out)
	}
	return r, nil
}

// parseWrkDuration reads wrk's "93.00us", "1.20ms", "2.00s", "1.00m"
// (Go's own units).
func parseWrkDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("wrk: latency %q: %w", s, err)
	}
	return d, nil
}
