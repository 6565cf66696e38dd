package health_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/health"
	"github.com/failover-lab/failover-lab/proxy/member"
	"github.com/failover-lab/failover-lab/proxy/pool"
)

// A member that went out is checked on a new connection. Its first
// connection answers one check and then goes silent, as one to a killed
// container does: a check that reused it from the pool would wait out the
// timeout and keep the member out although it accepts connections again.
func TestOutMemberCheckedOnNewConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var conns atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n := conns.Add(1)
			go serve(c, n == 1)
		}
	}()

	pc := config.DefaultPool()
	pc.Health.Timeout = time.Second
	pc.Members = []config.Member{{Name: "a", URL: "http://" + ln.Addr().String(), Weight: 1}}
	p, err := pool.New("web", pc, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.CloseIdle)
	c := &health.Checker{Pool: p}
	m := p.Members[0]

	if res := c.CheckOnce(t.Context(), m); !res.Pass {
		t.Fatalf("first check: %s, want a pass", res.Reason)
	}
	m.CheckDone(member.Check{At: time.Now(), Reason: "test: put out"}, 1, 1)
	if m.Health() == member.Up {
		t.Fatal("member still up after a failed check")
	}
	res := c.CheckOnce(t.Context(), m)
	if !res.Pass || m.Health() != member.Up {
		t.Errorf("check of the out member: %s (state %s), want a pass on a new connection and the member up", res.Reason, m.Status())
	}
	if got := conns.Load(); got != 2 {
		t.Errorf("connections: got %d, want 2 (the out member's check dials its own)", got)
	}
}

// serve answers each request with 200; silent after its first answer, it
// reads and never answers again.
func serve(c net.Conn, silent bool) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		req, err := http.ReadRequest(r)
		if err != nil {
			return
		}
		req.Body.Close()
		if _, err := c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")); err != nil {
			return
		}
		if silent {
			_, _ = io.Copy(io.Discard, r)
			return
		}
	}
}
