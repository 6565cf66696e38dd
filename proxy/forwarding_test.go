package proxy_test

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
)

func TestForwardedAndHopByHopHeaders(t *testing.T) {
	got := make(chan http.Header, 1)
	be := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Clone()
		h.Set("Host", r.Host)
		got <- h
		w.Header().Set("Connection", "X-Secret")
		w.Header().Set("X-Secret", "hop")
		w.Header().Set("X-Kept", "end-to-end")
	}))
	defer be.Close()
	_, front := newServer(t, testPool(config.Member{Name: "be", URL: be.URL}), false)

	ans := do(t, "GET", front.URL+"/x", "", "X-Forwarded-For", "10.0.0.1", "Connection", "X-Hop", "X-Hop", "1", "Keep-Alive", "timeout=5")
	h := <-got
	if xff := h.Get("X-Forwarded-For"); xff != "10.0.0.1, 127.0.0.1" {
		t.Errorf("X-Forwarded-For: got %q, want %q", xff, "10.0.0.1, 127.0.0.1")
	}
	if p := h.Get("X-Forwarded-Proto"); p != "http" {
		t.Errorf("X-Forwarded-Proto: got %q, want http", p)
	}
	if fh := h.Get("X-Forwarded-Host"); fh != strings.TrimPrefix(front.URL, "http://") {
		t.Errorf("X-Forwarded-Host: got %q, want %q", fh, strings.TrimPrefix(front.URL, "http://"))
	}
	if host := h.Get("Host"); host != strings.TrimPrefix(be.URL, "http://") {
		t.Errorf("Host: got %q, want the member's %q", host, strings.TrimPrefix(be.URL, "http://"))
	}
	for _, k := range []string{"X-Hop", "Keep-Alive"} {
		if v := h.Get(k); v != "" {
			t.Errorf("hop-by-hop %s reached the member: %q", k, v)
		}
	}
	if ans.header.Get("X-Secret") != "" || ans.header.Get("X-Kept") != "end-to-end" {
		t.Errorf("response headers: got X-Secret=%q X-Kept=%q, want none and end-to-end",
			ans.header.Get("X-Secret"), ans.header.Get("X-Kept"))
	}
}

func TestInboundRequestNotMutated(t *testing.T) {
	a, b := newBackend(t, "a"), newBackend(t, "b")
	a.status.Store(500)
	s, _ := newServer(t, testPool(primary(a), standby(b)), false)
	req := httptest.NewRequest("PUT", "/thing?q=1", strings.NewReader("body"))
	req.Header.Set("X-Forwarded-For", "10.0.0.9")
	req.Header.Set("Connection", "X-Hop")
	before := req.Header.Clone()
	url := *req.URL
	rec := httptest.NewRecorder()
	s.Handler.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Header().Get("X-Served-By") != "b" {
		t.Fatalf("got %d from %q, want 200 from b", rec.Code, rec.Header().Get("X-Served-By"))
	}
	if fmt.Sprint(req.Header) != fmt.Sprint(before) || *req.URL != url || req.Host != "example.com" {
		t.Errorf("inbound request changed: header %v (was %v), url %v (was %v), host %q",
			req.Header, before, req.URL, &url, req.Host)
	}
}

func TestTimeoutRetriedThen504(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	stb := newBackend(t, "failover")
	p := testPool(config.Member{Name: "slow", URL: slow.URL}, standby(stb))
	p.Timeouts.ResponseHeader = 50 * time.Millisecond
	_, front := newServer(t, p, false)
	if got := do(t, "GET", front.URL+"/", ""); got.status != 200 || got.servedBy != "failover" {
		t.Errorf("timeout with a standby: got %d from %q, want 200 from failover", got.status, got.servedBy)
	}

	alone := testPool(config.Member{Name: "slow", URL: slow.URL})
	alone.Timeouts.ResponseHeader = 50 * time.Millisecond
	_, front2 := newServer(t, alone, false)
	got := do(t, "GET", front2.URL+"/", "")
	if got.status != http.StatusGatewayTimeout || got.servedBy != "proxy" || got.proxyErr != "timeout" {
		t.Errorf("timeout alone: got %d %q %q, want 504 proxy timeout", got.status, got.servedBy, got.proxyErr)
	}
}

