package proxy_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/config"
)

// backend is a scripted member: it answers status (default 200) with
// X-Served-By: name and counts requests.
type backend struct {
	name   string
	status atomic.Int32
	hits   atomic.Int32
	bodies chan string // request bodies, when not nil
	srv    *httptest.Server
}

func newBackend(t *testing.T, name string) *backend {
	t.Helper()
	b := &backend{name: name}
	b.status.Store(200)
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != "failover-proxy-health" {
			b.hits.Add(1)
		}
		body, _ := io.ReadAll(r.Body)
		if b.bodies != nil && r.Header.Get("User-Agent") != "failover-proxy-health" {
			b.bodies <- string(body)
		}
		w.Header().Set("X-Served-By", b.name)
		w.WriteHeader(int(b.status.Load()))
		fmt.Fprintf(w, "%s %s %s\n", b.name, r.Method, r.URL.Path)
	}))
	t.Cleanup(b.srv.Close)
	return b
}

// testPool is a pool config with the given members (name=url, tier).
func testPool(members ...config.Member) *config.Pool {
	p := config.DefaultPool()
	p.Members = members
	return &p
}

func primary(b *backend) config.Member {
	return config.Member{Name: b.name, URL: b.srv.URL, Tier: config.Primary, Weight: 1}
}

func standby(b *backend) config.Member {
	return config.Member{Name: b.name, URL: b.srv.URL, Tier: config.Standby, Weight: 1}
}

// newServer builds a proxy server for one pool "web"; checks are off
// unless checks is true.
func newServer(t *testing.T, p *config.Pool, checks bool) (*proxy.Server, *httptest.Server) {
	t.Helper()
	cfg := config.Default()
	cfg.Pools = map[string]*config.Pool{"web": p}
	cfg.ApplyDefaults()
	if err := cfg.Validate(); err != nil {
		t.Fatalf("config: %v", err)
	}
	s, err := proxy.NewServer(cfg, nil)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	s.NoChecks = !checks
	// As in the binary (metrics attached): the status-recording writer is in
	// the path, so Flush and Hijack are tested through it.
	s.Handler.Hooks.Done = func(string, int, time.Duration) {}
	s.Start(t.Context())
	t.Cleanup(s.Stop)
	front := httptest.NewServer(s.Handler)
	t.Cleanup(front.Close)
	return s, front
}

type answer struct {
	status   int
	servedBy string
	proxyErr string
	body     string
	header   http.Header
	proto    int // ProtoMajor of the client's response
}

func do(t *testing.T, method, url, body string, hdr ...string) answer {
	t.Helper()
	return doWith(t, http.DefaultClient, method, url, body, hdr...)
}

// doWith is do with a given client (an HTTP/2 one, h2_test.go).
func doWith(t *testing.T, client *http.Client, method, url, body string, hdr ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header.Get("X-Served-By"), resp.Header.Get("X-Proxy-Error"), string(b), resp.Header, resp.ProtoMajor}
}

// eventually polls cond every 10ms until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not true within %s", what, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
