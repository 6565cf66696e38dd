package h1

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpguts"
)

// conn is one client connection while this engine owns it.
type conn struct {
	s         *Server
	nc        net.Conn
	rec       recorder
	br        *bufio.Reader
	w         writer
	idle      atomic.Bool // waiting for a request: Shutdown may close it
	remote    string
	lastPOST  bool      // as net/http: CR/LF a client sends after a POST's body are skipped
	pushedAt  time.Time // when the write deadline was last pushed
	handedOff bool
}

// readers are 4 KiB, net/http's server size, so reads (and the header
// limit they count against) go as they would there.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4<<10) }}

func newConn(s *Server, nc net.Conn) *conn {
	c := &conn{s: s, nc: nc, remote: nc.RemoteAddr().String()}
	c.rec.nc = nc
	c.w.c = c
	return c
}

// takeReader and dropReader lend the connection a read buffer only while
// it reads a request: a connection waiting for a request, or a request
// waiting on its member, holds none (at 1 000 connections, 4 MiB less),
// unless the client sent more behind it.
func (c *conn) takeReader() {
	if c.br == nil {
		c.br = readers.Get().(*bufio.Reader)
		c.br.Reset(&c.rec)
	}
}

func (c *conn) dropReader() {
	if c.br != nil && c.br.Buffered() == 0 && c.rec.pending == 0 {
		c.br.Reset(nil)
		readers.Put(c.br)
		c.br = nil
	}
}

// limit is the bytes a request's head may take as net/http's server counts
// them (MaxHeaderBytes plus its 4 KiB of slack).
func (s *Server) limit() int64 {
	n := s.MaxHeaderBytes
	if n <= 0 {
		n = http.DefaultMaxHeaderBytes
	}
	return int64(n) + 4096
}

func (c *conn) serve() {
	defer func() {
		if !c.handedOff {
			c.nc.Close()
			c.s.untrack(c)
		}
		if c.br != nil {
			c.br.Reset(nil)
			readers.Put(c.br)
		}
	}()
	if d := c.s.HeaderTimeout; d > 0 {
		c.nc.SetReadDeadline(time.Now().Add(d))
	}
	for first := true; ; first = false {
		if !c.awaitRequest(first) {
			return
		}
		c.idle.Store(false)
		c.rec.start(c.s.limit(), c.br.Buffered()+c.rec.pending)
		if first {
			c.rec.remain -= int64(c.rec.pending) // net/http counts a connection's first read
		}
		if c.lastPOST {
			peek, _ := c.br.Peek(4) // ReadRequest fails below if this did
			n := leadingCRorLF(peek)
			c.br.Discard(n)
			c.rec.dropFront(n)
		}
		req, err := http.ReadRequest(c.br)
		if err != nil {
			if isTimeout(err) || (errors.Is(err, io.EOF) && c.rec.empty()) {
				return // net/http closes these without an answer too
			}
			c.handoff()
			return
		}
		if !simple(req) {
			c.handoff()
			return
		}
		c.rec.done(c.br.Buffered())
		c.dropReader()
		c.lastPOST = req.Method == http.MethodPost
		req.RemoteAddr = c.remote
		if !c.w.serve(req) {
			return
		}
	}
}

// awaitRequest waits, under the idle timeout (a new connection's first
// request: the header timeout, set by serve), for the next request's
// first bytes, then gives its head the header timeout. The wait holds no
// read buffer: the first bytes are read into the recorder's own small one,
// and the pooled reader is taken once they are in.
func (c *conn) awaitRequest(first bool) bool {
	// A new connection is not idle: Shutdown lets it send its request.
	if !first {
		c.idle.Store(true)
		if c.s.closing.Load() {
			return false
		}
	}
	if (c.br == nil || c.br.Buffered() == 0) && c.rec.pending == 0 {
		c.dropReader()
		if wait := c.s.IdleTimeout; !first && (wait > 0 || c.s.HeaderTimeout > 0) {
			if wait == 0 {
				wait = c.s.HeaderTimeout
			}
			c.nc.SetReadDeadline(time.Now().Add(wait))
		}
		if err := c.rec.readFirst(); err != nil {
			return false
		}
	}
	if !first && c.s.closing.Load() {
		return false
	}
	c.takeReader()
	if d := c.s.HeaderTimeout; d > 0 && !first {
		c.nc.SetReadDeadline(time.Now().Add(d))
	}
	return true
}

// handoff gives the connection to Fallback with the bytes read for the
// current request (and any read ahead of it) replayed first.
func (c *conn) handoff() {
	c.handedOff = true
	c.s.untrack(c)
	c.nc.SetDeadline(time.Time{})
	rc := &replayConn{Conn: c.nc, pending: c.rec.take()}
	if !c.s.handoff(rc) {
		c.nc.Close()
	}
}

