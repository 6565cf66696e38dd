package proxy_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/member"
)

func TestPrimary500GoesToStandbyWithoutClient5xx(t *testing.T) {
	svc, stb := newBackend(t, "service"), newBackend(t, "failover")
	s, front := newServer(t, testPool(primary(svc), standby(stb)), true)

	if got := do(t, "GET", front.URL+"/cart", ""); got.servedBy != "service" || got.status != 200 {
		t.Fatalf("before the fault: got %d from %q, want 200 from service", got.status, got.servedBy)
	}
	svc.status.Store(500)
	for i := range 20 {
		got := do(t, "GET", front.URL+"/cart", "")
		if got.status != 200 || got.servedBy != "failover" {
			t.Fatalf("request %d after the fault: got %d from %q, want 200 from failover", i, got.status, got.servedBy)
		}
	}
	m := s.Pools()["web"].Member("service")
	eventually(t, 2*time.Second, "service ejected", func() bool { return m.Health() == member.Error })
	// The first 500 made it suspect; the probe at once (its / answers 500
	// too) confirmed it — or, on a slow machine, the requests that raced
	// the probe (each retried) made 3 failures in a row first.
	tr, _ := m.LastTransition()
	if tr.Cause != "passive: 500 on GET /cart, probe: status 500" &&
		tr.Cause != "passive: 3 failures in a row within 10s, last 500 on GET /cart" {
		t.Errorf("service: cause %q, want the probe's confirmation or 3 failures in a row", tr.Cause)
	}
}

func TestPostRetriedOnlyWithIdempotencyKey(t *testing.T) {
	tests := []struct {
		name       string
		hdr        []string
		wantStatus int
		wantBy     string
	}{
		{"no key: the member's 500", nil, 500, "service"},
		{"with key: the standby", []string{"Idempotency-Key", "k1"}, 200, "failover"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, stb := newBackend(t, "service"), newBackend(t, "failover")
			stb.bodies = make(chan string, 1)
			svc.status.Store(500)
			_, front := newServer(t, testPool(primary(svc), standby(stb)), false)
			got := do(t, "POST", front.URL+"/order", "item=42", tt.hdr...)
			if got.status != tt.wantStatus || got.servedBy != tt.wantBy {
				t.Fatalf("got %d from %q, want %d from %q", got.status, got.servedBy, tt.wantStatus, tt.wantBy)
			}
			if tt.wantStatus == 200 {
				if body := <-stb.bodies; body != "item=42" {
					t.Errorf("retried body: got %q, want %q", body, "item=42")
				}
			}
		})
	}
}

func TestBodyOverLimitNotRetried(t *testing.T) {
	svc, stb := newBackend(t, "service"), newBackend(t, "failover")
	svc.status.Store(500)
	p := testPool(primary(svc), standby(stb))
	p.Retry.BodyLimit = 1 * config.KiB
	_, front := newServer(t, p, false)
	big := strings.Repeat("x", 2048)
	if got := do(t, "PUT", front.URL+"/blob", big); got.status != 500 || got.servedBy != "service" {
		t.Errorf("over the limit: got %d from %q, want the member's 500", got.status, got.servedBy)
	}
	if got := stb.hits.Load(); got != 0 {
		t.Errorf("standby saw %d requests, want 0", got)
	}
}

func TestExhaustedBudgetStopsRetries(t *testing.T) {
	a, b := newBackend(t, "a"), newBackend(t, "b")
	a.status.Store(503)
	p := testPool(primary(a), primary(b))
	p.Passive.Failures = 1000 // keep a usable: every request meets the failure
	p.Retry.BudgetRatio = 0.01
	p.Retry.BudgetFloor = 1 // 10 retries in the 10 s window
	p.Policy = config.PolicyRoundRobin
	_, front := newServer(t, p, false)
	var leaked int
	for range 40 {
		if got := do(t, "GET", front.URL+"/", ""); got.status == 503 {
			leaked++
		}
	}
	// 20 of 40 requests start on a; the floor lets 10 of them retry.
	if leaked != 10 {
		t.Errorf("client 503s: got %d, want 10 (20 failures, 10 retries in budget)", leaked)
	}
}

func TestConnectFailureRetriedThen502(t *testing.T) {
	dead := newBackend(t, "dead")
	dead.srv.Close()
	stb := newBackend(t, "failover")
	_, front := newServer(t, testPool(primary(dead), standby(stb)), false)
	if got := do(t, "GET", front.URL+"/", ""); got.status != 200 || got.servedBy != "failover" {
		t.Errorf("connect failure with a standby: got %d from %q, want 200 from failover", got.status, got.servedBy)
	}

	_, alone := newServer(t, testPool(primary(dead)), false)
	got := do(t, "GET", alone.URL+"/", "")
	if got.status != http.StatusBadGateway || got.servedBy != "proxy" || got.proxyErr != "connect" {
		t.Errorf("connect failure alone: got %d %q %q, want 502 proxy connect", got.status, got.servedBy, got.proxyErr)
	}
}

func TestAllDownAnswers503WithRetryAfter(t *testing.T) {
	svc := newBackend(t, "service")
	svc.status.Store(500)
	p := testPool(primary(svc))
	p.Health.DownInterval = 3 * time.Second
	p.Passive.Failures = 1
	p.Passive.EjectLast = true // passive detection alone may empty the pool
	_, front := newServer(t, p, false)
	if got := do(t, "GET", front.URL+"/", ""); got.status != 500 {
		t.Fatalf("first request: got %d, want the member's 500 (nothing to retry on)", got.status)
	}
	got := do(t, "GET", front.URL+"/", "")
	if got.status != 503 || got.servedBy != "proxy" || got.proxyErr != "no-usable-member" {
		t.Fatalf("got %d %q %q, want 503 proxy no-usable-member", got.status, got.servedBy, got.proxyErr)
	}
	if ra := got.header.Get("Retry-After"); ra != "3" {
		t.Errorf("Retry-After: got %q, want %q (the down interval, no check scheduled)", ra, "3")
	}
	if !strings.Contains(got.body, "Service unavailable") {
		t.Errorf("body: got %q, want the built-in page", got.body)
	}
}
