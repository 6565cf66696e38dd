// Package upstream sends the proxy's requests to its members.
//
// A Client keeps HTTP/1.1 keep-alive connections to each member and, for
// the common request (plain HTTP, no body, no upgrade), writes the request
// and reads the answer on the caller's goroutine. net/http's Transport
// hands every request to a writer goroutine and every answer back from a
// reader goroutine, two per connection, each connection holding 8 KiB of
// buffers even while idle: at 1 000 client connections the proxy's RSS was
// 107-116 MiB with the Transport and is 70-72 MiB with this Client
// (docs/proxy.md, Performance).
// Everything else (request bodies, which the Transport writes while it
// reads an early answer; upgrades; https members; 100-continue) goes to
// the Transport the Client wraps, so its behaviour there is net/http's.
//
// The parsing is net/http's own (Request.Write, http.ReadResponse): this
// package only owns the connections.
package upstream

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"net/url"
	"sync"
	"syscall"
	"time"
)

// Client is an http.RoundTripper to members over pooled connections.
type Client struct {
	// HTTP carries what the Client does not write itself, and is where
	// its dialer, timeouts and TLS settings are read from.
	HTTP *http.Transport

	// MaxIdlePerHost bounds the idle connections kept to one member.
	MaxIdlePerHost int

	mu    sync.Mutex
	idle  map[string][]*conn // by host:port, most recently used last
	sweep *time.Timer        // armed while some connection is idle
}

// maxHeaderBytes bounds a member's response headers, as the Transport's
// default does: a member sending endless headers is cut off, not buffered.
const maxHeaderBytes = 10 << 20

// max1xx bounds the informational answers before the final one, as the
// Transport does.
const max1xx = 5

// New returns a Client that sends what it does not handle to t.
func New(t *http.Transport, maxIdlePerHost int) *Client {
	return &Client{HTTP: t, MaxIdlePerHost: maxIdlePerHost}
}

// CloseIdleConnections closes every idle connection, the Transport's too.
func (c *Client) CloseIdleConnections() {
	c.mu.Lock()
	idle := c.idle
	c.idle = nil
	c.mu.Unlock()
	for _, list := range idle {
		for _, cn := range list {
			cn.Close()
		}
	}
	c.HTTP.CloseIdleConnections()
}

// Fresh returns a RoundTripper that opens a new connection for every
// request and keeps none: a health check of a member that may have died
// asks whether it accepts a connection now.
func (c *Client) Fresh() http.RoundTripper {
	t := c.HTTP.Clone()
	t.DisableKeepAlives = true
	return t
}

// RoundTrip sends req and returns the member's answer. The body of the
// answer must be closed; read to its end, it frees the connection for the
// next request.
func (c *Client) RoundTrip(req *http.Request) (*http.Response, error) {
	if !ownPath(req) {
		return c.HTTP.RoundTrip(req)
	}
	addr := hostPort(req.URL)
	cn, err := c.get(req.Context(), addr)
	if err != nil {
		return nil, err
	}
	resp, err := c.exchange(req, cn)
	if err != nil && cn.reused && cn.read == 0 && closedByMember(err) && Replayable(req) && req.Context().Err() == nil {
		// A kept connection the member had already closed (its idle
		// timeout ran out as the request went): nothing came back, so
		// the request is sent once more on a new connection, as the
		// Transport does. A member that closes every connection fails
		// on the new one too, and is blamed then.
		cn, err = c.dial(req.Context(), addr)
		if err != nil {
			return nil, err
		}
		resp, err = c.exchange(req, cn)
	}
	return resp, err
}

// closedByMember: the connection was closed or reset by the member; a
// timeout is not (a hung member is not asked twice).
func closedByMember(err error) bool {
	return errors.Is(err, errClosedBeforeAnswer) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// ownPath reports whether the Client writes req itself.
func ownPath(req *http.Request) bool {
	return req.URL.Scheme == "http" &&
		(req.Body == nil || req.Body == http.NoBody) &&
		req.Method != http.MethodConnect &&
		len(req.Header["Upgrade"]) == 0 &&
		len(req.Header["Expect"]) == 0 &&
		!req.Close
}

// Replayable reports whether sending r twice does no harm: its method is
// idempotent (RFC 9110 §9.2.2) or it carries an Idempotency-Key. The
// proxy retries such a request on another member; the Client sends it
// again on a new connection when a kept one turns out closed.
func Replayable(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace,
		http.MethodPut, http.MethodDelete:
		return true
	}
	return r.Header.Get("Idempotency-Key") != ""
}

// hostPort is the dial address of u, an http URL: its Host as it is when
// it names a port (a member's usually does: nothing to allocate).
func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	return net.JoinHostPort(u.Hostname(), "80")
}

