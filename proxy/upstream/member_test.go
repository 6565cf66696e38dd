package upstream_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/upstream"
)

// member is a raw-socket member: every accepted connection is handed to
// serve (n counts accepts from 1) on its own goroutine, so a test writes
// exactly the bytes it means. Cleanup closes everything and waits.
type member struct {
	ln      net.Listener
	accepts atomic.Int32
	wg      sync.WaitGroup
	mu      sync.Mutex
	closed  bool
	conns   []net.Conn
}

func newMember(tb testing.TB, serve func(n int, c net.Conn, br *bufio.Reader)) *member {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	m := &member{ln: ln}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n := int(m.accepts.Add(1))
			m.mu.Lock()
			if m.closed {
				m.mu.Unlock()
				c.Close()
				return
			}
			m.conns = append(m.conns, c)
			m.mu.Unlock()
			m.wg.Add(1)
			go func() {
				defer m.wg.Done()
				defer c.Close()
				serve(n, c, bufio.NewReader(c))
			}()
		}
	}()
	tb.Cleanup(func() {
		ln.Close()
		m.mu.Lock()
		m.closed = true
		for _, c := range m.conns {
			c.Close()
		}
		m.mu.Unlock()
		m.wg.Wait()
	})
	return m
}

func (m *member) URL() string { return "http://" + m.ln.Addr().String() + "/" }

// keepAlive answers every request on the connection with answer.
func keepAlive(answer string) func(int, net.Conn, *bufio.Reader) {
	return func(_ int, c net.Conn, br *bufio.Reader) {
		for readRequest(br) {
			if _, err := io.WriteString(c, answer); err != nil {
				return
			}
		}
	}
}

// readRequest reads one body-less request; false when the connection ended.
func readRequest(br *bufio.Reader) bool {
	_, err := http.ReadRequest(br)
	return err == nil
}

// hang reads until the client closes the connection, answering nothing.
func hang(c net.Conn) { io.Copy(io.Discard, c) }

const okAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

// freshAnswer comes from a new connection, where a test tells it apart
// from what came on the old one.
const freshAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh"

// rig is a Client whose Transport counts what passes through it: dials
// (the Client's own and the Transport's) and requests the Transport
// itself sends (its Proxy func is asked once per request, and returns
// nil: direct, as in the pools).
type rig struct {
	*upstream.Client
	dials        atomic.Int32
	viaTransport atomic.Int32
}

func newRig(tb testing.TB, tweak func(*http.Transport)) *rig {
	r := &rig{}
	d := &net.Dialer{Timeout: 5 * time.Second}
	t := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			r.dials.Add(1)
			return d.DialContext(ctx, network, addr)
		},
		Proxy: func(*http.Request) (*url.URL, error) {
			r.viaTransport.Add(1)
			return nil, nil
		},
		ResponseHeaderTimeout: 10 * time.Second,
	}
	if tweak != nil {
		tweak(t)
	}
	r.Client = upstream.New(t, 4)
	tb.Cleanup(r.CloseIdleConnections)
	return r
}

// get sends a GET to url, reads its body to the end and closes it.
func (r *rig) get(tb testing.TB, url string) string {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := r.RoundTrip(req)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		tb.Fatalf("GET %s: body: %v", url, err)
	}
	return string(b)
}

// wait fails the test unless ch delivers within d.
func wait[T any](tb testing.TB, ch <-chan T, d time.Duration, what string) T {
	tb.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(d):
		tb.Fatalf("%s: nothing within %v", what, d)
		panic("unreachable")
	}
}
