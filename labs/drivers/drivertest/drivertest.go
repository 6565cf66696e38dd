// Package drivertest holds what the drivers' tests share: the seed
// topology, every fault kind with the effect it must show in the ledger
// (Exercise runs them all against a driver), load through the proxy, and
// child test binaries that start a run and wait to be killed.
package drivertest

import (
	"bufio"
	"context"
	"fmt"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"
	"github.com/failover-lab/failover-lab/fixtures/app"
	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/cleanup"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"github.com/failover-lab/failover-lab/proxy/config"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Topology is the seed story: the app as primary, the error page (200)
// as hot standby, with fast health checks so effects show within a second.
func Topology(name string) vocab.Topology {
	return vocab.Topology{
		Name: name,
		Proxy: vocab.ProxySpec{Pool: config.Pool{
			Health: config.Health{
				Path: "/health", Interval: 200 * time.Millisecond, DownInterval: 100 * time.Millisecond,
				Timeout: 300 * time.Millisecond,
			},
			Passive:  config.Passive{HoldDown: 300 * time.Millisecond},
			Retry:    config.Retry{Attempts: 2, BudgetRatio: 1},
			Timeouts: config.Timeouts{Dial: 300 * time.Millisecond, ResponseHeader: time.Second},
		}},
		Nodes: []vocab.Node{
			{Name: "service", Fixture: vocab.FixtureApp, Role: vocab.RolePrimary},
			{Name: "failover", Fixture: vocab.FixtureErrorPage, Role: vocab.RoleStandby, Args: []string{"-status", "200"}},
		},
	}
}

// Effect is what a fault must show in the ledger rows sent while it is on.
type Effect func(rows []ledger.Row) bool

// FailedOver: some answer came from the standby.
func FailedOver(rows []ledger.Row) bool {
	for _, r := range rows {
		if r.ServedBy == "failover" {
			return true
		}
	}
	return false
}

// Slowed: some answer from the primary took at least 250ms (the fault adds
// 300ms), or the proxy gave up on it and the standby answered.
func Slowed(rows []ledger.Row) bool {
	for _, r := range rows {
		if r.ServedBy == "service" && r.Status == 200 && r.Latency >= 250*time.Millisecond {
			return true
		}
	}
	return FailedOver(rows)
}

// Recovered: the last five answers are 200s from the primary.
func Recovered(rows []ledger.Row) bool {
	if len(rows) < 5 {
		return false
	}
	for _, r := range rows[len(rows)-5:] {
		if r.ServedBy != "service" || r.Status != 200 {
			return false
		}
	}
	return true
}

// FaultCases is every fault kind on node service, with the effect it must
// show in the ledger while it is on.
func FaultCases() []struct {
	Fault  vocab.Fault
	Effect Effect
} {
	node := "service"
	return []struct {
		Fault  vocab.Fault
		Effect Effect
	}{
		{vocab.Fault{Name: "http-500", Node: node, Settings: faults.HTTPStatus{Status: 500}}, FailedOver},
		{vocab.Fault{Name: "stop", Node: node, Settings: faults.Stop{}}, FailedOver},
		{vocab.Fault{Name: "kill", Node: node, Settings: faults.Kill{Signal: "SIGKILL"}}, FailedOver},
		{vocab.Fault{Name: "pause", Node: node, Settings: faults.Pause{}}, FailedOver},
		{vocab.Fault{Name: "disconnect", Node: node, Settings: faults.Disconnect{}}, FailedOver},
		{vocab.Fault{Name: "restart-loop", Node: node, Settings: faults.RestartLoop{}}, FailedOver},
		{vocab.Fault{Name: "latency", Node: node, Settings: faults.Latency{Latency: 300 * time.Millisecond, Jitter: 10 * time.Millisecond}}, Slowed},
		{vocab.Fault{Name: "bandwidth", Node: node, Settings: faults.Bandwidth{Rate: 1}}, Slowed},
		{vocab.Fault{Name: "reset-peer", Node: node, Settings: faults.ResetPeer{}}, FailedOver},
		{vocab.Fault{Name: "timeout", Node: node, Settings: faults.Timeout{}}, FailedOver},
		{vocab.Fault{Name: "down", Node: node, Settings: faults.Down{}}, FailedOver},
	}
}

// Exercise starts the seed topology, checks traffic flows through the
// proxy, applies every fault kind under load and finds its Effect in the
// ledger, then checks the run left nothing behind.
func Exercise(t *testing.T, d labs.Driver, leftovers func(t *testing.T, r labs.Run) []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	led := ledger.New(time.Now())
	r, err := d.Start(ctx, Topology("t-"+d.Name()), led)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.Close(context.Background()); err != nil {
			t.Errorf("close: %v", err)
		}
		if left := leftovers(t, r); len(left) > 0 {
			t.Errorf("after Close: got %v left behind, want nothing", left)
		}
	})
	// The proxy starts after its members answer, so its first request
	// finds the primary up.
	CheckServedBy(t, r.ProxyURL(), "service")
	CheckServedBy(t, r.NodeURL("failover"), "failover")

	defer StartLoad(t, ctx, r.ProxyURL(), led)()

	WaitRows(t, led, time.Now(), "traffic through the proxy, served by the primary", Recovered)
	for _, tc := range FaultCases() {
		t.Run(tc.Fault.Name, func(t *testing.T) {
			a, err := r.Apply(ctx, tc.Fault)
			if err != nil {
				t.Fatal(err)
			}
			WaitRows(t, led, a.At, "the Effect of "+tc.Fault.Name, tc.Effect)
			if err := r.Clear(ctx, a); err != nil {
				t.Fatal(err)
			}
			clear, ok := led.FindMark(tc.Fault.Name, ledger.MarkClear)
			if _, ok2 := led.FindMark(tc.Fault.Name, ledger.MarkApply); !ok || !ok2 {
				t.Fatalf("ledger marks of %s: got apply=%t clear=%t, want both", tc.Fault.Name, ok2, ok)
			}
			WaitRows(t, led, clear.At, "recovery after "+tc.Fault.Name, Recovered)
		})
	}
	t.Run("restart", func(t *testing.T) { CheckRestart(t, ctx, r) })
}

