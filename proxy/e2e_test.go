package proxy_test

import (
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/member"
)

// TestFailoverAndFastFailback is the user's story with real sockets and
// real checks: the primary answers 500, no client sees a 5xx, the standby
// answers from the next request on, and after the fix traffic returns
// within 1.5 s although the health interval is 5 s.
func TestFailoverAndFastFailback(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time failback test")
	}
	svc, stb := newBackend(t, "service"), newBackend(t, "failover")
	p := testPool(primary(svc), standby(stb))
	p.Passive.HoldDown = 500 * time.Millisecond // shorter than the default 5 s to keep the test quick
	s, front := newServer(t, p, true)
	m := s.Pools()["web"].Member("service")
	eventually(t, 2*time.Second, "first check done", func() bool { return m.LastCheck() != nil })

	svc.status.Store(500)
	for i := range 10 {
		if got := do(t, "GET", front.URL+"/", ""); got.status >= 500 || got.servedBy != "failover" {
			t.Fatalf("request %d after the fault: got %d from %q, want 200 from failover", i, got.status, got.servedBy)
		}
	}
	eventually(t, 3*time.Second, "service down after its probe", func() bool {
		if got := do(t, "GET", front.URL+"/", ""); got.status >= 500 {
			t.Fatalf("client got %d", got.status)
		}
		return m.Health() == member.Down
	})

	svc.status.Store(200)
	fixed := time.Now()
	eventually(t, 1500*time.Millisecond, "traffic back on service", func() bool {
		got := do(t, "GET", front.URL+"/", "")
		if got.status >= 500 {
			t.Fatalf("client got %d", got.status)
		}
		return got.servedBy == "service"
	})
	t.Logf("failback %s after the fix", time.Since(fixed).Round(time.Millisecond))
}
