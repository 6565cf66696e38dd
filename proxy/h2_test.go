package proxy_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/member"
)

// h2Front serves s over TLS with HTTP/2 and returns a client that speaks
// HTTP/2 to it (ALPN "h2"), as browsers do.
func h2Front(t *testing.T, s *proxy.Server) (url string, client *http.Client) {
	t.Helper()
	front := httptest.NewUnstartedServer(s.Handler)
	front.EnableHTTP2 = true
	front.StartTLS()
	t.Cleanup(front.Close)
	return front.URL, front.Client()
}

// The failover rules hold over HTTP/2 as over HTTP/1.1: a retry hides the
// 500, a POST without a key is not retried, the budget bounds retries, the
// passive failure is counted against the member, and the 503 page comes
// with Retry-After. Every answer must really be HTTP/2.
func TestFailoverRulesOverHTTP2(t *testing.T) {
	t.Run("500 retried on the standby, member ejected", func(t *testing.T) {
		svc, stb := newBackend(t, "service"), newBackend(t, "failover")
		stb.bodies = make(chan string, 1)
		svc.status.Store(500)
		pc := testPool(primary(svc), standby(stb))
		pc.Passive.Failures = 1 // checks are off: no probe would confirm it
		s, _ := newServer(t, pc, false)
		url, c := h2Front(t, s)
		got := doWith(t, c, "PUT", url+"/cart", "item=42")
		if got.proto != 2 || got.status != 200 || got.servedBy != "failover" {
			t.Fatalf("got HTTP/%d %d from %q, want HTTP/2 200 from failover", got.proto, got.status, got.servedBy)
		}
		if body := <-stb.bodies; body != "item=42" {
			t.Errorf("retried body: got %q, want %q", body, "item=42")
		}
		m := s.Pools()["web"].Member("service")
		tr, _ := m.LastTransition()
		if m.Health() != member.Error || tr.Cause != "passive: 500 on PUT /cart" {
			t.Errorf("service: got %s with cause %q, want error with %q", m.Health(), tr.Cause, "passive: 500 on PUT /cart")
		}
	})
	t.Run("POST without a key gets the member's 500", func(t *testing.T) {
		svc, stb := newBackend(t, "service"), newBackend(t, "failover")
		svc.status.Store(500)
		s, _ := newServer(t, testPool(primary(svc), standby(stb)), false)
		url, c := h2Front(t, s)
		if got := doWith(t, c, "POST", url+"/order", "item=42"); got.proto != 2 || got.status != 500 || got.servedBy != "service" {
			t.Errorf("got HTTP/%d %d from %q, want HTTP/2 500 from service", got.proto, got.status, got.servedBy)
		}
		if n := stb.hits.Load(); n != 0 {
			t.Errorf("standby saw %d requests, want 0", n)
		}
	})
	t.Run("budget bounds retries", func(t *testing.T) {
		a, b := newBackend(t, "a"), newBackend(t, "b")
		a.status.Store(503)
		p := testPool(primary(a), primary(b))
		p.Passive.Failures = 1000
		p.Retry.BudgetRatio = 0.01
		p.Retry.BudgetFloor = 1 // 10 retries in the 10 s window
		s, _ := newServer(t, p, false)
		url, c := h2Front(t, s)
		leaked := 0
		for range 36 {
			if got := doWith(t, c, "GET", url+"/", ""); got.proto != 2 {
				t.Fatalf("got HTTP/%d, want HTTP/2", got.proto)
			} else if got.status == 503 {
				leaked++
			}
		}
		if leaked != 8 {
			t.Errorf("client 503s: got %d, want 8 (18 failures, 10 retries in budget)", leaked)
		}
	})
	t.Run("nothing usable: the 503 page", func(t *testing.T) {
		svc := newBackend(t, "service")
		svc.status.Store(500)
		pc := testPool(primary(svc))
		pc.Passive.Failures, pc.Passive.EjectLast = 1, true // checks off, the only member
		s, _ := newServer(t, pc, false)
		url, c := h2Front(t, s)
		doWith(t, c, "GET", url+"/", "") // the member's 500 ejects it
		got := doWith(t, c, "GET", url+"/", "")
		if got.proto != 2 || got.status != 503 || got.proxyErr != "no-usable-member" || got.header.Get("Retry-After") == "" ||
			!strings.Contains(got.body, "Service unavailable") {
			t.Errorf("got HTTP/%d %d %q Retry-After %q, want HTTP/2 503 no-usable-member with Retry-After and the page",
				got.proto, got.status, got.proxyErr, got.header.Get("Retry-After"))
		}
	})
	t.Run("connect failure retried, alone a 502", func(t *testing.T) {
		dead, stb := newBackend(t, "dead"), newBackend(t, "failover")
		dead.srv.Close()
		s, _ := newServer(t, testPool(primary(dead), standby(stb)), false)
		url, c := h2Front(t, s)
		if got := doWith(t, c, "GET", url+"/", ""); got.proto != 2 || got.status != 200 || got.servedBy != "failover" {
			t.Errorf("with a standby: got HTTP/%d %d from %q, want HTTP/2 200 from failover", got.proto, got.status, got.servedBy)
		}
		alone, _ := newServer(t, testPool(primary(dead)), false)
		url, c = h2Front(t, alone)
		if got := doWith(t, c, "GET", url+"/", ""); got.proto != 2 || got.status != http.StatusBadGateway || got.proxyErr != "connect" {
			t.Errorf("alone: got HTTP/%d %d %q, want HTTP/2 502 connect", got.proto, got.status, got.proxyErr)
		}
	})
}