// simple reports whether this engine answers req itself: net/http's
// server would accept it (the checks its server adds to ReadRequest), and
// nothing in it needs what only net/http does (a body and its limits,
// upgrades, Expect, HTTP/1.0 keep-alive rules, a query ReverseProxy would
// rewrite, absolute-form).
func simple(req *http.Request) bool {
	if req.ProtoMajor != 1 || req.ProtoMinor != 1 || req.Method == http.MethodConnect ||
		!strings.HasPrefix(req.RequestURI, "/") ||
		req.ContentLength != 0 || len(req.TransferEncoding) != 0 || req.Body != http.NoBody {
		return false
	}
	// ReadRequest refused a second Host and moved the one there was to
	// req.Host (origin-form: nothing else sets it). An empty one is left
	// to net/http, which tells a missing Host from an empty one.
	if req.Host == "" || !httpguts.ValidHostHeader(req.Host) {
		return false
	}
	for k, vv := range req.Header {
		if !httpguts.ValidHeaderFieldName(k) {
			return false
		}
		for _, v := range vv {
			if !httpguts.ValidHeaderFieldValue(v) {
				return false
			}
		}
		switch k {
		case "Expect", "Upgrade", "Http2-Settings", "Trailer", "Transfer-Encoding":
			return false
		}
	}
	if httpguts.HeaderValuesContainsToken(req.Header["Connection"], "upgrade") {
		return false
	}
	return cleanQuery(req.URL.RawQuery)
}

// cleanQuery reports whether httputil.ReverseProxy forwards the query as
// it is (its cleanQueryParams re-encodes one with a ';' or a bad escape).
func cleanQuery(q string) bool {
	for i := 0; i < len(q); i++ {
		switch q[i] {
		case ';':
			return false
		case '%':
			if i+2 >= len(q) || !isHex(q[i+1]) || !isHex(q[i+2]) {
				return false
			}
			i += 2
		}
	}
	return true
}

func isHex(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F'
}

func leadingCRorLF(p []byte) int {
	n := 0
	for _, b := range p {
		if b != '\r' && b != '\n' {
			break
		}
		n++
	}
	return n
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// recorder is the connection as the request reader sees it: it keeps the
// bytes read since the current request began (so they can be replayed to
// Fallback) and stops reading past the head limit, counting as net/http's
// server does: only what is read from the socket during this request
// (net/http's own first read of a request, its idle Peek, is not counted
// either).
type recorder struct {
	nc      net.Conn
	buf     []byte // the current request's bytes read so far, read-ahead included
	pending int    // bytes at buf's end that readFirst read and Read has not given out yet
	remain  int64
}

// firstRead is the least room readFirst reads into: most request heads
// fit, so one read takes them whole; a longer one is read on through the
// pooled reader.
const firstRead = 1 << 10

// maxKept bounds the buffer a connection keeps between requests: one
// request with a long head does not make it hold that much while idle.
const maxKept = 4 << 10

// readFirst waits for the next request's first bytes and reads them into
// buf, for Read to give out before it reads the socket again. buf is
// empty: nothing is read ahead.
func (r *recorder) readFirst() error {
	if cap(r.buf) < firstRead {
		r.buf = make([]byte, 0, firstRead)
	}
	n, err := r.nc.Read(r.buf[:cap(r.buf)])
	if n == 0 {
		if err == nil {
			err = io.ErrNoProgress
		}
		return err
	}
	r.buf, r.pending = r.buf[:n], n // an error after bytes comes again on the next read
	return nil
}

var errHeadTooLarge = errors.New("request head too large")

// start begins a request whose first carried bytes (read ahead during
// the last one) are already in buf.
func (r *recorder) start(limit int64, carried int) {
	r.buf = r.buf[len(r.buf)-carried:]
	r.remain = limit
}

func (r *recorder) Read(p []byte) (int, error) {
	if r.pending > 0 {
		n := copy(p, r.buf[len(r.buf)-r.pending:])
		r.pending -= n
		return n, nil
	}
	if r.remain <= 0 {
		return 0, errHeadTooLarge
	}
	if int64(len(p)) > r.remain {
		p = p[:r.remain]
	}
	n, err := r.nc.Read(p)
	r.remain -= int64(n)
	r.buf = append(r.buf, p[:n]...)
	return n, err
}

// done ends a request: only the bytes read ahead of the next one stay
// (buffered in the reader, and any not yet given to it).
func (r *recorder) done(buffered int) {
	ahead := buffered + r.pending
	if ahead == 0 {
		r.buf = r.buf[:0]
		if cap(r.buf) > maxKept {
			r.buf = nil
		}
		return
	}
	r.buf = append(r.buf[:0], r.buf[len(r.buf)-ahead:]...)
}

func (r *recorder) dropFront(n int) { r.buf = r.buf[n:] }
func (r *recorder) empty() bool     { return len(r.buf) == 0 }

// take hands the bytes over; the recorder keeps none.
func (r *recorder) take() []byte {
	b := r.buf
	r.buf, r.pending = nil, 0
	return b
}

// replayConn reads the bytes already taken from the connection first.
type replayConn struct {
	net.Conn
	pending []byte
}

func (c *replayConn) Read(p []byte) (int, error) {
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}
