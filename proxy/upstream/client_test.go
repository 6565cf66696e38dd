package upstream_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/upstream"
)

func TestSequentialGETsShareOneConnection(t *testing.T) {
	m := newMember(t, keepAlive(okAnswer))
	r := newRig(t, nil)
	for i := range 5 {
		if got := r.get(t, m.URL()); got != "ok" {
			t.Fatalf("GET %d: body %q, want %q", i, got, "ok")
		}
	}
	if n := m.accepts.Load(); n != 1 {
		t.Errorf("connections accepted for 5 GETs: got %d, want 1", n)
	}
}

// staleMember answers the first connection's first request, then ends
// that connection without Connection: close: at once, while the client
// holds it idle (closeIdle; its idle timeout, as the client sees it), or
// when the next request arrives, unanswered (the same timeout running
// out as the request travels, which no check beforehand can see). It
// signals when the connection is closed; later connections are answered
// by later.
func staleMember(t *testing.T, closeIdle bool, later func(int, net.Conn, *bufio.Reader)) (*member, <-chan struct{}) {
	closed := make(chan struct{})
	m := newMember(t, func(n int, c net.Conn, br *bufio.Reader) {
		if n > 1 {
			later(n, c, br)
			return
		}
		if readRequest(br) {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst")
		}
		if !closeIdle {
			readRequest(br)
		}
		c.Close()
		close(closed)
	})
	return m, closed
}

// TestClosedIdleConnectionNotUsed: a connection the member closed while it
// was idle is left for a new one before anything is written, so even a
// request that may not be sent twice goes through.
func TestClosedIdleConnectionNotUsed(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			m, closed := staleMember(t, true, keepAlive(okAnswer))
			r := newRig(t, nil)
			r.get(t, m.URL())
			wait(t, closed, 5*time.Second, "member closing the idle connection")
			req, _ := http.NewRequest(method, m.URL(), nil)
			resp, err := r.RoundTrip(req)
			if err != nil {
				t.Fatalf("%s after the member closed the idle connection: %v", method, err)
			}
			resp.Body.Close()
			if n := r.dials.Load(); n != 2 {
				t.Errorf("dials: got %d, want 2", n)
			}
		})
	}
}

// TestUnsolicitedAnswerNotTakenForTheNext: bytes a member sends on an idle
// connection (an answer sent twice, or late) are never read as the next
// request's answer.
func TestUnsolicitedAnswerNotTakenForTheNext(t *testing.T) {
	answered, sent := make(chan struct{}), make(chan struct{})
	m := newMember(t, func(n int, c net.Conn, br *bufio.Reader) {
		if n > 1 {
			keepAlive(freshAnswer)(n, c, br)
			return
		}
		if readRequest(br) {
			io.WriteString(c, okAnswer)
		}
		select { // once the client has the answer and keeps the connection
		case <-answered:
		case <-time.After(5 * time.Second):
		}
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale")
		close(sent)
		hang(c)
	})
	r := newRig(t, nil)
	r.get(t, m.URL())
	close(answered)
	wait(t, sent, 5*time.Second, "member sending an answer nobody asked for")
	if got := r.get(t, m.URL()); got != "fresh" {
		t.Fatalf("GET after an unsolicited answer: body %q, want %q from a new connection", got, "fresh")
	}
}

func TestStaleConnectionRetriedOnANewOne(t *testing.T) {
	m, closed := staleMember(t, false, keepAlive("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond"))
	r := newRig(t, nil)
	if got := r.get(t, m.URL()); got != "first" {
		t.Fatalf("first GET: body %q, want %q", got, "first")
	}
	if got := r.get(t, m.URL()); got != "second" {
		t.Fatalf("GET on the stale connection: body %q, want %q", got, "second")
	}
	wait(t, closed, 5*time.Second, "member closing the kept connection")
	if n := r.dials.Load(); n != 2 {
		t.Errorf("dials: got %d, want 2", n)
	}
}