// exchange writes req on cn and reads the answer's headers, under the
// Transport's response-header timeout and req's context.
func (c *Client) exchange(req *http.Request, cn *conn) (*http.Response, error) {
	ctx := req.Context()
	stop := context.AfterFunc(ctx, cn.interrupt)
	if d := c.HTTP.ResponseHeaderTimeout; d > 0 {
		cn.SetDeadline(time.Now().Add(d))
	}
	resp, err := cn.roundTrip(req)
	if err == nil && c.HTTP.ResponseHeaderTimeout > 0 && !buffered(resp, cn.r) {
		// The body is bounded by the context, not the header timeout. A
		// body already in the buffer needs no more reads, and the next
		// request sets its own deadline: one call fewer per request.
		cn.SetDeadline(time.Time{})
	}
	if ctx.Err() != nil { // the deadline error it caused says less than its cause
		err = context.Cause(ctx)
	}
	if err != nil {
		stop()
		cn.Close()
		if resp != nil {
			resp.Body.Close()
		}
		return nil, err
	}
	resp.Body = &body{rc: resp.Body, cn: cn, c: c, ctx: ctx, keep: !resp.Close, stop: stop}
	return resp, nil
}

// Buffers are lent to a connection while a request uses it: an idle
// connection holds none (at 1 000 kept connections, 8 MiB saved).
var (
	writers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4<<10) }}
	readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 2<<10) }}
)

// buffered reports whether all of resp's body is already in r.
func buffered(resp *http.Response, r *bufio.Reader) bool {
	return resp.ContentLength >= 0 && int64(r.Buffered()) >= resp.ContentLength && len(resp.TransferEncoding) == 0
}

// roundTrip writes req and reads its answer's headers.
func (cn *conn) roundTrip(req *http.Request) (*http.Response, error) {
	w := writers.Get().(*bufio.Writer)
	w.Reset(cn.Conn)
	err := req.Write(w)
	if err == nil {
		err = w.Flush()
	}
	w.Reset(nil) // keep no reference to the connection in the pool
	writers.Put(w)
	if err != nil {
		return nil, fmt.Errorf("write request: %w", err)
	}
	if cn.r == nil {
		cn.r = readers.Get().(*bufio.Reader)
		cn.r.Reset(cn)
	}
	cn.limit = maxHeaderBytes
	resp, err := cn.readAnswer(req)
	cn.limit = -1
	return resp, err
}

// readAnswer reads the final answer's headers, forwarding 1xx answers to
// the request's trace.
func (cn *conn) readAnswer(req *http.Request) (*http.Response, error) {
	for n := 0; ; n++ {
		resp, err := http.ReadResponse(cn.r, req)
		if err != nil {
			// ReadResponse reports an EOF before the status line as
			// io.ErrUnexpectedEOF.
			if (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) && cn.read == 0 {
				err = errClosedBeforeAnswer
			}
			return nil, err
		}
		code := resp.StatusCode
		if code == http.StatusSwitchingProtocols {
			resp.Body.Close()
			return nil, errors.New("member switched protocols on a request that asked for no upgrade")
		}
		if code >= 200 || code < 100 {
			return resp, nil
		}
		if n == max1xx {
			return nil, errors.New("too many 1xx informational responses")
		}
		if trace := httptrace.ContextClientTrace(req.Context()); trace != nil && trace.Got1xxResponse != nil {
			if err := trace.Got1xxResponse(code, textproto.MIMEHeader(resp.Header)); err != nil {
				return nil, err
			}
		}
	}
}

// errClosedBeforeAnswer: the member closed the connection without a byte
// of answer.
var errClosedBeforeAnswer = errors.New("member closed the connection before answering")

// get returns an idle connection to addr, or a new one.
func (c *Client) get(ctx context.Context, addr string) (*conn, error) {
	for {
		c.mu.Lock()
		list := c.idle[addr]
		if len(list) == 0 {
			c.mu.Unlock()
			return c.dial(ctx, addr)
		}
		cn := list[len(list)-1]
		list[len(list)-1] = nil
		c.idle[addr] = list[:len(list)-1]
		c.mu.Unlock()
		if c.expired(cn, time.Now()) || !cn.quiet() {
			cn.Close()
			continue
		}
		cn.reused, cn.read = true, 0
		return cn, nil
	}
}

