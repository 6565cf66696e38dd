package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/internal/badinput"
)

// TestBadInputSuite sends every bad input over its own socket to the real
// server (limits, handler, pools) and requires its status, a proxy that
// still serves, and no member marked down or blamed.
func TestBadInputSuite(t *testing.T) {
	member := func(name string) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("X-Served-By", name)
		}))
		t.Cleanup(s.Close)
		return s
	}
	svc, stb := member("service"), member("failover")
	cfg, err := config.Parse(strings.NewReader(fmt.Sprintf(`listen: ["127.0.0.1:0"]
admin: {listen: "127.0.0.1:0"}
limits: {body_timeout: 300ms}
pools:
  web:
    members:
      - {name: service,  url: %q}
      - {name: failover, url: %q, tier: standby}
`, svc.URL, stb.URL)), "bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	traffic, adm, stop := started(t, cfg, nil, &syncBuffer{})
	defer stop()
	for _, tc := range badinput.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			got, by := rawExchange(t, traffic, tc.Raw)
			if got != tc.Want {
				t.Errorf("got %d, want %d", got, tc.Want)
			}
			if got == 200 && by != "service" && !strings.HasPrefix(tc.Raw, "OPTIONS * ") {
				t.Errorf("200 served by %q, want the member service", by)
			}
		})
	}
	if code, by := servedBy(t, "http://"+traffic+"/"); code != 200 || by != "service" {
		t.Errorf("after the suite: got %d from %q, want 200 from service", code, by)
	}
	for _, m := range members(t, adm) {
		if m.State != "up" || m.Cause != "" {
			t.Errorf("member %s: got %s (%s), want up with no transition", m.Name, m.State, m.Cause)
		}
	}
}

// rawExchange writes raw and reads the first final answer
// (skipping a 100 Continue): its status (0 when the connection closed
// without one) and X-Served-By.
func rawExchange(t *testing.T, addr, raw string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("the proxy is down: %v", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	go io.WriteString(c, raw)
	br := bufio.NewReader(c)
	for {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return 0, ""
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusContinue {
			return resp.StatusCode, resp.Header.Get("X-Served-By")
		}
	}
}