func TestStaleConnectionPOSTNotResent(t *testing.T) {
	m, closed := staleMember(t, false, keepAlive(okAnswer))
	r := newRig(t, nil)
	r.get(t, m.URL())
	req, _ := http.NewRequest(http.MethodPost, m.URL(), nil)
	resp, err := r.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
		t.Fatal("POST on a connection the member closed: got an answer, want an error (it was sent twice)")
	}
	wait(t, closed, 5*time.Second, "member closing the kept connection")
	if n := r.dials.Load(); n != 1 {
		t.Errorf("dials: got %d, want 1 (the POST must not be re-sent)", n)
	}
}

func TestHungMemberOnKeptConnectionAskedOnce(t *testing.T) {
	const timeout = 300 * time.Millisecond
	asked := make(chan struct{}, 2)
	m := newMember(t, func(n int, c net.Conn, br *bufio.Reader) {
		if n == 1 && readRequest(br) {
			io.WriteString(c, okAnswer)
		}
		if readRequest(br) {
			asked <- struct{}{}
			if n > 1 { // a second attempt would get its answer
				io.WriteString(c, okAnswer)
			}
		}
		hang(c)
	})
	r := newRig(t, func(tr *http.Transport) { tr.ResponseHeaderTimeout = timeout })
	r.get(t, m.URL())
	start := time.Now()
	req, _ := http.NewRequest(http.MethodGet, m.URL(), nil)
	resp, err := r.RoundTrip(req)
	elapsed := time.Since(start)
	if err == nil {
		resp.Body.Close()
		t.Fatal("GET to a hung member: got an answer, want a timeout")
	}
	if ne, ok := errors.AsType[net.Error](err); !ok || !ne.Timeout() {
		t.Errorf("error: got %v, want a net.Error with Timeout()", err)
	}
	if n := r.dials.Load(); n != 1 {
		t.Errorf("dials: got %d, want 1 (a hung member is not asked twice)", n)
	}
	if elapsed >= 2*timeout {
		t.Errorf("took %v, want one header timeout (%v)", elapsed, timeout)
	}
	wait(t, asked, 5*time.Second, "request reaching the member")
}

func TestResponseHeaderTimeout(t *testing.T) {
	const timeout = 100 * time.Millisecond
	m := newMember(t, func(_ int, c net.Conn, _ *bufio.Reader) { hang(c) })
	r := newRig(t, func(tr *http.Transport) { tr.ResponseHeaderTimeout = timeout })
	req, _ := http.NewRequest(http.MethodGet, m.URL(), nil)
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		resp, err := r.RoundTrip(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	err := wait(t, done, 5*time.Second, "RoundTrip to a member that never answers")
	if ne, ok := errors.AsType[net.Error](err); !ok || !ne.Timeout() {
		t.Fatalf("error: got %v, want a net.Error with Timeout()", err)
	}
	if elapsed := time.Since(start); elapsed < timeout {
		t.Errorf("timed out after %v, before the %v header timeout", elapsed, timeout)
	}
}

var errGone = errors.New("the client went away")

func TestCancelWhileWaitingForHeaders(t *testing.T) {
	asked := make(chan struct{})
	m := newMember(t, func(_ int, c net.Conn, br *bufio.Reader) {
		if readRequest(br) {
			close(asked)
		}
		hang(c)
	})
	r := newRig(t, nil)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, m.URL(), nil)
	done := make(chan error, 1)
	go func() {
		resp, err := r.RoundTrip(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	wait(t, asked, 5*time.Second, "request reaching the member")
	cancel(errGone)
	if err := wait(t, done, 5*time.Second, "RoundTrip after cancel"); !errors.Is(err, errGone) {
		t.Errorf("error: got %v, want the context's cause %v", err, errGone)
	}
}

func TestCancelWhileReadingBody(t *testing.T) {
	m := newMember(t, func(_ int, c net.Conn, br *bufio.Reader) {
		if readRequest(br) {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
		}
		hang(c)
	})
	r := newRig(t, nil)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, m.URL(), nil)
	resp, err := r.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadFull(resp.Body, make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := resp.Body.Read(make([]byte, 10))
		done <- err
	}()
	cancel(errGone)
	if err := wait(t, done, 5*time.Second, "body read after cancel"); !errors.Is(err, errGone) {
		t.Errorf("body read after cancel: got %v, want the context's cause %v", err, errGone)
	}
}

func TestConnectionNotKept(t *testing.T) {
	for _, tc := range []struct{ name, answer string }{
		{"Connection: close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"},
		{"HTTP/1.0", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The member keeps the connection open: only the client's
			// reading of the answer may decide not to reuse it.
			m := newMember(t, func(_ int, c net.Conn, br *bufio.Reader) {
				for readRequest(br) {
					io.WriteString(c, tc.answer)
				}
			})
			r := newRig(t, nil)
			for range 2 {
				if got := r.get(t, m.URL()); got != "ok" {
					t.Fatalf("body %q, want %q", got, "ok")
				}
			}
			if n := r.dials.Load(); n != 2 {
				t.Errorf("dials for 2 GETs: got %d, want 2", n)
			}
		})
	}
}

