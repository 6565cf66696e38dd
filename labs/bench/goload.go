package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/failover-lab/failover-lab/labs/load"
)

// goLoad is the fallback when wrk is not installed: conns goroutines, each
// with its own keep-alive connection, sending GETs back to back for d.
func goLoad(ctx context.Context, target string, d time.Duration, conns int) (row, error) {
	u, err := url.Parse(target)
	if err != nil {
		return row{}, err
	}
	if err := load.CheckLoopback(u); err != nil {
		return row{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	tr := &http.Transport{Proxy: nil, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var (
		mu   sync.Mutex
		lats []time.Duration
		bad  int
		wg   sync.WaitGroup
	)
	began := time.Now()
	for range conns {
		wg.Go(func() {
			var mine []time.Duration
			var myBad int
			for ctx.Err() == nil {
				t0 := time.Now()
				ok := get(ctx, client, target)
				if ctx.Err() != nil {
					break // cut short by the end of the run: not counted
				}
				mine = append(mine, time.Since(t0))
				if !ok {
					myBad++
				}
			}
			mu.Lock()
			lats, bad = append(lats, mine...), bad+myBad
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(began)
	if len(lats) == 0 {
		return row{}, fmt.Errorf("go load: no answer from %s in %s", target, d)
	}
	slices.Sort(lats)
	return row{
		rps:    float64(len(lats)) / elapsed.Seconds(),
		p50:    lats[len(lats)*50/100],
		p99:    lats[len(lats)*99/100],
		reqs:   len(lats),
		non2xx: bad,
	}, nil
}

// get sends one GET and reports whether it got a 2xx/3xx answer.
func get(ctx context.Context, c *http.Client, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode < 400
}
