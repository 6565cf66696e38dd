package proxy_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/metrics"
)

// cannedTransport answers every attempt at once with a small 200, so a
// benchmark measures the proxy's own work per request and nothing of the
// network or of a member.
type cannedTransport struct{}

func (cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	const body = "hello from the member\n"
	return &http.Response{
		StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"text/plain"}, "X-Served-By": {"be"}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       r,
	}, nil
}

// BenchmarkOverhead is the proxy's own cost per GET (routing, selection,
// retry state, X-Forwarded-*, metrics), with a member that costs nothing:
// its allocs/op are the proxy's, not net/http's connection handling.
func BenchmarkOverhead(b *testing.B) {
	pc := config.DefaultPool()
	pc.Members = []config.Member{{Name: "be", URL: "http://127.0.0.1:1", Weight: 1},
		{Name: "sb", URL: "http://127.0.0.1:2", Tier: config.Standby, Weight: 1}}
	cfg := config.Default()
	cfg.Pools = map[string]*config.Pool{"web": &pc}
	cfg.ApplyDefaults()
	srv, err := proxy.NewServer(cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	metrics.Attach(srv) // as in the binary
	for _, p := range srv.Pools() {
		p.Transport = cannedTransport{}
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		srv.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
