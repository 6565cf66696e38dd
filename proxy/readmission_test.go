package proxy_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/health"
	"github.com/failover-lab/failover-lab/proxy/member"
	"github.com/failover-lab/failover-lab/proxy/pool"
)

// memNet answers in memory for hosts "service" and "failover" (no sockets,
// so synctest controls the clock); it counts client requests and probes.
type memNet struct {
	serviceStatus          atomic.Int32
	serviceHits, probeHits atomic.Int32
}

func (n *memNet) RoundTrip(r *http.Request) (*http.Response, error) {
	status := 200
	if r.URL.Host == "service" {
		status = int(n.serviceStatus.Load())
		if r.Header.Get("User-Agent") == "failover-proxy-health" {
			n.probeHits.Add(1)
		} else {
			n.serviceHits.Add(1)
		}
	}
	h := http.Header{"X-Served-By": {r.URL.Host}}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader("page")), Request: r}, nil
}

// memLab is a handler over an in-memory pool "web" — service (primary) and
// failover (standby) reached through rt — with its checker running; call
// it inside a synctest bubble.
func memLab(t *testing.T, rt http.RoundTripper) (*pool.Pool, *proxy.Handler) {
	t.Helper()
	pc := config.DefaultPool()
	pc.Health.Jitter = 0
	pc.Members = []config.Member{
		{Name: "service", URL: "http://service", Tier: config.Primary, Weight: 1},
		{Name: "failover", URL: "http://failover", Tier: config.Standby, Weight: 1},
	}
	p, err := pool.New("web", pc, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Transport = rt
	h := &proxy.Handler{}
	h.SetRoutes([]config.Route{{Path: "/", Pool: "web"}}, map[string]*pool.Pool{"web": p})
	c := &health.Checker{Pool: p}
	c.Start(t.Context())
	t.Cleanup(c.Stop)
	return p, h
}

func TestReadmissionOnlyAfterPassingProbe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		net := &memNet{}
		net.serviceStatus.Store(200)
		p, h := memLab(t, net)
		synctest.Wait()
		get := func() string {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/cart", nil))
			if rec.Code >= 500 {
				t.Fatalf("client got %d", rec.Code)
			}
			return rec.Header().Get("X-Served-By")
		}
		svc := p.Member("service")

		net.serviceStatus.Store(500)
		if by := get(); by != "failover" {
			t.Fatalf("after the fault: served by %q, want failover", by)
		}
		hits := net.serviceHits.Load()
		for range 11 { // 5.5 s of traffic: hold-down ends at 5 s, the probe fails
			time.Sleep(500 * time.Millisecond)
			get()
		}
		if got := net.serviceHits.Load(); got != hits {
			t.Errorf("client requests to service while out: got %d, want 0", got-hits)
		}
		if svc.Health() != member.Down {
			t.Fatalf("after a failing probe: got %s, want down", svc.Health())
		}
		net.serviceStatus.Store(200)
		synctest.Wait()
		if by := get(); by != "failover" {
			t.Errorf("fixed but not probed yet: served by %q, want failover", by)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if by := get(); by != "service" {
			t.Errorf("after a passing probe: served by %q, want service", by)
		}
		tl := svc.Transitions()
		want := []string{"passive: 500 on GET /cart, probe: status 500", "active: status 500", "active: 1 pass"}
		if len(tl) != len(want) {
			t.Fatalf("timeline: got %+v, want causes %q", tl, want)
		}
		for i, w := range want {
			if tl[i].Cause != w {
				t.Errorf("timeline[%d]: got %q, want %q", i, tl[i].Cause, w)
			}
		}
	})
}

func TestRetryAfterFollowsNextCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pc := config.DefaultPool()
		pc.Health.Jitter = 0
		pc.Members = []config.Member{{Name: "service", URL: "http://service", Weight: 1}}
		p, err := pool.New("web", pc, nil)
		if err != nil {
			t.Fatal(err)
		}
		net := &memNet{}
		net.serviceStatus.Store(200)
		p.Transport = net
		h := &proxy.Handler{}
		h.SetRoutes([]config.Route{{Path: "/", Pool: "web"}}, map[string]*pool.Pool{"web": p})
		c := &health.Checker{Pool: p}
		c.Start(t.Context())
		defer c.Stop()
		synctest.Wait()
		net.serviceStatus.Store(500)
		retryAfter := func() (int, string) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
			return rec.Code, rec.Header().Get("Retry-After")
		}
		if code, _ := retryAfter(); code != 500 {
			t.Fatalf("first failure: got %d, want the member's 500 (no other member)", code)
		}
		for _, step := range []struct {
			wait time.Duration
			want string
		}{
			{0, "5"},                       // hold-down 5 s
			{2500 * time.Millisecond, "3"}, // 2.5 s left, rounded up
			{2500 * time.Millisecond, "1"}, // the probe failed: down, next check in 1 s
		} {
			time.Sleep(step.wait)
			synctest.Wait()
			code, ra := retryAfter()
			if code != 503 || ra != step.want {
				t.Errorf("after %s more: got %d Retry-After %q, want 503 %q", step.wait, code, ra, step.want)
			}
		}
	})
}