func TestServerSentEventsStream(t *testing.T) {
	next := make(chan struct{})
	be := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: one\n\n")
		w.(http.Flusher).Flush()
		<-next // the client must see "one" before "two" is written
		fmt.Fprint(w, "data: two\n\n")
	}))
	defer be.Close()
	_, front := newServer(t, testPool(config.Member{Name: "be", URL: be.URL}), false)
	resp, err := http.Get(front.URL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rd := bufio.NewReader(resp.Body)
	line, err := rd.ReadString('\n')
	if err != nil || line != "data: one\n" {
		t.Fatalf("first event: got %q, %v, want %q before the second is written", line, err, "data: one\n")
	}
	close(next)
	rest, _ := io.ReadAll(rd)
	if string(rest) != "\ndata: two\n\n" {
		t.Errorf("rest: got %q", rest)
	}
}

func TestWebSocketUpgradePassesThrough(t *testing.T) {
	be := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "websocket" {
			http.Error(w, "want upgrade", 400)
			return
		}
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
		brw.Flush()
		line, _ := brw.ReadString('\n') // echo one line, upper-cased
		brw.WriteString(strings.ToUpper(line))
		brw.Flush()
	}))
	defer be.Close()
	_, front := newServer(t, testPool(config.Member{Name: "be", URL: be.URL}), false)
	conn, err := net.Dial("tcp", strings.TrimPrefix(front.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprint(conn, "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
	rd := bufio.NewReader(conn)
	resp, err := http.ReadResponse(rd, nil)
	if err != nil || resp.StatusCode != 101 {
		t.Fatalf("upgrade: got %v, %v, want 101", resp, err)
	}
	fmt.Fprint(conn, "hello\n")
	if line, err := rd.ReadString('\n'); err != nil || line != "HELLO\n" {
		t.Errorf("echo through the upgraded connection: got %q, %v, want %q", line, err, "HELLO\n")
	}
}

func TestMalformedRequestGets4xxAndProxyStaysUp(t *testing.T) {
	be := newBackend(t, "be")
	_, front := newServer(t, testPool(primary(be)), false)
	addr := strings.TrimPrefix(front.URL, "http://")
	for _, raw := range []string{
		"GARBAGE\r\n\r\n",
		"GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: nope\r\n\r\n",
		"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
	} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		fmt.Fprint(conn, raw)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		conn.Close()
		if err != nil || resp.StatusCode < 400 || resp.StatusCode > 499 {
			t.Errorf("%q: got %v, %v, want a 4xx", raw, resp, err)
		}
	}
	if got := do(t, "GET", front.URL+"/", ""); got.status != 200 {
		t.Errorf("after malformed requests: got %d, want 200", got.status)
	}
}

func TestBodyCutShortCountsAsFailure(t *testing.T) {
	cut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
		conn, _, _ := http.NewResponseController(w).Hijack()
		conn.Close()
	}))
	defer cut.Close()
	stb := newBackend(t, "failover")
	pc := testPool(config.Member{Name: "cut", URL: cut.URL}, standby(stb))
	pc.Passive.Failures = 1 // checks are off: no probe would confirm it
	s, front := newServer(t, pc, false)
	resp, err := http.Get(front.URL + "/page")
	if err == nil {
		io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	m := s.Pools()["web"].Member("cut")
	eventually(t, 2*time.Second, "cut member out", func() bool { return !m.Usable() })
	if tr, _ := m.LastTransition(); tr.Cause != "passive: body cut short on GET /page" {
		t.Errorf("cause: got %q", tr.Cause)
	}
	if got := do(t, "GET", front.URL+"/", ""); got.servedBy != "failover" {
		t.Errorf("next request: served by %q, want failover", got.servedBy)
	}
}
