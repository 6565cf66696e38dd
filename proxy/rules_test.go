package proxy_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/health"
	"github.com/failover-lab/failover-lab/proxy/member"
)

// pathBackend answers 500 on /poison and 200 elsewhere, as an application
// that cannot handle one request.
func pathBackend(t *testing.T, name string) config.Member {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", name)
		if r.URL.Path == "/poison" {
			w.WriteHeader(500)
		}
		fmt.Fprintln(w, name)
	}))
	t.Cleanup(srv.Close)
	return config.Member{Name: name, URL: srv.URL, Weight: 1}
}

func TestPoisonRequestNotCountedAgainstTheNextMember(t *testing.T) {
	tests := []struct {
		name        string
		blamePoison bool
		wantB       member.Health
	}{
		{"poison rule (default)", false, member.Up},
		{"blame_poison: the old rule ejects the standby", true, member.Error},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := pathBackend(t, "a"), pathBackend(t, "b")
			b.Tier = config.Standby
			pc := testPool(a, b)
			pc.Passive.BlamePoison = tt.blamePoison
			s, front := newServer(t, pc, false)
			for i := range 10 { // poison and normal traffic interleaved
				if got := do(t, "GET", front.URL+"/poison", ""); got.status != 500 || got.servedBy != "b" && !tt.blamePoison {
					t.Fatalf("poison %d: got %d from %q, want b's 500 (tried on a, then b, then no further)", i, got.status, got.servedBy)
				}
				if got := do(t, "GET", front.URL+"/page", ""); got.status != 200 {
					t.Fatalf("normal %d: got %d from %q, want 200", i, got.status, got.servedBy)
				}
			}
			p := s.Pools()["web"]
			ma, mb := p.Member("a"), p.Member("b")
			if ma.Health() != member.Up || mb.Health() != tt.wantB {
				t.Errorf("got a %s, b %s; want a up, b %s", ma.Health(), mb.Health(), tt.wantB)
			}
			if tt.blamePoison {
				return
			}
			if got := mb.Poisons(); got != 10 {
				t.Errorf("b's poison count: got %d, want 10", got)
			}
			tl := mb.Transitions()
			if len(tl) != 1 || !strings.HasPrefix(tl[0].Cause, "poison: 500 on GET /poison failed on another member first") {
				t.Errorf("b's why-timeline: got %+v, want one poison note", tl)
			}
		})
	}
}

func TestLastUsableMemberNeverEjectedPassively(t *testing.T) {
	tests := []struct {
		name      string
		ejectLast bool
		want      member.Health
	}{
		{"default: kept", false, member.Up},
		{"eject_last: ejected", true, member.Error},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, stb := newBackend(t, "service"), newBackend(t, "failover")
			svc.status.Store(500)
			pc := testPool(primary(svc), standby(stb))
			pc.Passive.Failures = 1
			pc.Passive.EjectLast = tt.ejectLast
			s, front := newServer(t, pc, false)
			p := s.Pools()["web"]
			p.Member("failover").SetAdmin(member.Disabled, "admin: disable")
			m := p.Member("service")
			if got := do(t, "GET", front.URL+"/", ""); got.status != 500 {
				t.Fatalf("got %d, want the member's 500 (nothing to retry on)", got.status)
			}
			if m.Health() != tt.want {
				t.Fatalf("got %s, want %s", m.Health(), tt.want)
			}
			if tt.ejectLast {
				return
			}
			if m.KeptLast() != 1 || !strings.Contains(m.Transitions()[0].Cause, "kept: the last usable member") {
				t.Errorf("kept count %d, timeline %+v; want 1 and a note", m.KeptLast(), m.Transitions())
			}
			// Active checks can still take it out: then the 503 page.
			(&health.Checker{Pool: p}).CheckOnce(t.Context(), m)
			if got := do(t, "GET", front.URL+"/", ""); m.Health() != member.Down || got.status != 503 {
				t.Errorf("after a failed check: got %s and %d, want down and 503", m.Health(), got.status)
			}
		})
	}
}

// hangNet answers in memory: "service", once hung, never answers (clients
// and probes wait until their context ends); "failover" answers 200.
type hangNet struct{ hung atomic.Bool }

func (n *hangNet) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == "service" && n.hung.Load() {
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	h := http.Header{"X-Served-By": {r.URL.Host}}
	return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader("ok")), Request: r}, nil
}

// A hung member: the first request waits past stall_after (1 s), the
// member is probed at once and, while the probe runs, new requests go to
// the standby; the probe times out (2 s) and ejects it, and the requests
// still waiting on it are re-sent to the standby at that moment.
func TestStallRescue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hn := &hangNet{}
		p, h := memLab(t, hn)
		synctest.Wait() // the first checks pass
		hn.hung.Store(true)
		type res struct {
			by     string
			code   int
			took   time.Duration
			sentAt time.Duration
		}
		begin := time.Now()
		var mu sync.Mutex
		var got []res
		var wg sync.WaitGroup
		for i := range 15 { // about 11 GET/s for 1.3 s, never at the stall's instant
			sent := time.Duration(i) * 90 * time.Millisecond
			time.Sleep(time.Until(begin.Add(sent)))
			wg.Go(func() {
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
				mu.Lock()
				got = append(got, res{rec.Header().Get("X-Served-By"), rec.Code, time.Since(start), sent})
				mu.Unlock()
			})
		}
		wg.Wait()
		svc := p.Member("service")
		for _, r := range got {
			if r.code != 200 || r.by != "failover" {
				t.Errorf("request sent at %s: got %d from %q, want 200 from failover", r.sentAt, r.code, r.by)
			}
			// Sent before the stall was seen (1 s): rescued when the probe
			// failed (3 s). Later: sent to failover at once.
			want := 3*time.Second - r.sentAt
			if r.sentAt >= time.Second {
				want = 0
			}
			if r.took != want {
				t.Errorf("request sent at %s took %s, want %s", r.sentAt, r.took, want)
			}
		}
		const cause = "passive: stall: GET /x waited 1s for headers, probe: timeout after 2s"
		if tr, _ := svc.LastTransition(); svc.Health() != member.Error || tr.Cause != cause || svc.Rescues() != 12 {
			t.Errorf("service: got %s %q with %d rescues, want error %q and 12", svc.Health(), tr.Cause, svc.Rescues(), cause)
		}
	})
}

// Informational answers (103 Early Hints) of an attempt that fails and is
// retried never reach the client; those of the answer it gets do.
func TestInformationalOnlyFromTheAnsweringAttempt(t *testing.T) {
	hinting := func(name string, status int) config.Member {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("User-Agent") == "failover-proxy-health" {
				return
			}
			w.Header().Set("Link", "</"+name+".css>; rel=preload")
			w.WriteHeader(http.StatusEarlyHints)
			w.Header().Set("X-Served-By", name)
			w.WriteHeader(status)
		}))
		t.Cleanup(srv.Close)
		return config.Member{Name: name, URL: srv.URL, Weight: 1}
	}
	b := hinting("b", 200)
	b.Tier = config.Standby
	_, front := newServer(t, testPool(hinting("a", 500), b), false)
	var links []string
	trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
		links = append(links, fmt.Sprintf("%d %s", code, h.Get("Link")))
		return nil
	}}
	req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", front.URL+"/", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := "103 </b.css>; rel=preload"
	if resp.Header.Get("X-Served-By") != "b" || len(links) != 1 || links[0] != want {
		t.Errorf("got %q and 1xx %q, want b and [%q]", resp.Header.Get("X-Served-By"), links, want)
	}
}
