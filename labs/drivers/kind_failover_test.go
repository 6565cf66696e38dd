package drivers

import (
	"context"
	"errors"
	"github.com/failover-lab/failover-lab/labs/drivers/drivertest"
	"github.com/failover-lab/failover-lab/labs/drivers/process"
	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/products"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
	"github.com/failover-lab/failover-lab/proxy/config"
)

// The seed story against every proxy kind: app (primary) + error page
// (hot standby answering 200), 50 GET/s, the app switches to 500, then is
// fixed. What each product really does with the request that met the 500:
//
//	builtin  retries it on the standby          0 leaked
//	nginx    proxy_next_upstream http_500        0 leaked
//	apache   failonstatus: error state, but the 500 goes to the client;
//	         hcheck ignores failed checks of a member in error state, so
//	         after each hold-down (retry=) a client request tries it
//	         again: one 500 per hold-down while broken     ≥1, one after it
//	haproxy  observe layer7 marks it down; retry-on 500 redispatches.
//	         Whether the retry still lands on the failing server depends
//	         on whether the mark-down won the race: 1 leaked in most runs,
//	         0 in some (seen in CI)                                   ≤1
func TestKindsFailover(t *testing.T) {
	tests := []struct {
		kind  vocab.ProxyKind
		leaks func(tr trial) bool
		want  string
	}{
		{vocab.ProxyBuiltin, func(tr trial) bool { return tr.leaked == 0 }, "0"},
		{vocab.ProxyNginx, func(tr trial) bool { return tr.leaked == 0 }, "0"},
		// The fault lasts longer than kindHoldDown + 2 intervals.
		{vocab.ProxyApache, func(tr trial) bool { return tr.leaked >= 1 && tr.lastLeak >= kindHoldDown },
			">= 1, one of them after the hold-down (retry=) ran out"},
		{vocab.ProxyHAProxy, func(tr trial) bool { return tr.leaked <= 1 }, "<= 1 (a race: usually 1, sometimes 0)"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			tr := failoverTrial(t, string(tt.kind))
			t.Logf("%s: %d leaked 500s %v of %d answers while broken; first standby answer %s after the fault, "+
				"first primary answer %s after the fix; proxy-made errors %d",
				tt.kind, tr.leaked, tr.leakedAt, tr.broken, tr.failover.Round(time.Millisecond), tr.failback.Round(time.Millisecond), tr.proxyErrs)
			if !tt.leaks(tr) {
				t.Errorf("%s: got %d 500s to clients, want %s", tt.kind, tr.leaked, tt.want)
			}
			if tr.proxyErrs > 0 {
				t.Errorf("%s: got %d answers made by the proxy itself (502/503), want none: the standby was up", tt.kind, tr.proxyErrs)
			}
		})
	}
}

// trial is what the ledger says about one failover and failback.
type trial struct {
	leaked    int           // 500s that reached a client
	leakedAt  []string      // when each was sent, after the fault
	lastLeak  time.Duration // when the last one was sent, after the fault
	broken    int           // answers between the fault and the fix
	proxyErrs int           // answers the proxy made itself
	failover  time.Duration // fault applied → first answer from the standby
	failback  time.Duration // fault cleared → first answer from the primary
}

// kindInterval (health.interval) and kindHoldDown (passive.hold_down) are
// short so each trial takes seconds; LAB_KIND_INTERVAL and
// LAB_KIND_HOLD_DOWN set them (the seed story: 5s and 5s).
var (
	kindInterval = envDuration("LAB_KIND_INTERVAL", time.Second)
	kindHoldDown = envDuration("LAB_KIND_HOLD_DOWN", 2*time.Second)
)

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil && d > 0 {
		return d
	}
	return def
}

func kindTopology(kind vocab.ProxyKind) vocab.Topology {
	top := drivertest.Topology("t-" + string(kind))
	top.Name = "t-" + string(kind)
	top.Proxy = vocab.ProxySpec{Kind: kind, Pool: config.Pool{
		Health:  config.Health{Path: "/health", Interval: kindInterval, DownInterval: kindInterval},
		Passive: config.Passive{HoldDown: kindHoldDown},
	}}
	return top
}

func failoverTrial(t *testing.T, kind string) trial {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	led := ledger.New(time.Now())
	r, err := process.New().Start(ctx, kindTopology(vocab.ProxyKind(kind)), led)
	if errors.Is(err, products.ErrNotInstalled) {
		t.Skipf("proxy kind %s: %v", kind, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.Close(context.Background()); err != nil {
			t.Errorf("close: %v", err)
		}
		if pids := drivertest.ChildPIDs(t); len(pids) > 0 {
			t.Errorf("after Close: got child processes %v, want none", pids)
		}
	})
	loadCtx, stopLoad := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := load.Run(loadCtx, load.Spec{Target: r.ProxyURL(), Rate: 50, Timeout: 3 * time.Second}, led); err != nil {
			t.Errorf("load: %v", err)
		}
	})
	defer func() { stopLoad(); wg.Wait() }()

	drivertest.WaitRowsWithin(t, led, time.Now(), "traffic served by the primary", 20*time.Second, lastFrom("service", 5))
	a, err := r.Apply(ctx, vocab.Fault{Name: "500", Node: "service", Settings: faults.HTTPStatus{Status: 500}})
	if err != nil {
		t.Fatal(err)
	}
	// Long enough for a hold-down to run out and a check to see the 500s:
	// a product that lets the primary back in too early leaks again here.
	settled := a.At.Add(kindHoldDown + 2*kindInterval)
	drivertest.WaitRowsWithin(t, led, a.At, "the standby serving, the fault settled", 20*time.Second, func(rows []ledger.Row) bool {
		return len(rows) > 0 && rows[len(rows)-1].Sent.After(settled) && lastFrom("failover", 10)(rows)
	})
	if err := r.Clear(ctx, a); err != nil {
		t.Fatal(err)
	}
	clear, _ := led.FindMark("500", ledger.MarkClear)
	drivertest.WaitRowsWithin(t, led, clear.At, "traffic back on the primary", 20*time.Second, lastFrom("service", 5))

	var tr trial
	for _, row := range led.Rows() {
		if row.Sent.Before(a.At) {
			continue
		}
		if row.Sent.Before(clear.At) {
			tr.broken++
			if row.Status == 500 {
				tr.leaked++
				tr.lastLeak = row.Sent.Sub(a.At)
				tr.leakedAt = append(tr.leakedAt, "+"+tr.lastLeak.Round(time.Millisecond).String())
			}
			if tr.failover == 0 && row.ServedBy == "failover" {
				tr.failover = row.Sent.Sub(a.At)
			}
		} else if tr.failback == 0 && row.ServedBy == "service" && row.Status == 200 {
			tr.failback = row.Sent.Sub(clear.At)
		}
		if row.ServedBy == ledger.ServedByProxy {
			tr.proxyErrs++
		}
	}
	return tr
}

// lastFrom: the last n answers are 200s from node.
func lastFrom(node string, n int) func([]ledger.Row) bool {
	return func(rows []ledger.Row) bool {
		if len(rows) < n {
			return false
		}
		for _, r := range rows[len(rows)-n:] {
			if r.ServedBy != node || r.Status != 200 {
				return false
			}
		}
		return true
	}
}
