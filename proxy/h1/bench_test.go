package h1_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/h1"
	"github.com/failover-lab/failover-lab/proxy/metrics"
)

// newProxy is a proxy as the binary builds it (metrics attached) in front
// of member, checks off.
func newProxy(tb testing.TB, member string) *proxy.Server {
	tb.Helper()
	pc := config.DefaultPool()
	pc.Members = []config.Member{{Name: "be", URL: member, Weight: 1},
		{Name: "sb", URL: member, Tier: config.Standby, Weight: 1}}
	cfg := config.Default()
	cfg.Pools = map[string]*config.Pool{"web": &pc}
	cfg.ApplyDefaults()
	srv, err := proxy.NewServer(cfg, nil)
	if err != nil {
		tb.Fatal(err)
	}
	metrics.Attach(srv)
	return srv
}

// serveEngine serves h on a loopback listener with the fast engine (fast)
// or net/http's server, and returns its address.
func serveEngine(tb testing.TB, srv *proxy.Server, fast bool) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	nethttp := &http.Server{Handler: srv.Handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute, MaxHeaderBytes: 64 << 10}
	var s interface {
		Serve(net.Listener) error
		Close() error
	} = nethttp
	if fast {
		s = &h1.Server{Handler: srv.Handler.Fast(), Fallback: nethttp, HeaderTimeout: 10 * time.Second,
			IdleTimeout: time.Minute, WriteTimeout: 30 * time.Second, MaxHeaderBytes: 64 << 10}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Serve(ln)
	}()
	tb.Cleanup(func() {
		s.Close()
		<-done
	})
	return ln.Addr().String()
}

// BenchmarkEngines proxies GET / over keep-alive loopback connections
// through each engine in turn (same member, same proxy), reporting each
// one's time per request: read the ratio, not the absolute figures.
func BenchmarkEngines(b *testing.B) {
	member := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", "be")
		io.WriteString(w, "hello from the member\n")
	}))
	defer member.Close()
	srv := newProxy(b, member.URL)
	for _, e := range []struct {
		name string
		fast bool
	}{{"net-http", false}, {"h1", true}} {
		b.Run(e.name, func(b *testing.B) {
			addr := serveEngine(b, srv, e.fast)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					b.Error(err)
					return
				}
				defer c.Close()
				br := bufio.NewReader(c)
				for pb.Next() {
					if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: bench\r\n\r\n"); err != nil {
						b.Error(err)
						return
					}
					resp, err := http.ReadResponse(br, nil)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
				}
			})
		})
	}
}

// startFast serves srv with the fast engine on loopback; the test may
// shut it down itself (Close at cleanup is then a no-op).
func startFast(tb testing.TB, srv *proxy.Server) (*h1.Server, string) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &h1.Server{Handler: srv.Handler.Fast(), Fallback: &http.Server{Handler: srv.Handler},
		HeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute, WriteTimeout: 30 * time.Second, MaxHeaderBytes: 64 << 10}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Serve(ln)
	}()
	tb.Cleanup(func() {
		s.Close()
		<-done
	})
	return s, ln.Addr().String()
}
