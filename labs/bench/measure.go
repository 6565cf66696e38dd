package main

import (
	"context"
	"fmt"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/drivers/process"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// rowDirect is the row of the app without any proxy: the ceiling.
const rowDirect = "direct"

// row is one proxy's figures in one round.
type row struct {
	kind    string
	rps     float64
	p50     time.Duration
	p99     time.Duration
	non2xx  int // answers that were not 2xx/3xx, plus socket errors
	reqs    int
	rss     int64         // peak RSS of the proxy's process group during the load, bytes (0: not measured)
	cpu     time.Duration // CPU (user + system) of the proxy's process group per request (0: not measured)
	comment string
}

// loadFunc drives closed-loop load at url for d over conns connections.
type loadFunc func(ctx context.Context, url string, d time.Duration, conns int) (row, error)

// target is one kind started for the whole bench: a proxy in front of its
// own app node (no Toxiproxy between), or the app alone for rowDirect.
type target struct {
	kind string
	run  labs.Run
	url  string
	pid  int // the proxy's process (group leader); for rowDirect the app's
}

// start runs kind as its users run it (process.Driver.AsUsersRun; the
// builtin kind from proxy, failover-proxy's own binary).
func start(ctx context.Context, kind, proxy string) (*target, error) {
	k := vocab.ProxyKind(kind)
	if kind == rowDirect {
		k = vocab.ProxyBuiltin // started only to have the app; not loaded
	}
	top := vocab.Topology{
		Name:  "bench-" + kind,
		Proxy: vocab.ProxySpec{Kind: k},
		Nodes: []vocab.Node{{Name: "service", Fixture: vocab.FixtureApp, Role: vocab.RolePrimary}},
	}
	drv := &process.Driver{NoSignalHandler: true, Direct: true, AsUsersRun: true, ProxyBinary: proxy} // run closes its runs on SIGINT itself
	r, err := drv.Start(ctx, top, nil)
	if err != nil {
		return nil, err
	}
	t := &target{kind: kind, run: r, url: r.ProxyURL() + "/"}
	if kind == rowDirect {
		// The app alone; its RSS is that of a Go net/http server at the
		// same load, the floor under failover-proxy's.
		t.url = r.NodeURL("service") + "/"
		if p, ok := r.(interface{ NodePID(string) int }); ok {
			t.pid = p.NodePID("service")
		}
		return t, nil
	}
	if p, ok := r.(interface{ ProxyPID() int }); ok {
		t.pid = p.ProxyPID()
	}
	return t, nil
}

// measure loads t for d after a short warm-up (connections, caches and
// the Go runtime settle), sampling the proxy's RSS when rss is set, and
// taking the CPU its process group used per request over the load: a
// figure that moves less than req/s on a shared machine, since time the
// proxy waits for a core is not counted.
func (t *target) measure(ctx context.Context, load loadFunc, d time.Duration, conns int, rss bool) (row, error) {
	if _, err := load(ctx, t.url, max(d/5, time.Second), conns); err != nil {
		return row{}, fmt.Errorf("warm-up: %w", err)
	}
	var peak func() int64
	if rss && t.pid != 0 {
		peak = samplePeakRSS(ctx, t.pid)
	}
	var cpu0 time.Duration
	if t.pid != 0 {
		cpu0 = groupCPU(t.pid)
	}
	res, err := load(ctx, t.url, d, conns)
	if t.pid != 0 && res.reqs > 0 {
		res.cpu = (groupCPU(t.pid) - cpu0) / time.Duration(res.reqs)
	}
	if peak != nil {
		res.rss = peak()
	}
	res.kind = t.kind
	return res, err
}
