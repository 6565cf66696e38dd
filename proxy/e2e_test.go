package proxy_test

import (
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/member"
)

// load sends GET / at 50 per second until stop, counting client 5xx and
// transport errors.
type load struct {
	stop         chan struct{}
	once         sync.Once
	wg           sync.WaitGroup
	sent, errors atomic.Int32
	fivexx       atomic.Int32
}

func startLoad(url string) *load {
	l := &load{stop: make(chan struct{})}
	client := &http.Client{Timeout: 5 * time.Second}
	l.wg.Go(func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-tick.C:
			}
			l.sent.Add(1)
			l.wg.Go(func() {
				resp, err := client.Get(url)
				if err != nil {
					l.errors.Add(1)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode >= 500 {
					l.fivexx.Add(1)
				}
			})
		}
	})
	return l
}

func (l *load) end() { l.once.Do(func() { close(l.stop) }); l.wg.Wait() }

// TestFailoverAndFastFailback is the user's story with real sockets and
// real checks under 50 GET/s: the primary answers 500, no client sees a
// 5xx, the standby answers from the next request on, and after the fix
// traffic returns within 1.5 s although the health interval is 5 s.
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
	bg := startLoad(front.URL + "/load")
	defer bg.end()

	svc.status.Store(500)
	for i := range 10 {
		if got := do(t, "GET", front.URL+"/", ""); got.status >= 500 || got.servedBy != "failover" {
			t.Fatalf("request %d after the fault: got %d from %q, want 200 from failover", i, got.status, got.servedBy)
		}
	}
	eventually(t, 3*time.Second, "service down after its probe", func() bool { return m.Health() == member.Down })

	svc.status.Store(200)
	fixed := time.Now()
	eventually(t, 1500*time.Millisecond, "traffic back on service", func() bool {
		return do(t, "GET", front.URL+"/", "").servedBy == "service"
	})
	t.Logf("failback %s after the fix", time.Since(fixed).Round(time.Millisecond))
	bg.end()
	if bg.fivexx.Load() != 0 || bg.errors.Load() != 0 {
		t.Errorf("under load: %d of %d requests got a 5xx, %d failed, want none", bg.fivexx.Load(), bg.sent.Load(), bg.errors.Load())
	}
}
