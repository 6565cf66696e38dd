// Package h1 is the proxy's fast HTTP/1.1 engine for plain-HTTP client
// connections. It reads requests with net/http's own parser
// (http.ReadRequest), so what it accepts is what net/http accepts, and
// serves the common request — HTTP/1.1, origin-form, no body, no upgrade,
// no Expect — on the connection's own goroutine: no second goroutine per
// request, no per-request server state, buffers reused.
//
// Any other request, and any request net/http's parser refuses, is not
// answered here: the connection, with every byte read from it so far, is
// handed to Fallback, a net/http server, which parses the same bytes
// again and keeps the connection from then on. So bodies (and with them
// the slow-body rate, chunking errors, CL.TE framing), upgrades,
// 100-continue, trailers, HTTP/1.0 and every error answer are
// net/http's, exactly as without this engine.
//
//	accept ─▶ read head (http.ReadRequest, header timeout, size cap)
//	            │ parsed and simple              │ anything else
//	            ▼                                ▼
//	        Handler on this goroutine      Fallback (net/http) gets the
//	        answer written by writer        connection, bytes replayed
//	            │ keep-alive
//	            └──▶ next request
package h1

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Server serves HTTP/1.1 connections; see the package comment.
type Server struct {
	// Handler answers the simple requests. The request it gets has no
	// body; the Host header is in Host only (as net/http's server does).
	Handler http.Handler
	// Fallback is given every connection with a request this engine does
	// not answer itself. It must not be started by the caller: Serve does.
	Fallback *http.Server

	HeaderTimeout  time.Duration // to read a request's head, from its first byte (and a new connection's)
	IdleTimeout    time.Duration // between requests on a kept connection; 0: HeaderTimeout
	WriteTimeout   time.Duration // per write of an answer: pushed forward as writes progress; 0: none
	MaxHeaderBytes int           // request line and headers; past it, Fallback answers 431

	mu       sync.Mutex
	lns      map[net.Listener]struct{}
	conns    map[*conn]struct{}
	fallback *handoffListener
	fbDone   chan struct{}
	closing  atomic.Bool
}

// Serve accepts connections on ln until Shutdown or Close, and returns
// http.ErrServerClosed then (as http.Server.Serve does).
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closing.Load() {
		s.mu.Unlock()
		ln.Close()
		return http.ErrServerClosed
	}
	if s.lns == nil {
		s.lns = make(map[net.Listener]struct{})
		s.conns = make(map[*conn]struct{})
	}
	s.lns[ln] = struct{}{}
	if s.fallback == nil {
		s.fallback = newHandoffListener(ln.Addr())
		s.fbDone = make(chan struct{})
		go func() {
			defer close(s.fbDone)
			s.Fallback.Serve(s.fallback)
		}()
	}
	s.mu.Unlock()
	var delay time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return http.ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, errTemporary) {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				time.Sleep(delay) // as net/http: out of file descriptors, wait
				continue
			}
			return err
		}
		delay = 0
		c := newConn(s, nc)
		if !s.track(c) {
			nc.Close()
			return http.ErrServerClosed
		}
		go c.serve()
	}
}

var errTemporary = errors.New("temporary")

func (s *Server) track(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *Server) untrack(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// handoff gives nc to Fallback; false when it is shutting down.
func (s *Server) handoff(nc net.Conn) bool { return s.fallback.deliver(nc) }

// Shutdown stops accepting, closes idle connections, and waits for the
// requests in progress (its own and Fallback's) until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closeListeners()
	fbErr := make(chan error, 1)
	go func() { fbErr <- s.shutdownFallback(ctx) }()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for s.closeIdle() > 0 {
		select {
		case <-ctx.Done():
			return errors.Join(ctx.Err(), <-fbErr)
		case <-tick.C:
		}
	}
	return <-fbErr
}

func (s *Server) shutdownFallback(ctx context.Context) error {
	s.mu.Lock()
	started := s.fallback != nil
	s.mu.Unlock()
	if !started {
		return nil
	}
	err := s.Fallback.Shutdown(ctx)
	<-s.fbDone
	return err
}

// Close closes the listeners and every connection at once.
func (s *Server) Close() error {
	s.closeListeners()
	s.mu.Lock()
	for c := range s.conns {
		c.nc.Close()
	}
	started := s.fallback != nil
	s.mu.Unlock()
	if !started {
		return nil
	}
	err := s.Fallback.Close()
	<-s.fbDone
	return err
}

func (s *Server) closeListeners() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closing.Store(true)
	for ln := range s.lns {
		ln.Close()
	}
}

// closeIdle closes the connections waiting for a request and returns how
// many connections are left.
func (s *Server) closeIdle() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		if c.idle.Load() {
			c.nc.Close()
		}
	}
	return len(s.conns)
}

// handoffListener is the Fallback server's listener: it accepts the
// connections the engine hands over.
type handoffListener struct {
	addr   net.Addr
	ch     chan net.Conn
	done   chan struct{}
	closed sync.Once
}

func newHandoffListener(addr net.Addr) *handoffListener {
	return &handoffListener{addr: addr, ch: make(chan net.Conn), done: make(chan struct{})}
}

func (l *handoffListener) deliver(nc net.Conn) bool {
	select {
	case l.ch <- nc:
		return true
	case <-l.done:
		return false
	}
}

func (l *handoffListener) Accept() (net.Conn, error) {
	select {
	case nc := <-l.ch:
		return nc, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *handoffListener) Close() error {
	l.closed.Do(func() { close(l.done) })
	return nil
}

func (l *handoffListener) Addr() net.Addr { return l.addr }