func (c *Client) dial(ctx context.Context, addr string) (*conn, error) {
	dial := c.HTTP.DialContext
	if dial == nil { // as the Transport does
		dial = (&net.Dialer{}).DialContext
	}
	nc, err := dial(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	cn := &conn{Conn: nc, addr: addr, limit: -1}
	cn.interrupt = cn.interruptNow
	cn.peek = peekIdle(cn)
	return cn, nil
}

func (c *Client) expired(cn *conn, now time.Time) bool {
	d := c.HTTP.IdleConnTimeout
	return d > 0 && now.Sub(cn.idleSince) >= d
}

// put keeps cn for the next request to its member, or closes it when
// enough are kept. Its read buffer, empty, goes back to the pool.
func (c *Client) put(cn *conn) {
	cn.r.Reset(nil)
	readers.Put(cn.r)
	cn.r = nil
	cn.idleSince = time.Now()
	c.mu.Lock()
	if c.idle == nil {
		c.idle = make(map[string][]*conn)
	}
	list := c.idle[cn.addr]
	if len(list) >= c.MaxIdlePerHost {
		c.mu.Unlock()
		cn.Close()
		return
	}
	c.idle[cn.addr] = append(list, cn)
	if c.sweep == nil && c.HTTP.IdleConnTimeout > 0 {
		c.sweep = time.AfterFunc(c.HTTP.IdleConnTimeout, c.closeExpired)
	}
	c.mu.Unlock()
}

// closeExpired closes the connections idle past the idle timeout, and
// comes back while any remain: no goroutine waits while nothing is idle.
func (c *Client) closeExpired() {
	now := time.Now()
	var gone []*conn
	c.mu.Lock()
	for addr, list := range c.idle {
		// The list is oldest first: the expired ones are a prefix.
		i := 0
		for i < len(list) && c.expired(list[i], now) {
			i++
		}
		gone = append(gone, list[:i]...)
		if i == len(list) {
			delete(c.idle, addr)
		} else {
			c.idle[addr] = append(list[:0], list[i:]...)
		}
	}
	c.sweep = nil
	if len(c.idle) > 0 {
		c.sweep = time.AfterFunc(c.HTTP.IdleConnTimeout/2, c.closeExpired)
	}
	c.mu.Unlock()
	for _, cn := range gone {
		cn.Close()
	}
}

// conn is one connection to a member; one request uses it at a time.
type conn struct {
	net.Conn
	addr      string
	r         *bufio.Reader // reads through conn.Read; nil while idle
	read      int64         // bytes read for the current request
	limit     int64         // bytes the headers may still take; -1: no limit
	reused    bool          // came from the idle list
	idleSince time.Time
	interrupt func() // interruptNow, for context.AfterFunc

	raw      syscall.RawConn  // the socket, for peek
	peek     func(fd uintptr) // sets quietNow (quiet_linux.go); nil: no check
	quietNow bool
}

// quiet reports whether the member left an idle connection alone: sent
// nothing and did not close it. Anything it sent would be read as the next
// request's answer (a member answering twice, or after the fact: the
// Transport's reader goroutine, which we do without, catches that while
// the connection idles), and a request written on a closed connection
// fails and must be sent again, which only a replayable one may be.
func (cn *conn) quiet() bool {
	if cn.peek == nil {
		return true
	}
	if err := cn.raw.Control(cn.peek); err != nil {
		return false
	}
	return cn.quietNow
}

var errHeadersTooLarge = errors.New("member's response headers too large")

func (cn *conn) Read(p []byte) (int, error) {
	if cn.limit == 0 {
		return 0, errHeadersTooLarge
	}
	if cn.limit > 0 && int64(len(p)) > cn.limit {
		p = p[:cn.limit]
	}
	n, err := cn.Conn.Read(p)
	cn.read += int64(n)
	if cn.limit > 0 {
		cn.limit -= int64(n)
	}
	return n, err
}

// interruptNow ends a read or write in progress: the request's context
// ended. conn.interrupt holds it as a func made once per connection (a
// method value made per request would be an allocation each time).
func (cn *conn) interruptNow() { cn.SetDeadline(time.Unix(1, 0)) }

// body is an answer's body; at its end the connection goes back to the
// idle list when the member meant to keep it.
type body struct {
	rc     io.ReadCloser
	cn     *conn
	c      *Client
	ctx    context.Context // the request's: its cause explains a read it interrupted
	stop   func() bool
	keep   bool // the member did not say Connection: close
	eof    bool
	closed bool
}

func (b *body) Read(p []byte) (int, error) {
	if b.closed {
		return 0, errors.New("read on a closed body")
	}
	n, err := b.rc.Read(p)
	if err == io.EOF {
		b.eof = true
	} else if err != nil && b.ctx.Err() != nil {
		err = context.Cause(b.ctx) // not the deadline error interrupt caused
	}
	return n, err
}

// Close frees the connection: kept when the whole answer was read and
// nothing else came (a member that sends more than it announced gets a
// new connection next time), closed otherwise. An unread rest is never
// drained here: it could be long, or never end.
func (b *body) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	if b.rc == http.NoBody {
		b.eof = true
	}
	interrupted := !b.stop()
	if b.eof && b.keep && !interrupted && b.cn.r.Buffered() == 0 {
		b.c.put(b.cn)
		return nil
	}
	return b.cn.Close()
}
