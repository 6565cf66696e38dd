package labs

import (
	"context"
	"fmt"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"os"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/fixtures/app"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/proxy/config"
)

// testTopology is the seed story: the app as primary, the error page (200)
// as hot standby, with fast health checks so effects show within a second.
func testTopology(name string) vocab.Topology {
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

// effect is what a fault must show in the ledger rows sent while it is on.
type effect func(rows []ledger.Row) bool

// failedOver: some answer came from the standby.
func failedOver(rows []ledger.Row) bool {
	for _, r := range rows {
		if r.ServedBy == "failover" {
			return true
		}
	}
	return false
}

// slowed: some answer from the primary took at least 250ms (the fault adds
// 300ms), or the proxy gave up on it and the standby answered.
func slowed(rows []ledger.Row) bool {
	for _, r := range rows {
		if r.ServedBy == "service" && r.Status == 200 && r.Latency >= 250*time.Millisecond {
			return true
		}
	}
	return failedOver(rows)
}

// recovered: the last five answers are 200s from the primary.
func recovered(rows []ledger.Row) bool {
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

func faultCases() []struct {
	fault  vocab.Fault
	effect effect
} {
	node := "service"
	c := func(action vocab.Action, signal string) *vocab.ContainerFault {
		return &vocab.ContainerFault{Action: action, Signal: signal}
	}
	return []struct {
		fault  vocab.Fault
		effect effect
	}{
		{vocab.Fault{Name: "http-500", Node: node, HTTP: &app.Fault{Kind: app.KindStatus, Status: 500}}, failedOver},
		{vocab.Fault{Name: "stop", Node: node, Container: c(vocab.Action("stop"), "")}, failedOver},
		{vocab.Fault{Name: "kill", Node: node, Container: c(vocab.Action("kill"), "SIGKILL")}, failedOver},
		{vocab.Fault{Name: "pause", Node: node, Container: c(vocab.Action("pause"), "")}, failedOver},
		{vocab.Fault{Name: "disconnect", Node: node, Container: c(vocab.Action("disconnect"), "")}, failedOver},
		{vocab.Fault{Name: "restart-loop", Node: node, Container: c(vocab.Action("restart-loop"), "")}, failedOver},
		{vocab.Fault{Name: "latency", Node: node, Network: &vocab.NetworkFault{Toxic: vocab.Toxic("latency"), Latency: 300 * time.Millisecond, Jitter: 10 * time.Millisecond}}, slowed},
		{vocab.Fault{Name: "bandwidth", Node: node, Network: &vocab.NetworkFault{Toxic: vocab.Toxic("bandwidth"), Rate: 1}}, slowed},
		{vocab.Fault{Name: "reset-peer", Node: node, Network: &vocab.NetworkFault{Toxic: vocab.Toxic("reset_peer")}}, failedOver},
		{vocab.Fault{Name: "timeout", Node: node, Network: &vocab.NetworkFault{Toxic: vocab.Toxic("timeout")}}, failedOver},
		{vocab.Fault{Name: "down", Node: node, Network: &vocab.NetworkFault{Toxic: vocab.Toxic("down")}}, failedOver},
	}
}

// testDriver starts the seed topology, checks traffic flows through the
// proxy, applies every fault kind under load and finds its effect in the
// ledger, then checks the run left nothing behind.
func testDriver(t *testing.T, d Driver, leftovers func(t *testing.T, r Run) []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	led := ledger.New(time.Now())
	r, err := d.Start(ctx, testTopology("t-"+d.Name()), led)
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
	checkServedBy(t, r.ProxyURL(), "service")
	checkServedBy(t, r.NodeURL("failover"), "failover")

	defer startLoad(t, ctx, r.ProxyURL(), led)()

	waitRows(t, led, time.Now(), "traffic through the proxy, served by the primary", recovered)
	for _, tc := range faultCases() {
		t.Run(tc.fault.Name, func(t *testing.T) {
			a, err := r.Apply(ctx, tc.fault)
			if err != nil {
				t.Fatal(err)
			}
			waitRows(t, led, a.At, "the effect of "+tc.fault.Name, tc.effect)
			if err := r.Clear(ctx, a); err != nil {
				t.Fatal(err)
			}
			clear, ok := led.FindMark(tc.fault.Name, ledger.MarkClear)
			if _, ok2 := led.FindMark(tc.fault.Name, ledger.MarkApply); !ok || !ok2 {
				t.Fatalf("ledger marks of %s: got apply=%t clear=%t, want both", tc.fault.Name, ok2, ok)
			}
			waitRows(t, led, clear.At, "recovery after "+tc.fault.Name, recovered)
		})
	}
	t.Run("restart", func(t *testing.T) { testRestart(t, ctx, r) })
}

// testRestart checks a restart really restarts the app: its faults live in
// memory, so one switched on before the restart is gone after it.
func testRestart(t *testing.T, ctx context.Context, r Run) {
	marker := vocab.Fault{Name: "marker", Node: "service", HTTP: &app.Fault{ID: "marker", Kind: app.KindHealth, Health: app.HealthOK}}
	if _, err := r.Apply(ctx, marker); err != nil {
		t.Fatal(err)
	}
	a, err := r.Apply(ctx, vocab.Fault{Name: "restart", Node: "service", Container: &vocab.ContainerFault{Action: vocab.Action("restart")}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Clear(ctx, a)
	ctl := app.Client{BaseURL: r.(interface{ controlURL(string) string }).controlURL("service")}
	var faults []app.Active
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if faults, err = ctl.List(ctx); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond) // polling the restarted node under a deadline
	}
	if err != nil || len(faults) != 0 {
		t.Fatalf("after restart: got faults %v (err %v), want none: the app kept its state", faults, err)
	}
}

// waitRows polls the ledger until the rows sent since from satisfy ok.
func waitRows(t *testing.T, led *ledger.Ledger, from time.Time, what string, ok effect) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
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
			t.Fatalf("no %s in the ledger after 15s; last rows: %s", what, summarize(rows))
		}
		time.Sleep(50 * time.Millisecond) // the load fills the ledger at 50 rps
	}
}

func summarize(rows []ledger.Row) string {
	if len(rows) > 10 {
		rows = rows[len(rows)-10:]
	}
	s := ""
	for _, r := range rows {
		s += fmt.Sprintf("\n  %s %d %s %s", r.ServedBy, r.Status, r.Err, r.Latency.Round(time.Millisecond))
	}
	return s
}

func checkServedBy(t *testing.T, url, want string) {
	t.Helper()
	resp, err := readyClient.Get(url + "/")
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Served-By"); got != want || resp.StatusCode != 200 {
		t.Fatalf("GET %s: got %d from %q, want 200 from %q", url, resp.StatusCode, got, want)
	}
}

// childPIDs lists the live children of this process (zombies excluded).
func childPIDs(t *testing.T) []int {
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
		i := lastParen(s)
		if _, err := fmt.Sscanf(s[i+1:], " %s %d", &state, &ppid); err == nil && ppid == os.Getpid() && state != "Z" {
			pids = append(pids, pid)
		}
	}
	return pids
}

func lastParen(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == ')' {
			return i
		}
	}
	return 0
}