// CheckRestart checks a restart really restarts the app: its faults live in
// memory, so one switched on before the restart is gone after it.
func CheckRestart(t *testing.T, ctx context.Context, r labs.Run) {
	marker := vocab.Fault{Name: "marker", Node: "service", Settings: faults.HTTPHealth{Health: app.HealthOK}}
	if _, err := r.Apply(ctx, marker); err != nil {
		t.Fatal(err)
	}
	a, err := r.Apply(ctx, vocab.Fault{Name: "restart", Node: "service", Settings: faults.Restart{}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Clear(ctx, a)
	ctl := app.Client{BaseURL: r.(interface{ ControlURL(string) string }).ControlURL("service")}
	var active []app.Active
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if active, err = ctl.List(ctx); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond) // polling the restarted node under a deadline
	}
	if err != nil || len(active) != 0 {
		t.Fatalf("after restart: got faults %v (err %v), want none: the app kept its state", active, err)
	}
}

// WaitRows polls the ledger until the rows sent since from satisfy ok.
func WaitRows(t *testing.T, led *ledger.Ledger, from time.Time, what string, ok Effect) {
	t.Helper()
	WaitRowsWithin(t, led, from, what, 15*time.Second, ok)
}

// WaitRowsWithin is WaitRows with its own bound.
func WaitRowsWithin(t *testing.T, led *ledger.Ledger, from time.Time, what string, within time.Duration, ok Effect) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		var rows []ledger.Row
		for _, r := range led.Rows() {
			if !r.Sent.Before(from) {
				rows = append(rows, r)
			}
		}
		if ok(rows) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s in the ledger after %v; last rows: %s", what, within, Summarize(rows))
		}
		time.Sleep(50 * time.Millisecond) // the load fills the ledger at 50 rps
	}
}

// Summarize writes the last ten rows, one a line, for failure messages.
func Summarize(rows []ledger.Row) string {
	if len(rows) > 10 {
		rows = rows[len(rows)-10:]
	}
	s := ""
	for _, r := range rows {
		s += fmt.Sprintf("\n  %s %d %s %s", r.ServedBy, r.Status, r.Err, r.Latency.Round(time.Millisecond))
	}
	return s
}

