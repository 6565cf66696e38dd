package h1_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// rawConn is a client connection that writes raw bytes and reads answers.
type rawConn struct {
	t  *testing.T
	c  net.Conn
	br *bufio.Reader
}

func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return &rawConn{t: t, c: c, br: bufio.NewReader(c)}
}

func (r *rawConn) send(raw string) {
	r.t.Helper()
	if _, err := io.WriteString(r.c, raw); err != nil {
		r.t.Fatal(err)
	}
}

// answer reads one answer to a request of method, with its body.
func (r *rawConn) answer(method string) (*http.Response, string) {
	r.t.Helper()
	resp, err := http.ReadResponse(r.br, &http.Request{Method: method})
	if err != nil {
		r.t.Fatalf("reading an answer: %v", err)
	}
	b, _ := io.ReadAll(resp.Body) // a cut body shows in what the test compares
	resp.Body.Close()
	return resp, string(b)
}

// A keep-alive connection carries fast requests, then a request with a
// body (handed to net/http with the bytes already read), then more: all
// answered in order, the member seeing each once.
func TestFastThenHandedOffOnOneConnection(t *testing.T) {
	member := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Served-By", "be")
		io.WriteString(w, r.Method+" "+r.URL.Path+" "+string(b))
	}))
	defer member.Close()
	addr := serveEngine(t, newProxy(t, member.URL), true)
	c := dialRaw(t, addr)
	c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n" +
		"POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" +
		"GET /d HTTP/1.1\r\nHost: x\r\n\r\n")
	for _, want := range []string{"GET /a ", "GET /b ", "POST /c hello", "GET /d "} {
		resp, body := c.answer("GET")
		if resp.StatusCode != 200 || body != want || resp.Header.Get("X-Served-By") != "be" {
			t.Errorf("got %d %q from %q, want 200 %q from be", resp.StatusCode, body, resp.Header.Get("X-Served-By"), want)
		}
	}
}

// The answer is framed as net/http frames it: HEAD gets the member's
// length and no body, 204 and 304 no body, an answer of unknown length is
// chunked with its trailers after it, 1xx go ahead of the final answer.
func TestFastAnswerFraming(t *testing.T) {
	member := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/head":
			w.Header().Set("Content-Length", "11")
		case "/204":
			w.WriteHeader(204)
		case "/304":
			w.WriteHeader(304)
		case "/stream":
			w.Header().Set("Trailer", "X-Sum")
			w.Header().Add("Link", "</style.css>; rel=preload")
			w.WriteHeader(http.StatusEarlyHints)
			io.WriteString(w, "part one ")
			w.(http.Flusher).Flush()
			io.WriteString(w, "part two")
			w.Header().Set("X-Sum", "42")
		}
	}))
	defer member.Close()
	addr := serveEngine(t, newProxy(t, member.URL), true)
	c := dialRaw(t, addr)

	c.send("HEAD /head HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, body := c.answer("HEAD"); resp.ContentLength != 11 || body != "" {
		t.Errorf("HEAD: got length %d body %q, want 11 and none", resp.ContentLength, body)
	}
	for _, code := range []string{"204", "304"} {
		c.send("GET /" + code + " HTTP/1.1\r\nHost: x\r\n\r\n")
		if resp, body := c.answer("GET"); resp.Status[:3] != code || body != "" || len(resp.TransferEncoding) != 0 {
			t.Errorf("%s: got %s %q %v, want no body", code, resp.Status, body, resp.TransferEncoding)
		}
	}
	c.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
	early, _ := c.answer("GET")
	if early.StatusCode != http.StatusEarlyHints || early.Header.Get("Link") == "" {
		t.Errorf("first answer: got %d with Link %q, want 103 with the member's Link", early.StatusCode, early.Header.Get("Link"))
	}
	resp, body := c.answer("GET")
	if resp.StatusCode != 200 || body != "part one part two" || resp.Trailer.Get("X-Sum") != "42" ||
		len(resp.TransferEncoding) == 0 {
		t.Errorf("stream: got %d %q trailer %q %v, want 200, both parts, X-Sum 42, chunked", resp.StatusCode, body, resp.Trailer.Get("X-Sum"), resp.TransferEncoding)
	}
}

// A member that cuts its answer short does not pass it off as whole: the
// client's connection is cut before the declared length.
func TestFastCutBodyCutsTheClient(t *testing.T) {
	member := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, "only ten b")
		w.(http.Flusher).Flush()
		conn, _, _ := http.NewResponseController(w).Hijack()
		conn.Close()
	}))
	defer member.Close()
	addr := serveEngine(t, newProxy(t, member.URL), true)
	c := dialRaw(t, addr)
	c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	if err == nil || len(b) >= 100 {
		t.Errorf("got %d bytes and %v, want the body cut short with an error", len(b), err)
	}
}