// endless writes an answer whose body never ends, until the client
// closes the connection.
func endless(c net.Conn) {
	io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
	chunk := "400\r\n" + strings.Repeat("x", 0x400) + "\r\n"
	for {
		if _, err := io.WriteString(c, chunk); err != nil {
			return
		}
	}
}

func TestBodyClosedEarlyClosesConnection(t *testing.T) {
	m := newMember(t, func(n int, c net.Conn, br *bufio.Reader) {
		if n > 1 {
			keepAlive(okAnswer)(n, c, br)
			return
		}
		if readRequest(br) {
			endless(c)
		}
	})
	r := newRig(t, nil)
	req, _ := http.NewRequest(http.MethodGet, m.URL(), nil)
	resp, err := r.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, 100)); err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	go func() { closed <- resp.Body.Close() }()
	wait(t, closed, 5*time.Second, "Close of a body that never ends")
	if got := r.get(t, m.URL()); got != "ok" {
		t.Fatalf("next GET: body %q, want %q", got, "ok")
	}
	if n := r.dials.Load(); n != 2 {
		t.Errorf("dials: got %d, want 2 (a body closed before its end closes its connection)", n)
	}
}

func TestHeadersTooLarge(t *testing.T) {
	m := newMember(t, func(_ int, c net.Conn, br *bufio.Reader) {
		if !readRequest(br) {
			return
		}
		io.WriteString(c, "HTTP/1.1 200 OK\r\n")
		line := "X-Filler: " + strings.Repeat("x", 1<<10) + "\r\n"
		for {
			if _, err := io.WriteString(c, line); err != nil {
				return
			}
		}
	})
	r := newRig(t, nil)
	req, _ := http.NewRequest(http.MethodGet, m.URL(), nil)
	done := make(chan error, 1)
	go func() {
		resp, err := r.RoundTrip(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	err := wait(t, done, 30*time.Second, "RoundTrip to a member sending endless headers")
	if err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("error: got %v, want headers too large", err)
	}
}

func TestInformationalAnswers(t *testing.T) {
	const hint = "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
	for _, tc := range []struct {
		name    string
		answer  string
		wantErr string
		want1xx int
	}{
		{"one 103", hint + okAnswer, "", 1},
		{"five 103", strings.Repeat(hint, 5) + okAnswer, "", 5},
		{"six 103", strings.Repeat(hint, 6) + okAnswer, "too many 1xx", 5},
		{"unsolicited 101", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", "switched protocols", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMember(t, keepAlive(tc.answer))
			r := newRig(t, nil)
			var mu sync.Mutex
			var got []string
			trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, fmt.Sprintf("%d %s", code, h.Get("Link")))
				return nil
			}}
			ctx := httptrace.WithClientTrace(context.Background(), trace)
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, m.URL(), nil)
			resp, err := r.RoundTrip(req)
			if tc.wantErr != "" {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("got %d, want an error %q", resp.StatusCode, tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error: got %v, want %q", err, tc.wantErr)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("status: got %d, want 200", resp.StatusCode)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if len(got) != tc.want1xx {
				t.Fatalf("Got1xxResponse calls: got %q, want %d", got, tc.want1xx)
			}
			for _, g := range got {
				if want := "103 </style.css>; rel=preload"; g != want {
					t.Errorf("Got1xxResponse: got %q, want %q", g, want)
				}
			}
		})
	}
}

