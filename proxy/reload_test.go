package proxy_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/member"
)

func TestReloadKeepsInFlightAndState(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(entered)
			<-release
		}
		w.Header().Set("X-Served-By", "slow")
		io.WriteString(w, "done")
	}))
	defer slow.Close()
	bad := newBackend(t, "bad")
	bad.status.Store(500)
	p := testPool(config.Member{Name: "slow", URL: slow.URL, Weight: 1}, standby(bad))
	s, front := newServer(t, p, false)
	// Take "bad" out: drive it directly, it is a standby.
	s.Pools()["web"].Member("bad").PassiveFailure("500 on GET /", member.Rule{Failures: 1, Window: p.Passive.Window, HoldDown: p.Passive.HoldDown, MayEject: true})

	got := make(chan string, 1)
	go func() {
		resp, err := http.Get(front.URL + "/slow")
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-entered
	next := *s.Config()
	np := *p
	np.Members = append([]config.Member(nil), p.Members...)
	np.Members[0].Weight = 7
	next.Pools = map[string]*config.Pool{"web": &np}
	if err := s.Apply(&next); err != nil {
		t.Fatalf("apply: %v", err)
	}
	close(release)
	if body := <-got; body != "done" {
		t.Errorf("request in flight during the reload: got %q, want %q", body, "done")
	}
	web := s.Pools()["web"]
	if web.Member("slow").Weight() != 7 {
		t.Errorf("weight after reload: got %d, want 7", web.Member("slow").Weight())
	}
	if b := web.Member("bad"); b.Health() != member.Error || len(b.Transitions()) != 1 {
		t.Errorf("bad after reload: got %s with %d transitions, want error with its timeline kept", b.Health(), len(b.Transitions()))
	}
}

func TestFailedApplyChangesNothing(t *testing.T) {
	a := newBackend(t, "a")
	p := testPool(primary(a))
	s, front := newServer(t, p, false)
	next := *s.Config()
	np := *p
	np.Members = []config.Member{{Name: "a", URL: a.srv.URL, Weight: 9}}
	np.ErrorPage = "/nonexistent/error.html"
	next.Pools = map[string]*config.Pool{"web": &np}
	if err := s.Apply(&next); err == nil {
		t.Fatal("apply with a missing error page: got no error")
	}
	if w := s.Pools()["web"].Member("a").Weight(); w != 1 {
		t.Errorf("weight after a failed apply: got %d, want 1", w)
	}
	if got := do(t, "GET", front.URL+"/", ""); got.status != 200 || got.servedBy != "a" {
		t.Errorf("traffic after a failed apply: got %d from %q", got.status, got.servedBy)
	}
}

func TestDrainFinishesInFlight(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(entered)
			<-release
		}
		w.Header().Set("X-Served-By", "slow")
		io.WriteString(w, "done")
	}))
	defer slow.Close()
	stb := newBackend(t, "failover")
	s, front := newServer(t, testPool(config.Member{Name: "slow", URL: slow.URL, Weight: 1}, standby(stb)), false)
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get(front.URL + "/slow")
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-entered
	m := s.Pools()["web"].Member("slow")
	m.SetAdmin(member.Draining, "admin: drain")
	if a := do(t, "GET", front.URL+"/", ""); a.servedBy != "failover" {
		t.Errorf("new request while draining: served by %q, want failover", a.servedBy)
	}
	if n := m.InFlight(); n != 1 {
		t.Errorf("in flight on the draining member: got %d, want 1", n)
	}
	close(release)
	if body := <-got; body != "done" {
		t.Errorf("in-flight request on the draining member: got %q, want %q", body, "done")
	}
}

// Two proxies in one process reload independently: a reload stuck in one
// (a slow file system) does not hold up the other's. With one process-wide
// lock the second reload waited for the first.
func TestReloadsOfTwoServersDoNotWaitForEachOther(t *testing.T) {
	a := newBackend(t, "a")
	s1, _ := newServer(t, testPool(primary(a)), false)
	s2, _ := newServer(t, testPool(primary(a)), false)
	entered, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- s1.Reload(func() (*config.Config, error) {
			close(entered)
			<-release
			return s1.Config(), nil
		})
	}()
	<-entered
	second := make(chan error, 1)
	go func() { second <- s2.Reload(func() (*config.Config, error) { return s2.Config(), nil }) }()
	select {
	case err := <-second:
		if err != nil {
			t.Errorf("second server's reload: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("second server's reload waited for the first server's")
		close(release)
		<-second // so no goroutine is left
		<-first
		return
	}
	close(release)
	if err := <-first; err != nil {
		t.Errorf("first server's reload: %v", err)
	}
}
