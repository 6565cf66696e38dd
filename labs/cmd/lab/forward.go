package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
)

// forwarder relays TCP connections from a fixed loopback address to the
// address a driver picked, so the demo answers on the ports the README and
// the compose demo use (8080, 9901) whatever free ports the run got.
// Relaying bytes, not HTTP, keeps the proxy's behaviour — keep-alive,
// resets, timeouts — exactly what a client would see without it.
type forwarder struct {
	ln net.Listener
	to string

	wg    sync.WaitGroup
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	done  bool
}

// forward listens on listen and relays every connection to to; both must
// be 127.0.0.1 addresses.
func forward(listen, to string) (*forwarder, error) {
	for _, a := range []string{listen, to} {
		if host, _, err := net.SplitHostPort(a); err != nil || host != "127.0.0.1" {
			return nil, fmt.Errorf("forward %s → %s: only 127.0.0.1 addresses", listen, to)
		}
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("forward %s: %w", listen, err)
	}
	f := &forwarder{ln: ln, to: to, conns: map[net.Conn]struct{}{}}
	f.wg.Go(f.accept)
	return f, nil
}

// Addr is the listening address, e.g. 127.0.0.1:8080.
func (f *forwarder) Addr() string { return f.ln.Addr().String() }

func (f *forwarder) accept() {
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		if !f.track(c) {
			return
		}
		f.wg.Go(func() { f.relay(c) })
	}
}

// relay copies both ways until either side closes, then closes both.
func (f *forwarder) relay(c net.Conn) {
	defer f.untrack(c)
	up, err := net.Dial("tcp", f.to)
	if err != nil {
		return // the client sees its connection closed, as with a dead backend
	}
	if !f.track(up) {
		return
	}
	defer f.untrack(up)
	var once sync.WaitGroup
	once.Go(func() { halfCopy(up, c) })
	halfCopy(c, up)
	once.Wait()
}

// halfCopy copies src to dst, then closes dst's write side so the other
// direction can finish (HTTP clients rarely half-close, but proxies may).
func halfCopy(dst, src net.Conn) {
	_, _ = io.Copy(dst, src)
	if tc, ok := dst.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
		return
	}
	_ = dst.Close()
}

func (f *forwarder) track(c net.Conn) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done {
		c.Close()
		return false
	}
	f.conns[c] = struct{}{}
	return true
}

func (f *forwarder) untrack(c net.Conn) {
	f.mu.Lock()
	delete(f.conns, c)
	f.mu.Unlock()
	c.Close()
}

// Close stops listening, cuts every relayed connection and waits for the
// relays to end.
func (f *forwarder) Close() error {
	err := f.ln.Close()
	f.mu.Lock()
	f.done = true
	for c := range f.conns {
		c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}