// CheckServedBy wants a 200 from url/ served by want within 10 s. It
// asks again while the answer is another: the first request through a
// proxy just started crosses cold connections (Docker's proxy, a
// Toxiproxy link, a -race build), which on a loaded 2-core machine once
// took longer than the topology's 1 s response-header timeout (a 504).
func CheckServedBy(t *testing.T, url, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := servedBy(url + "/")
		if err == nil && got == want {
			return
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = fmt.Errorf("got an answer from %q", got)
			}
			t.Fatalf("GET %s: %v; want 200 from %q", url, err, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// servedBy GETs url and returns X-Served-By of a 200.
func servedBy(url string) (string, error) {
	resp, err := labs.ReadyClient.Get(url)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return "", fmt.Errorf("got %d from %q", resp.StatusCode, resp.Header.Get("X-Served-By"))
	}
	return resp.Header.Get("X-Served-By"), nil
}

// ChildPIDs lists the live children of this process (zombies excluded).
func ChildPIDs(t *testing.T) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, e := range entries {
		var pid int
		if _, err := fmt.Sscanf(e.Name(), "%d", &pid); err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		var state string
		var ppid int
		s := string(b)
		i := LastParen(s)
		if _, err := fmt.Sscanf(s[i+1:], " %s %d", &state, &ppid); err == nil && ppid == os.Getpid() && state != "Z" {
			pids = append(pids, pid)
		}
	}
	return pids
}

// LastParen is the index of the last ')' of a /proc/PID/stat line (the
// command name may hold parentheses).
func LastParen(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == ')' {
			return i
		}
	}
	return 0
}

// Helpers shared by the driver tests: child test binaries that start a run
// and wait to be killed, load through the proxy, and the start benchmark.

// ExecHelper re-executes the test binary as the helper test named test
// with env added, and returns it with the "RUN <id> <pids...>" line it
// prints (see AnnounceRun) once its run is up.
func ExecHelper(t *testing.T, test, env string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.v")
	cmd.Env = append(os.Environ(), env)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "RUN ") {
				lines <- sc.Text()
				break
			}
		}
		close(lines)
	}()
	select {
	case line, ok := <-lines:
		if !ok {
			t.Fatal("helper ended without starting a run")
		}
		return cmd, line
	case <-time.After(2 * time.Minute):
		t.Fatal("helper did not start a run within 2 minutes")
	}
	return nil, ""
}

// AnnounceRun prints "RUN <id> <pids...>" (pids of a process run only)
// for ExecHelper and blocks until the helper is killed.
func AnnounceRun(r labs.Run) {
	line := "RUN " + r.ID()
	if pr, ok := r.(interface{ PIDs() []int }); ok {
		for _, pid := range pr.PIDs() {
			line += " " + strconv.Itoa(pid)
		}
	}
	os.Stdout.WriteString(line + "\n")
	select {} // until SIGKILL
}

// StartLoad sends 50 GET/s through url into led until the returned stop
// is called; stop waits for the load to end.
func StartLoad(t *testing.T, ctx context.Context, url string, led *ledger.Ledger) (stop func()) {
	loadCtx, stopLoad := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		spec := load.Spec{Target: url, Rate: 50, Timeout: 3 * time.Second, FreshConns: 0.5}
		if err := load.Run(loadCtx, spec, led); err != nil {
			t.Errorf("load: %v", err)
		}
	})
	return func() { stopLoad(); wg.Wait() }
}

// BenchStart times Start of the seed topology on d; Close is not timed.
func BenchStart(b *testing.B, ctx context.Context, d labs.Driver) {
	for b.Loop() {
		r, err := d.Start(ctx, Topology("b-start"), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := r.Close(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// RequireDocker skips the test when no Docker daemon answers.
func RequireDocker(t testing.TB) {
	t.Helper()
	if err := docker.Available(context.Background()); err != nil {
		t.Skipf("no Docker daemon answers (%v): the Docker driver is not tested here", err)
	}
}

// RunResources lists the containers and networks labelled with a run id.
func RunResources(t testing.TB, id string) []string {
	t.Helper()
	return resources(t, cleanup.LabelRun+"="+id)
}

// OwnedResources lists the containers and networks this process owns.
func OwnedResources(t testing.TB) []string {
	t.Helper()
	return resources(t, cleanup.LabelOwner+"="+cleanup.Self().String())
}

func resources(t testing.TB, label string) []string {
	ctx := context.Background()
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation()) // the local engine, as docker.New()'s
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	f := filters.NewArgs(filters.Arg("label", label))
	cs, err := cli.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	nets, err := cli.NetworkList(ctx, network.ListOptions{Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, c := range cs {
		left = append(left, "container "+strings.Join(c.Names, ","))
	}
	for _, n := range nets {
		left = append(left, "network "+n.Name)
	}
	return left
}