// X-Forwarded-Proto tells members the client came over TLS.
func TestForwardedProtoOverTLS(t *testing.T) {
	protos := make(chan string, 1)
	m := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != "failover-proxy-health" {
			protos <- r.Header.Get("X-Forwarded-Proto") + " " + r.Proto
		}
	}))
	t.Cleanup(m.Close)
	s, _ := newServer(t, testPool(config.Member{Name: "m", URL: m.URL, Weight: 1}), false)
	url, c := h2Front(t, s)
	doWith(t, c, "GET", url+"/", "")
	if got, want := <-protos, "https HTTP/1.1"; got != want {
		t.Errorf("member saw %q, want %q (HTTP/2 in front, HTTP/1.1 behind)", got, want)
	}
}

// An HTTP/2 client that resets its stream (RST_STREAM CANCEL) while the
// member works is the client going away: the member is not blamed, and
// other streams on the same connection go on.
func TestHTTP2StreamCancelNotBlamed(t *testing.T) {
	entered := make(chan struct{}, 1)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			entered <- struct{}{}
			<-r.Context().Done() // the proxy cancels the attempt when the client resets
			return
		}
		w.Header().Set("X-Served-By", "service")
	}))
	t.Cleanup(slow.Close)
	s, _ := newServer(t, testPool(config.Member{Name: "service", URL: slow.URL, Weight: 1}), false)
	url, c := h2Front(t, s)
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, "GET", url+"/slow", nil)
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	<-entered
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("cancelled request: got no error")
	}
	m := s.Pools()["web"].Member("service")
	eventually(t, 5*time.Second, "attempt finished", func() bool { return m.InFlight() == 0 })
	if got := doWith(t, c, "GET", url+"/fast", ""); got.proto != 2 || got.status != 200 || got.servedBy != "service" {
		t.Errorf("next stream: got HTTP/%d %d from %q, want HTTP/2 200 from service", got.proto, got.status, got.servedBy)
	}
	if tr, ok := m.LastTransition(); ok || m.Health() != member.Up {
		t.Errorf("service: got %s (last transition %+v), want up and never blamed", m.Health(), tr)
	}
}

// errBody yields some bytes, then fails: the client's body breaks mid-way.
type errBody struct{ sent bool }

func (b *errBody) Read(p []byte) (int, error) {
	if !b.sent {
		b.sent = true
		return copy(p, "item=4"), nil
	}
	return 0, io.ErrUnexpectedEOF
}

// A client whose HTTP/2 request body breaks (the client resets the stream
// mid-body) is the client's problem: the member is not blamed.
func TestHTTP2BrokenClientBodyNotBlamed(t *testing.T) {
	svc := newBackend(t, "service")
	s, _ := newServer(t, testPool(primary(svc)), false)
	url, c := h2Front(t, s)
	req, _ := http.NewRequest("PUT", url+"/cart", &errBody{})
	if resp, err := c.Do(req); err == nil {
		resp.Body.Close() // the client reset its stream: an answer may or may not reach it
	}
	m := s.Pools()["web"].Member("service")
	eventually(t, 5*time.Second, "attempt finished", func() bool { return m.InFlight() == 0 })
	if got := doWith(t, c, "GET", url+"/", ""); got.proto != 2 || got.status != 200 || got.servedBy != "service" {
		t.Errorf("next request: got HTTP/%d %d from %q, want HTTP/2 200 from service", got.proto, got.status, got.servedBy)
	}
	if tr, ok := m.LastTransition(); ok || m.Health() != member.Up {
		t.Errorf("service: got %s (last transition %+v), want up and never blamed", m.Health(), tr)
	}
}
