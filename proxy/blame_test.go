package proxy_test

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// Client faults never count against a member. Failures is 1 and checks
// are off, so a single blame would eject the member at once.
func TestClientFaultsNeverBlameTheMember(t *testing.T) {
	tests := []struct {
		name       string
		raw        string // sent as is, then the write side is closed
		wantStatus int    // 0: 400, or 499 when the server saw the close before the body error
	}{
		{"chunked body broken half way (POST, streamed)",
			"POST /order HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nitem=\r\nzz\r\n", 400},
		{"body shorter than its Content-Length (POST, streamed)",
			"POST /order HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nitem=42", 0},
		{"body shorter than its Content-Length (PUT, buffered)",
			"PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly ten b", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be := newBackend(t, "be")
			pc := testPool(primary(be), standby(newBackend(t, "failover")))
			pc.Passive.Failures = 1
			srv, front := newServer(t, pc, false)
			conn, err := net.Dial("tcp", strings.TrimPrefix(front.URL, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(5 * time.Second))
			conn.Write([]byte(tt.raw))
			conn.(*net.TCPConn).CloseWrite()
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("read response: %v", err)
			}
			resp.Body.Close()
			ok := resp.StatusCode == tt.wantStatus || tt.wantStatus == 0 && (resp.StatusCode == 400 || resp.StatusCode == 499)
			if !ok || resp.Header.Get("X-Served-By") != "proxy" {
				t.Errorf("got %d from %q, want %d from the proxy", resp.StatusCode, resp.Header.Get("X-Served-By"), tt.wantStatus)
			}
			m := srv.Pools()["web"].Member("be")
			if !m.Usable() || m.IsSuspect() || len(m.Transitions()) != 0 {
				t.Errorf("member: got %s suspect=%v timeline %+v, want up, unsuspected, no entry", m.Status(), m.IsSuspect(), m.Transitions())
			}
		})
	}
}

func TestClientGoneNeverBlamesTheMember(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer slow.Close()
	pc := testPool(config.Member{Name: "slow", URL: slow.URL}, standby(newBackend(t, "failover")))
	pc.Passive.Failures = 1
	srv, front := newServer(t, pc, false)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", front.URL+"/", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("got %d, want the client's own timeout", resp.StatusCode)
	}
	m := srv.Pools()["web"].Member("slow")
	eventually(t, 2*time.Second, "attempt finished", func() bool { return m.InFlight() == 0 })
	if !m.Usable() || m.IsSuspect() {
		t.Errorf("member: got %s suspect=%v, want up and unsuspected", m.Status(), m.IsSuspect())
	}
}

// A member that closes a kept-alive connection while it is idle (its own
// idle timeout, a restart) is not at fault: the upstream client leaves
// such a connection for a new one (it sees the close before writing, or
// sends a GET again after meeting it), the member serves, and nothing
// counts against it. Failures is 1, so one blame would eject it.
func TestMemberClosingIdleConnectionsIsNotBlamed(t *testing.T) {
	closed := make(chan struct{}, 16)
	be := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", "be")
	}))
	be.Config.IdleTimeout = 50 * time.Millisecond
	be.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			closed <- struct{}{}
		}
	}
	be.Start()
	defer be.Close()
	pc := testPool(config.Member{Name: "be", URL: be.URL, Weight: 1}, standby(newBackend(t, "failover")))
	pc.Passive.Failures = 1
	srv, front := newServer(t, pc, false)

	for i := range 3 {
		if a := do(t, "GET", front.URL+"/", ""); a.status != 200 || a.servedBy != "be" {
			t.Fatalf("GET %d: got %d from %q, want 200 from be", i+1, a.status, a.servedBy)
		}
		select { // the member closed the proxy's idle connection
		case <-closed:
		case <-time.After(5 * time.Second):
			t.Fatalf("GET %d: the member did not close its idle connection", i+1)
		}
	}
	m := srv.Pools()["web"].Member("be")
	if !m.Usable() || m.IsSuspect() || len(m.Transitions()) != 0 || m.Retries() != 0 {
		t.Errorf("member: got %s suspect=%v retries=%d timeline %+v, want up, unsuspected, no retry, no entry",
			m.Status(), m.IsSuspect(), m.Retries(), m.Transitions())
	}
}
