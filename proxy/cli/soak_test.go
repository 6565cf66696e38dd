package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// soakMember is a loopback member that can be killed (listener and every
// connection closed, answers cut mid-body) and started again on its port.
type soakMember struct {
	name, addr string
	mu         sync.Mutex
	ln         net.Listener
	srv        *http.Server
	wg         sync.WaitGroup
}

// newSoakMember listens on a free port, which start reuses after a kill.
func newSoakMember(t *testing.T, name string) *soakMember {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := &soakMember{name: name, addr: ln.Addr().String()}
	m.serveOn(ln)
	return m
}

func (m *soakMember) start(t *testing.T) {
	ln, err := net.Listen("tcp", m.addr)
	if err != nil {
		t.Errorf("member %s: start again: %v", m.name, err)
		return
	}
	m.serveOn(ln)
}

func (m *soakMember) serveOn(ln net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(m.serve), ReadHeaderTimeout: 5 * time.Second}
	m.mu.Lock()
	m.ln, m.srv = ln, srv
	m.mu.Unlock()
	m.wg.Go(func() { srv.Serve(ln) })
}

// serve answers in two halves with a pause between, so a kill often lands
// mid-response.
func (m *soakMember) serve(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	w.Header().Set("X-Served-By", m.name)
	io.WriteString(w, strings.Repeat("a", 2048))
	w.(http.Flusher).Flush()
	time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond)
	io.WriteString(w, strings.Repeat("b", 2048))
}

// kill closes the listener and cuts every connection, like a crash.
func (m *soakMember) kill() {
	m.mu.Lock()
	srv := m.srv
	m.mu.Unlock()
	srv.Close()
	m.wg.Wait()
}

// soakDuration is the soak's length: a few seconds in `make test`,
// SOAK_DURATION=2m for a long run.
func soakDuration(t *testing.T) time.Duration {
	d := 3 * time.Second
	if s := os.Getenv("SOAK_DURATION"); s != "" {
		v, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("SOAK_DURATION: %v", err)
		}
		d = v
	}
	return d
}

// TestSoak runs load through the real server while members are killed
// mid-response and started again, the config is reloaded every second and
// the admin is hammered; under -race it then requires no race, no panic,
// every request answered with a status line, and no goroutine left.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak: not in -short")
	}
	dur := soakDuration(t)
	baseline := runtime.NumGoroutine()
	members := []*soakMember{newSoakMember(t, "a"), newSoakMember(t, "b"), newSoakMember(t, "c")}
	file := func(weight int) string {
		return fmt.Sprintf(`listen: ["127.0.0.1:0"]
admin: {listen: "127.0.0.1:0", token: soak}
pools:
  web:
    members:
      - {name: a, url: "http://%s", weight: %d}
      - {name: b, url: "http://%s"}
      - {name: c, url: "http://%s", tier: standby}
    health: {interval: 200ms, down_interval: 100ms, timeout: 500ms}
    passive: {hold_down: 300ms}
    timeouts: {response_header: 2s}
`, members[0].addr, weight, members[1].addr, members[2].addr)
	}
	path := writeFile(t, file(1))
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	traffic, adm, stop := started(t, cfg, func() (*config.Config, error) { return config.Load(path) }, &logs)

	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var (
		wg                              sync.WaitGroup
		sent, answered, ok, gen5xx, cut atomic.Int64
		lost                            atomic.Int64
		reloads, reloadFails, adminReqs atomic.Int64
		kills                           atomic.Int64
		lostMu                          sync.Mutex
		lostErrs                        []string
		codes                           = map[int]int{}
	)
	client := &http.Client{Timeout: 10 * time.Second}
	for i := range 8 {
		wg.Go(func() {
			for ctx.Err() == nil {
				var body io.Reader
				method := "GET"
				if i%4 == 3 {
					method, body = "PUT", strings.NewReader("payload")
				}
				req, _ := http.NewRequest(method, "http://"+traffic+fmt.Sprintf("/r/%d", i), body)
				sent.Add(1)
				resp, err := client.Do(req)
				if err != nil {
					lost.Add(1)
					lostMu.Lock()
					lostErrs = append(lostErrs, err.Error())
					lostMu.Unlock()
					continue
				}
				answered.Add(1)
				lostMu.Lock()
				codes[resp.StatusCode]++
				lostMu.Unlock()
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch {
				case err != nil:
					cut.Add(1) // headers forwarded, then the member died: too late to retry
				case resp.StatusCode >= 500:
					gen5xx.Add(1)
				default:
					ok.Add(1)
				}
			}
		})
	}
	wg.Go(func() { // kill a member mid-response, start it again
		for ctx.Err() == nil {
			time.Sleep(time.Duration(150+rand.IntN(250)) * time.Millisecond)
			m := members[rand.IntN(len(members))]
			m.kill()
			kills.Add(1)
			time.Sleep(time.Duration(rand.IntN(200)) * time.Millisecond)
			m.start(t)
		}
	})
	wg.Go(func() { // reload every second, with a changed weight
		for w := 2; ; w++ {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			os.WriteFile(path, []byte(file(1+w%3)), 0o644)
			req, _ := http.NewRequest("POST", "http://"+adm+"/reload", nil)
			req.Header.Set("Authorization", "Bearer soak")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				reloadFails.Add(1)
				continue
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				reloadFails.Add(1)
			}
			reloads.Add(1)
		}
	})
	for range 2 { // hammer the admin: pages, JSON, metrics, actions
		wg.Go(func() {
			paths := []string{"/", "/status", "/metrics", "/ready"}
			for n := 0; ctx.Err() == nil; n++ {
				method, p := "GET", paths[n%len(paths)]
				if n%10 == 9 {
					method, p = "POST", "/pools/web/members/c/"+[]string{"drain", "enable"}[n/10%2]
				}
				req, _ := http.NewRequest(method, "http://"+adm+p, nil)
				req.Header.Set("Authorization", "Bearer soak")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Errorf("admin %s %s: %v", method, p, err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				adminReqs.Add(1)
			}
		})
	}
	wg.Wait()
	stop()
	for _, m := range members {
		m.kill()
	}
	client.CloseIdleConnections()
	http.DefaultClient.CloseIdleConnections()

	t.Logf("soak %s: %d requests, %d answered (%d ok, %d 5xx, %d cut mid-body; by status %v), %d lost; %d kills, %d reloads (%d failed), %d admin requests",
		dur, sent.Load(), answered.Load(), ok.Load(), gen5xx.Load(), cut.Load(), codes, lost.Load(), kills.Load(), reloads.Load(), reloadFails.Load(), adminReqs.Load())
	if lost.Load() != 0 {
		t.Errorf("%d requests got no answer at all, e.g. %v", lost.Load(), lostErrs[:min(3, len(lostErrs))])
	}
	if reloadFails.Load() != 0 || reloads.Load() == 0 {
		t.Errorf("reloads: %d, %d failed; want some, none failed", reloads.Load(), reloadFails.Load())
	}
	if strings.Contains(logs.String(), "panic") {
		t.Errorf("a panic was logged:\n%s", logs.String())
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > baseline+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > baseline+2 {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines: %d after the soak, %d before\n%s", n, baseline, buf[:runtime.Stack(buf, true)])
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		t.Log("stopped early")
	}
}
