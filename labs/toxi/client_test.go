package toxi_test

import (
	"context"
	"errors"
	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/toxi"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Every network toxic, through the in-process Toxiproxy of the process
// driver, against a plain backend: its effect is seen by a client, and
// clearing it brings the link back.
func TestToxics(t *testing.T) {
	body := strings.Repeat("x", 20<<10)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(body))
	}))
	defer backend.Close()

	ts, err := toxi.StartServer()
	if err != nil {
		t.Fatal(err)
	}
	defer ts.Close(context.Background())
	tx := toxi.New(ts.URL)
	addr, err := tx.Link("b", "127.0.0.1:0", backend.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	get := func() (time.Duration, error) {
		start := time.Now()
		resp, err := client.Get("http://" + addr + "/")
		if err != nil {
			return time.Since(start), err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err == nil && len(b) != len(body) {
			err = errors.New("short body")
		}
		return time.Since(start), err
	}
	if d, err := get(); err != nil || d > time.Second {
		t.Fatalf("baseline: got %v after %v, want a fast answer", err, d)
	}

	tests := []struct {
		name  string
		fault faults.Settings
		check func(d time.Duration, err error) string // "" = effect seen
	}{
		{"latency", faults.Latency{Latency: 300 * time.Millisecond}, func(d time.Duration, err error) string {
			if err != nil || d < 300*time.Millisecond {
				return "want an answer after >= 300ms"
			}
			return ""
		}},
		{"bandwidth", faults.Bandwidth{Rate: 20}, func(d time.Duration, err error) string {
			if err != nil || d < 500*time.Millisecond { // 20 KiB at 20 KB/s
				return "want a slow answer (>= 500ms)"
			}
			return ""
		}},
		{"reset_peer", faults.ResetPeer{}, func(d time.Duration, err error) string {
			if err == nil {
				return "want a connection error"
			}
			return ""
		}},
		{"timeout", faults.Timeout{}, func(d time.Duration, err error) string {
			var ne net.Error
			if !errors.As(err, &ne) || !ne.Timeout() {
				return "want a client timeout"
			}
			return ""
		}},
		{"down", faults.Down{}, func(d time.Duration, err error) string {
			if !errors.Is(err, syscall.ECONNREFUSED) {
				return "want connection refused"
			}
			return ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, held := faults.WatchHold(t.Context())
			before := time.Now()
			undo, err := tt.fault.Apply(ctx, faults.Target{Node: "b", Link: tx.NodeLink("b")})
			if err != nil {
				t.Fatal(err)
			}
			if at, ok := held(); !ok || at.Before(before) || at.After(time.Now()) {
				t.Errorf("%s: got in force at %v (seen %v), want it seen within the apply", tt.name, at, ok)
			}
			d, gerr := get()
			if msg := tt.check(d, gerr); msg != "" {
				t.Errorf("with %s: got err=%v after %v, %s", tt.name, gerr, d, msg)
			}
			if err := undo(t.Context()); err != nil {
				t.Fatal(err)
			}
			if d, err := get(); err != nil || d > time.Second {
				t.Errorf("after clearing %s: got %v after %v, want a fast answer", tt.name, err, d)
			}
		})
	}
}

// A link moved to a new upstream (a node back on another port) carries
// traffic there, and a link that was down stays down until enabled.
func TestSetUpstream(t *testing.T) {
	backend := func(name string) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, name) }))
		t.Cleanup(s.Close)
		return s
	}
	a, b := backend("a"), backend("b")
	ts, err := toxi.StartServer()
	if err != nil {
		t.Fatal(err)
	}
	defer ts.Close(context.Background())
	tx := toxi.New(ts.URL)
	addr, err := tx.Link("n", "127.0.0.1:0", a.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	get := func() (string, error) {
		resp, err := client.Get("http://" + addr + "/")
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return string(body), err
	}
	if got, err := get(); got != "a" {
		t.Fatalf("before: got %q (%v), want a", got, err)
	}
	if err := tx.SetUpstream("n", b.Listener.Addr().String()); err != nil {
		t.Fatal(err)
	}
	if got, err := get(); got != "b" {
		t.Fatalf("after SetUpstream: got %q (%v), want b", got, err)
	}
	link := tx.NodeLink("n")
	if err := link.SetEnabled(t.Context(), false); err != nil {
		t.Fatal(err)
	}
	if err := tx.SetUpstream("n", a.Listener.Addr().String()); err != nil {
		t.Fatal(err)
	}
	if _, err := get(); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("down link moved: got %v, want connection refused", err)
	}
	if err := link.SetEnabled(t.Context(), true); err != nil {
		t.Fatal(err)
	}
	if got, err := get(); got != "a" {
		t.Fatalf("enabled again: got %q (%v), want a", got, err)
	}
}
