package health_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/health"
	"github.com/failover-lab/failover-lab/proxy/member"
	"github.com/failover-lab/failover-lab/proxy/pool"
)

// fakeMember answers checks in memory (no sockets, so synctest can run
// the clock) and records when each check came.
type fakeMember struct {
	status atomic.Int32
	hang   atomic.Bool
	mu     sync.Mutex
	at     []time.Time
}

func (f *fakeMember) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.at = append(f.at, time.Now())
	f.mu.Unlock()
	if f.hang.Load() {
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	return &http.Response{StatusCode: int(f.status.Load()), Body: io.NopCloser(strings.NewReader("ok")), Request: r}, nil
}

func (f *fakeMember) checks() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.at...)
}

func newPool(t *testing.T, mutate func(*config.Pool)) (*pool.Pool, *fakeMember) {
	t.Helper()
	pc := config.DefaultPool()
	pc.Members = []config.Member{{Name: "a", URL: "http://a.test", Weight: 1}}
	if mutate != nil {
		mutate(&pc)
	}
	p, err := pool.New("web", pc, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeMember{}
	f.status.Store(200)
	p.Transport = f
	return p, f
}

func start(t *testing.T, p *pool.Pool) {
	c := &health.Checker{Pool: p}
	c.Start(t.Context())
	t.Cleanup(c.Stop)
}

func TestIntervalWithJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, f := newPool(t, nil) // interval 5s, jitter 0.1
		start(t, p)
		time.Sleep(60 * time.Second)
		synctest.Wait()
		at := f.checks()
		if len(at) < 11 || len(at) > 14 {
			t.Fatalf("checks in 60s: got %d, want 11..14 (one at once, then every 5s±10%%)", len(at))
		}
		for i := 1; i < len(at); i++ {
			if d := at[i].Sub(at[i-1]); d < 4500*time.Millisecond || d > 5500*time.Millisecond {
				t.Errorf("gap %d: got %s, want 4.5s..5.5s", i, d)
			}
		}
	})
}

func TestDownMemberCheckedFasterAndReadmitted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, f := newPool(t, func(pc *config.Pool) { pc.Health.Jitter = 0; pc.Health.Passes = 2 })
		m := p.Members[0]
		f.status.Store(500)
		start(t, p)
		synctest.Wait()
		if m.Health() != member.Down {
			t.Fatalf("after a failing first check: got %s, want down", m.Health())
		}
		if tr, _ := m.LastTransition(); tr.Cause != "active: status 500" {
			t.Errorf("cause: got %q, want %q", tr.Cause, "active: status 500")
		}
		time.Sleep(3500 * time.Millisecond)
		synctest.Wait()
		if got := len(f.checks()); got != 4 {
			t.Errorf("checks while down over 3.5s: got %d, want 4 (at 0, 1, 2, 3 s)", got)
		}
		f.status.Store(200)
		time.Sleep(1 * time.Second) // 4s: first pass
		synctest.Wait()
		if m.Health() != member.Down {
			t.Errorf("after 1 of 2 passes: got %s, want still down", m.Health())
		}
		time.Sleep(1 * time.Second) // 5s: second pass
		synctest.Wait()
		tr, _ := m.LastTransition()
		if m.Health() != member.Up || tr.Cause != "active: 2 passes" {
			t.Errorf("after 2 passes: got %s (%q), want up (%q)", m.Health(), tr.Cause, "active: 2 passes")
		}
	})
}

func TestTimeoutCause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, f := newPool(t, nil)
		f.hang.Store(true)
		c := &health.Checker{Pool: p}
		res := c.CheckOnce(context.Background(), p.Members[0])
		if res.Pass || res.Reason != "timeout after 2s" {
			t.Errorf("got pass=%v %q, want a failure %q", res.Pass, res.Reason, "timeout after 2s")
		}
		if tr, _ := p.Members[0].LastTransition(); tr.Cause != "active: timeout after 2s" {
			t.Errorf("cause: got %q, want %q", tr.Cause, "active: timeout after 2s")
		}
	})
}

func TestHoldDownThenProbeDecides(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, f := newPool(t, func(pc *config.Pool) { pc.Health.Jitter = 0 })
		m := p.Members[0]
		start(t, p)
		synctest.Wait() // the check at once passes
		time.Sleep(time.Second)
		f.status.Store(500)
		m.PassiveFailure("500 on GET /cart", member.Rule{Failures: 1, Window: 10 * time.Second, HoldDown: 5 * time.Second, MayEject: true})
		synctest.Wait()
		before := len(f.checks())
		time.Sleep(5*time.Second - time.Millisecond)
		synctest.Wait()
		if got := len(f.checks()); got != before {
			t.Errorf("probes during the hold-down: got %d, want 0", got-before)
		}
		if m.Health() != member.Error {
			t.Fatalf("during hold-down: got %s, want error", m.Health())
		}
		time.Sleep(time.Millisecond) // hold-down over: the probe fails
		synctest.Wait()
		if m.Health() != member.Down {
			t.Fatalf("after a failing probe: got %s, want down", m.Health())
		}
		f.status.Store(200) // fixed at 6s; next probe at 7s
		time.Sleep(time.Second)
		synctest.Wait()
		tr, _ := m.LastTransition()
		if m.Health() != member.Up || tr.Cause != "active: 1 pass" {
			t.Errorf("after the fix: got %s (%q), want up (%q)", m.Health(), tr.Cause, "active: 1 pass")
		}
	})
}

func TestExpectBodyAndStatus(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		expectBody string
		wantPass   bool
		wantReason string
	}{
		{"200 any body", 200, "", true, "status 200"},
		{"302 in range", 302, "", true, "status 302"},
		{"404 outside", 404, "", false, "status 404"},
		{"body matches", 200, "^ok$", true, "status 200"},
		{"body differs", 200, "healthy", false, `status 200, body does not match "healthy"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, f := newPool(t, func(pc *config.Pool) { pc.Health.ExpectBody = tt.expectBody })
			f.status.Store(int32(tt.status))
			res := (&health.Checker{Pool: p}).CheckOnce(context.Background(), p.Members[0])
			if res.Pass != tt.wantPass || res.Reason != tt.wantReason {
				t.Errorf("got pass=%v %q, want pass=%v %q", res.Pass, res.Reason, tt.wantPass, tt.wantReason)
			}
		})
	}
}
