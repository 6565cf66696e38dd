package health_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/health"
	"github.com/failover-lab/failover-lab/proxy/member"
)

// A probe cut short because its checker stops (reload, failed reload,
// shutdown) says nothing about the member: it is never applied.
func TestCanceledProbeNeverCounts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, f := newPool(t, func(pc *config.Pool) { pc.Health.Timeout = 10 * time.Second })
		f.hang.Store(true)
		m := p.Members[0]
		c := &health.Checker{Pool: p}
		ctx, cancel := context.WithCancel(t.Context())
		c.Start(ctx)
		synctest.Wait() // the first check waits on the member
		c.Stop()        // as Apply does on reload
		cancel()
		if m.Health() != member.Up || m.LastCheck() != nil {
			t.Errorf("after a canceled probe: got %s, last check %+v, want up and none", m.Health(), m.LastCheck())
		}
		m.Suspect("500 on GET /")
		res := c.ConfirmOnce(ctx, m)
		if res.Reason != "canceled" || m.Health() != member.Up || !m.IsSuspect() {
			t.Errorf("canceled confirmation: got %q, %s, suspect %v; want canceled, up, still suspect", res.Reason, m.Health(), m.IsSuspect())
		}
		// The next checker (after the reload) answers the open suspicion:
		// with a probe, or with its first check at once, whichever runs first.
		f.hang.Store(false)
		f.status.Store(500)
		start(t, p)
		synctest.Wait()
		if m.Usable() || m.IsSuspect() {
			t.Errorf("after the restart: got %s, suspect %v; want out and the suspicion answered", m.Health(), m.IsSuspect())
		}
	})
}

// A passive failure makes the member suspect and its checker probes it at
// once, out of schedule: a failing probe ejects it for the hold-down, a
// passing one clears the suspicion and leaves it up.
func TestSuspectProbedAtOnce(t *testing.T) {
	tests := []struct {
		name   string
		status int
		want   member.Health
		cause  string
	}{
		{"probe fails: ejected", 500, member.Error, "passive: 500 on GET /cart, probe: status 500"},
		{"probe passes: kept", 200, member.Up, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p, f := newPool(t, func(pc *config.Pool) { pc.Health.Jitter = 0 })
				m := p.Members[0]
				start(t, p)
				synctest.Wait() // the check at startup
				f.status.Store(int32(tt.status))
				before := len(f.checks())
				time.Sleep(time.Second) // mid-interval: nothing is scheduled now
				p.PassiveFailure(m, "500 on GET /cart")
				synctest.Wait()
				if got := len(f.checks()) - before; got != 1 {
					t.Fatalf("probes after the failure: got %d, want 1 at once", got)
				}
				if m.Health() != tt.want || m.IsSuspect() {
					t.Errorf("got %s (suspect %v), want %s and no longer suspect", m.Health(), m.IsSuspect(), tt.want)
				}
				if tr, _ := m.LastTransition(); tr.Cause != tt.cause {
					t.Errorf("cause: got %q, want %q", tr.Cause, tt.cause)
				}
			})
		})
	}
}
