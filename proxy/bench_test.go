package proxy_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/metrics"
)

// BenchmarkHotPath proxies GET / through the failover handler and through a
// bare httputil.ReverseProxy to the same member, interleaved in one run,
// with metrics attached as in the binary, and reports their ratio (machines here are shared: absolute ns vary).
func BenchmarkHotPath(b *testing.B) {
	be := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", "be")
		io.WriteString(w, "hello from the member\n")
	}))
	defer be.Close()
	u, _ := url.Parse(be.URL)
	bare := httputil.NewSingleHostReverseProxy(u)
	bare.Transport = &http.Transport{MaxIdleConnsPerHost: 256}

	pc := config.DefaultPool()
	pc.Members = []config.Member{{Name: "be", URL: be.URL, Weight: 1}, {Name: "sb", URL: be.URL, Tier: config.Standby, Weight: 1}}
	cfg := config.Default()
	cfg.Pools = map[string]*config.Pool{"web": &pc}
	cfg.ApplyDefaults()
	srv, err := proxy.NewServer(cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	metrics.Attach(srv) // as in the binary

	run := func(h http.Handler) time.Duration {
		req := httptest.NewRequest("GET", "/", nil)
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		d := time.Since(start)
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
		return d
	}
	var ours, theirs time.Duration
	b.ReportAllocs()
	for b.Loop() {
		ours += run(srv.Handler)
		theirs += run(bare)
	}
	n := float64(b.N)
	b.ReportMetric(float64(ours.Nanoseconds())/n, "ns/failover-proxy")
	b.ReportMetric(float64(theirs.Nanoseconds())/n, "ns/reverseproxy")
	b.ReportMetric(float64(ours)/float64(theirs), "ratio")
}
