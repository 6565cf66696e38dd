package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"
)

const wrkSample = `Running 5s test @ http://127.0.0.1:40000/
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.60ms    1.20ms  21.00ms   90.00%
    Req/Sec    19.30k     1.10k   21.00k    70.00%
  Latency Distribution
     50%    1.41ms
     75%    1.90ms
     90%    2.60ms
     99%    5.33ms
  96000 requests in 5.00s, 48.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  19196.12
Transfer/sec:      9.60MB
`

func TestParseWrk(t *testing.T) {
	r, err := parseWrk(wrkSample)
	if err != nil {
		t.Fatal(err)
	}
	want := row{rps: 19196.12, p50: 1410 * time.Microsecond, p99: 5330 * time.Microsecond, reqs: 96000, non2xx: 7}
	if r != want {
		t.Fatalf("got %+v, want %+v", r, want)
	}
	if _, err := parseWrk("unable to connect to 127.0.0.1:1 Connection refused\n"); err == nil {
		t.Fatal("output without Requests/sec: got no error")
	}
}

func TestGoLoad(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	r, err := goLoad(t.Context(), srv.URL+"/", 200*time.Millisecond, 4)
	if err != nil {
		t.Fatal(err)
	}
	if r.reqs == 0 || r.rps <= 0 || r.p50 <= 0 || r.p99 < r.p50 || r.non2xx != 0 {
		t.Fatalf("got %+v, want answers, a rate, p99 >= p50 > 0 and no errors", r)
	}
	if _, err := goLoad(t.Context(), "http://192.0.2.1:80/", time.Millisecond, 1); err == nil {
		t.Fatal("non-loopback target: got no error")
	}
}

func Example_rounds() {
	ours := row{kind: "builtin", rps: 20000, p50: 1400 * time.Microsecond, p99: 5 * time.Millisecond, cpu: 60 * time.Microsecond}
	writeRounds(os.Stdout, [][]row{
		{ours, {kind: "nginx", rps: 30000, p50: 700 * time.Microsecond, p99: 3 * time.Millisecond, cpu: 45 * time.Microsecond, non2xx: 2}},
		{ours, {kind: "nginx", rps: 20000, p50: 1400 * time.Microsecond, p99: 5 * time.Millisecond, cpu: 48 * time.Microsecond}},
		{ours, {kind: "nginx", rps: 24000, p50: 1000 * time.Microsecond, p99: 4 * time.Millisecond, cpu: 60 * time.Microsecond}},
	})
	// Output:
	// medians over 3 rounds; ratios to failover-proxy in the same round: median (lowest-highest)
	// proxy           req/s  ratio              p50    ratio              p99  ratio              CPU/req  ratio              errors
	// failover-proxy  20000  1.00x (1.00-1.00)  1.4ms  1.00x (1.00-1.00)  5ms  1.00x (1.00-1.00)  60µs     1.00x (1.00-1.00)  0
	// nginx           24000  1.20x (1.00-1.50)  1ms    0.71x (0.50-1.00)  4ms  0.80x (0.60-1.00)  48µs     0.80x (0.75-1.00)  2
}

func Example_many() {
	writeMany(os.Stdout, []row{
		{kind: "builtin", rps: 8000, p99: 200 * time.Millisecond, rss: 60 << 20, cpu: 70 * time.Microsecond},
		{kind: "nginx", rps: 12000, p99: 150 * time.Millisecond, rss: 28 << 20, cpu: 50 * time.Microsecond},
	})
	// Output:
	// proxy           req/s  ratio  p99    CPU/req  RSS       errors
	// failover-proxy  8000   1.00x  200ms  70µs     60.0 MiB  0
	// nginx           12000  1.50x  150ms  50µs     28.0 MiB  0
}

func TestGroupRSS(t *testing.T) {
	pgid := syscall.Getpgrp()
	if !slices.Contains(groupPIDs(pgid), os.Getpid()) {
		t.Fatalf("groupPIDs(%d): own process %d not listed", pgid, os.Getpid())
	}
	if self, group := statusRSS("/proc/self/status"), groupRSS(pgid); self <= 0 || group < self {
		t.Fatalf("got own RSS %d and group RSS %d, want 0 < own <= group", self, group)
	}
}

// The group's CPU grows by what this process burns in between, as the
// kernel's own account (getrusage) has it, to a 10 ms tick or two.
func TestGroupCPU(t *testing.T) {
	pgid := syscall.Getpgrp()
	self := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	before, selfBefore := groupCPU(pgid), self()
	for deadline := time.Now().Add(30 * time.Second); self()-selfBefore < 300*time.Millisecond; {
		if time.Now().After(deadline) {
			t.Fatal("could not burn 300ms of CPU within 30s")
		}
	}
	burnt := self() - selfBefore
	if got := groupCPU(pgid) - before; got < burnt-30*time.Millisecond {
		t.Fatalf("group CPU: grew by %v while this process burnt %v", got, burnt)
	}
}