// Shutdown closes idle connections and lets a request in progress finish.
func TestFastShutdown(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	member := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(entered)
			<-release
		}
		io.WriteString(w, "done")
	}))
	defer member.Close()
	srv := newProxy(t, member.URL)
	s, addr := startFast(t, srv)
	idle := dialRaw(t, addr)
	idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	idle.answer("GET")
	busy := dialRaw(t, addr)
	busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
	<-entered
	shut := make(chan error, 1)
	go func() { shut <- s.Shutdown(t.Context()) }()
	if _, err := idle.br.ReadByte(); err == nil {
		t.Error("idle connection: got a byte, want it closed by Shutdown")
	}
	close(release)
	if resp, body := busy.answer("GET"); resp.StatusCode != 200 || body != "done" {
		t.Errorf("request in progress at Shutdown: got %d %q, want 200 done", resp.StatusCode, body)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Error("after Shutdown: a new connection was accepted")
	}
}

// Requests the fast engine leaves to net/http still get net/http's answer
// (its own 400, 417, upgrade refusal), also after fast requests.
func TestHandedOffAnswers(t *testing.T) {
	member := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer member.Close()
	addr := serveEngine(t, newProxy(t, member.URL), true)
	for _, tc := range []struct{ raw, want string }{
		{"GET / HTTP/1.1\r\nHost: x\r\n\r\nPUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nExpect: teapot\r\n\r\nx", "200 417"},
		{"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", "200 400"},
		{"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("X-A: b\r\n", 20000) + "\r\n", "200 431"},
	} {
		c := dialRaw(t, addr)
		go io.WriteString(c.c, tc.raw) // net/http may stop reading (431) and close
		var got []string
		for range 2 {
			resp, _ := c.answer("GET")
			got = append(got, resp.Status[:3])
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%.60q: got %v, want %s", tc.raw, got, tc.want)
		}
	}
}

// The 1xx answers of an attempt that is retried never reach the client;
// those of the attempt whose answer the client gets do, ahead of it (the
// fast engine hands the rules its writer instead of a trace).
func TestFastHintsOfARetriedAttemptAreDropped(t *testing.T) {
	var n atomic.Int32
	member := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first := n.Add(1) == 1
		css, status := "</b.css>; rel=preload", 200
		if first {
			css, status = "</a.css>; rel=preload", 500
		}
		w.Header().Set("Link", css)
		w.WriteHeader(http.StatusEarlyHints)
		w.WriteHeader(status)
	}))
	defer member.Close()
	addr := serveEngine(t, newProxy(t, member.URL), true)
	c := dialRaw(t, addr)
	c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	early, _ := c.answer("GET")
	if early.StatusCode != http.StatusEarlyHints || early.Header.Get("Link") != "</b.css>; rel=preload" {
		t.Errorf("first answer: got %d with Link %q, want 103 with the second attempt's Link", early.StatusCode, early.Header.Get("Link"))
	}
	if resp, _ := c.answer("GET"); resp.StatusCode != 200 {
		t.Errorf("final answer: got %d, want 200 (the retry's)", resp.StatusCode)
	}
	if got := n.Load(); got != 2 {
		t.Errorf("member asked %d times, want 2", got)
	}
}

// A request's head may come in any pieces: longer than the connection's
// first read (1 KiB), cut anywhere, or sharing a read with the next
// request. Each is answered once, in order, with its own header intact.
func TestFastHeadsInPieces(t *testing.T) {
	member := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.URL.Path+" "+strconv.Itoa(len(r.Header.Get("X-Long"))))
	}))
	defer member.Close()
	addr := serveEngine(t, newProxy(t, member.URL), true)
	long := strings.Repeat("v", 3000)
	head := func(path string) string {
		return "GET " + path + " HTTP/1.1\r\nHost: x\r\nX-Long: " + long + "\r\n\r\n"
	}
	want := func(path string) string { return path + " 3000" }
	c := dialRaw(t, addr)
	stream := head("/a") + head("/b") + head("/c")
	// /a in pieces smaller and larger than the first read, /b and /c in
	// one write together.
	for _, cut := range []int{1, 700, 2100} {
		c.send(stream[:cut])
		stream = stream[cut:]
		time.Sleep(5 * time.Millisecond) // separate reads, most of the time: either way the answers must match
	}
	c.send(stream)
	for _, path := range []string{"/a", "/b", "/c"} {
		if resp, body := c.answer("GET"); resp.StatusCode != 200 || body != want(path) {
			t.Errorf("got %d %q, want 200 %q", resp.StatusCode, body, want(path))
		}
	}
	// Next, on the same connection, after it waited idle: a long head,
	// then two short ones in one write (both in the first read).
	c.send(head("/d"))
	if resp, body := c.answer("GET"); resp.StatusCode != 200 || body != want("/d") {
		t.Errorf("after idle: got %d %q, want 200 %q", resp.StatusCode, body, want("/d"))
	}
	c.send("GET /e HTTP/1.1\r\nHost: x\r\n\r\nGET /f HTTP/1.1\r\nHost: x\r\n\r\n")
	for _, path := range []string{"/e", "/f"} {
		if resp, body := c.answer("GET"); resp.StatusCode != 200 || body != path+" 0" {
			t.Errorf("got %d %q, want 200 %q", resp.StatusCode, body, path+" 0")
		}
	}
}
