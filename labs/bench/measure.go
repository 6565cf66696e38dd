package main

import (
	"context"
	"fmt"
	"github.com/failover-lab/failover-lab/labs/drivers/process"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"time"
)

// rowDirect is the row of the app without any proxy: the ceiling.
const rowDirect = "direct"

// row is one proxy's figures.
type row struct {
	kind    string
	rps     float64
	p50     time.Duration
	p99     time.Duration
	non2xx  int // answers that were not 2xx/3xx, plus socket errors
	reqs    int
	comment string
}

// loadFunc drives closed-loop load at url for d over conns connections.
type loadFunc func(ctx context.Context, url string, d time.Duration, conns int) (row, error)

// measure starts kind in front of one app node (no Toxiproxy between) and
// loads it; for rowDirect it loads the app itself.
func measure(ctx context.Context, kind string, load loadFunc, d time.Duration, conns int) (row, error) {
	k := vocab.ProxyKind(kind)
	if kind == rowDirect {
		k = vocab.ProxyBuiltin // started only to have the app; not loaded
	}
	top := vocab.Topology{
		Name:  "bench-" + kind,
		Proxy: vocab.ProxySpec{Kind: k},
		Nodes: []vocab.Node{{Name: "service", Fixture: vocab.FixtureApp, Role: vocab.RolePrimary}},
	}
	drv := &process.Driver{NoSignalHandler: true} // run closes its runs on SIGINT itself
	drv.Direct = true
	r, err := drv.Start(ctx, top, nil)
	if err != nil {
		return row{}, err
	}
	defer r.Close(context.WithoutCancel(ctx))
	url := r.ProxyURL() + "/"
	if kind == rowDirect {
		url = r.NodeURL("service") + "/"
	}
	// A short warm-up: connections, caches and the Go runtime settle.
	if _, err := load(ctx, url, d/5, conns); err != nil {
		return row{}, fmt.Errorf("warm-up: %w", err)
	}
	res, err := load(ctx, url, d, conns)
	res.kind = kind
	return res, err
}
