package proxy_test

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A retryable request whose body ends before its Content-Length gets a 400
// from the proxy (X-Proxy-Error: bad-request), and the member is not
// blamed: it never saw the request.
func TestShortRequestBodyGets400(t *testing.T) {
	be := newBackend(t, "be")
	srv, front := newServer(t, testPool(primary(be)), false)
	conn, err := net.Dial("tcp", strings.TrimPrefix(front.URL, "http://"))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Write([]byte("PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly ten b")); err != nil {
		t.Fatalf("write: %v", err)
	}
	conn.(*net.TCPConn).CloseWrite()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("X-Proxy-Error") != "bad-request" {
		t.Errorf("got %d X-Proxy-Error %q, want 400 bad-request", resp.StatusCode, resp.Header.Get("X-Proxy-Error"))
	}
	if got := be.hits.Load(); got != 0 {
		t.Errorf("member hits %d, want 0", got)
	}
	if m := srv.Pools()["web"].Member("be"); !m.Usable() {
		t.Errorf("member state %s, want up", m.Status())
	}
}
