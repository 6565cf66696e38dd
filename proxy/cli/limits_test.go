package cli

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

// limitedProxy runs the binary's serve with short limits in front of one
// member and returns the traffic address.
func limitedProxy(t *testing.T, member string, limits string) string {
	t.Helper()
	cfg, err := config.Parse(strings.NewReader(fmt.Sprintf(
		"listen: [\"127.0.0.1:0\"]\nadmin: {listen: off}\nlimits: %s\npools: {web: {members: [{name: m, url: %q}]}}\n", limits, member)), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	traffic, _, stop := started(t, cfg, nil, &syncBuffer{})
	t.Cleanup(stop)
	return traffic
}

// healthUA tells the proxy's checks from client requests at a member.
func isCheck(r *http.Request) bool { return r.Header.Get("User-Agent") == "failover-proxy-health" }

// TestSlowBodyCut: a body at 1 byte per 100 ms (far under 500 B/s after
// the grace) held the client and the member connection for ever.
func TestSlowBodyCut(t *testing.T) {
	memberDone := make(chan error, 1)
	m := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isCheck(r) {
			return
		}
		_, err := io.ReadAll(r.Body)
		memberDone <- err
	}))
	t.Cleanup(m.Close)
	addr := limitedProxy(t, m.URL, "{body_timeout: 300ms, body_min_rate: 500B}")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// POST: not retryable, so the body streams to the member as it comes.
	fmt.Fprintf(c, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
	start := time.Now()
	go func() {
		for range 100 {
			if _, err := c.Write([]byte("x")); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("slow body still held after %s", time.Since(start))
	}
	if err != nil || resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("slow body: got %v %v, want 408", resp, err)
	} else {
		resp.Body.Close()
	}
	select {
	case err := <-memberDone:
		if err == nil {
			t.Error("member read the whole body, want it cut")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("member connection still held 5s after the cut")
	}
	if code, by := servedBy(t, "http://"+addr+"/"); code != 200 {
		t.Errorf("after the slow body: got %d from %q, want 200: the member was blamed", code, by)
	}
}

// TestSteadySlowUploadPasses: an honest slow client above the minimum rate
// is not cut, whatever the total time.
func TestSteadySlowUploadPasses(t *testing.T) {
	m := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%d", len(b))
	}))
	t.Cleanup(m.Close)
	addr := limitedProxy(t, m.URL, "{body_timeout: 200ms, body_min_rate: 1000B}")
	pr, pw := io.Pipe()
	go func() {
		for range 16 { // 16 × 100 B every 50 ms: 2000 B/s for 0.8 s
			pw.Write([]byte(strings.Repeat("y", 100)))
			time.Sleep(50 * time.Millisecond)
		}
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", "http://"+addr+"/", pr)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "1600" {
		t.Errorf("steady upload: got %d %q, want 200 1600", resp.StatusCode, b)
	}
}

// TestStalledReaderCutStreamNot: a client that stops reading is cut after
// write_timeout (the member's request ends); an event stream with pauses
// longer than write_timeout is not.
func TestStalledReaderCutStreamNot(t *testing.T) {
	memberDone := make(chan struct{}, 1)
	m := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isCheck(r) {
			return
		}
		if r.URL.Path == "/events" {
			w.Header().Set("Content-Type", "text/event-stream")
			for i := range 3 {
				fmt.Fprintf(w, "data: %d\n\n", i)
				w.(http.Flusher).Flush()
				time.Sleep(400 * time.Millisecond) // longer than write_timeout
			}
			return
		}
		chunk := []byte(strings.Repeat("z", 64<<10))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				break
			}
		}
		memberDone <- struct{}{}
	}))
	t.Cleanup(m.Close)
	addr := limitedProxy(t, m.URL, "{write_timeout: 300ms}")

	resp, err := http.Get("http://" + addr + "/events")
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || strings.Count(string(b), "data:") != 3 {
		t.Errorf("event stream with pauses: got %q (%v), want 3 events", b, err)
	}

	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET /download HTTP/1.1\r\nHost: x\r\n\r\n") // and never read
	select {
	case <-memberDone:
	case <-time.After(10 * time.Second):
		t.Fatal("a client that stopped reading still holds the member after 10s")
	}
}

// TestHeaderLimits: a header block past max_header_bytes gets 431, and a
// client that never finishes its headers is dropped after header_timeout.
func TestHeaderLimits(t *testing.T) {
	m := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(m.Close)
	addr := limitedProxy(t, m.URL, "{max_header_bytes: 4KiB, header_timeout: 300ms}")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 16<<10))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 431 {
		t.Errorf("16 KiB header: got %v %v, want 431", resp, err)
	}
	s, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fmt.Fprintf(s, "GET / HTTP/1.1\r\nHost: x\r\n") // never ends
	s.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(s); err != nil {
		t.Errorf("unfinished headers: got %v, want the proxy to close within 5s", err)
	}
}

// TestAdminTimeouts: the admin listener had no read or write timeout: a
// request whose body never comes held its connection for ever.
func TestAdminTimeouts(t *testing.T) {
	cfg, err := config.Parse(strings.NewReader(
		"listen: [\"127.0.0.1:0\"]\nadmin: {listen: \"127.0.0.1:0\"}\nlimits: {admin_timeout: 300ms}\npools: {web: {members: [{url: 'http://127.0.0.1:1'}]}}\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, adm, stop := started(t, cfg, nil, &syncBuffer{})
	defer stop()
	c, err := net.Dial("tcp", adm)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /reload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Requested-By: t\r\nContent-Length: 100\r\n\r\n") // no body
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	io.ReadAll(c)
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("admin connection held %s, want it closed after admin_timeout", d)
	}
}