func TestIdleConnectionClosedBySweep(t *testing.T) {
	closed := make(chan error, 1)
	m := newMember(t, func(_ int, c net.Conn, br *bufio.Reader) {
		if readRequest(br) {
			io.WriteString(c, okAnswer)
		}
		_, err := br.ReadByte()
		closed <- err
	})
	r := newRig(t, func(tr *http.Transport) { tr.IdleConnTimeout = 50 * time.Millisecond })
	r.get(t, m.URL())
	if err := wait(t, closed, 5*time.Second, "the client closing its idle connection"); err != io.EOF {
		t.Errorf("member's read on the idle connection: got %v, want EOF", err)
	}
}

func TestWhatGoesToTheTransport(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, "ok")
	}))
	defer plain.Close()
	tls := httptest.NewTLSServer(plain.Config.Handler)
	defer tls.Close()
	for _, tc := range []struct {
		name          string
		req           func() *http.Request
		wantTransport bool
	}{
		{"GET", func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, plain.URL, nil)
			return req
		}, false},
		{"GET with NoBody", func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, plain.URL, http.NoBody)
			return req
		}, false},
		{"POST with a body", func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, plain.URL, strings.NewReader("hello"))
			return req
		}, true},
		{"Upgrade", func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, plain.URL, nil)
			req.Header.Set("Connection", "Upgrade")
			req.Header.Set("Upgrade", "websocket")
			return req
		}, true},
		{"Expect: 100-continue", func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, plain.URL, nil)
			req.Header.Set("Expect", "100-continue")
			return req
		}, true},
		{"Connection: close", func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, plain.URL, nil)
			req.Close = true
			return req
		}, true},
		{"https", func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, tls.URL, nil)
			return req
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, func(tr *http.Transport) {
				tr.TLSClientConfig = tls.Client().Transport.(*http.Transport).TLSClientConfig
			})
			resp, err := r.RoundTrip(tc.req())
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(b) != "ok" {
				t.Errorf("body: got %q, want %q", b, "ok")
			}
			if got := r.viaTransport.Load() == 1; got != tc.wantTransport {
				t.Errorf("sent by the Transport: got %v, want %v", got, tc.wantTransport)
			}
		})
	}
}

func TestDialFailureIsADialOpError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/"
	ln.Close()
	r := newRig(t, nil)
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	resp, err := r.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
		t.Fatal("GET to a closed port: got an answer, want an error")
	}
	if oe, ok := errors.AsType[*net.OpError](err); !ok || oe.Op != "dial" {
		t.Errorf("error: got %#v, want a *net.OpError with Op dial", err)
	}
}

func TestConcurrentGETs(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.URL.Path)
	}))
	defer srv.Close()
	r := newRig(t, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 32*20)
	for g := range 32 {
		wg.Go(func() {
			for i := range 20 {
				path := fmt.Sprintf("/%d/%d", g, i)
				req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
				resp, err := r.RoundTrip(req)
				if err != nil {
					errs <- err
					continue
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || string(b) != path {
					errs <- fmt.Errorf("GET %s: body %q, %v", path, b, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestZeroTransport(t *testing.T) {
	m := newMember(t, keepAlive(okAnswer))
	c := upstream.New(&http.Transport{}, 4)
	defer c.CloseIdleConnections()
	req, _ := http.NewRequest(http.MethodGet, m.URL(), nil)
	resp, err := c.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status: got %d, want 200", resp.StatusCode)
	}
}
