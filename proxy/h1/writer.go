package h1

import (
	"bufio"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpguts"
)

// writer is the http.ResponseWriter of one request at a time on a
// connection. It frames the answer as net/http's server does for the same
// handler calls: the header goes out with the first body bytes (so a
// missing Content-Type is sniffed from them), a known Content-Length is
// kept and enforced, an unknown one is chunked, a handler that writes
// nothing gets Content-Length: 0, 1xx answers go out at once, declared
// trailers follow the last chunk, a panic (http.ErrAbortHandler) cuts the
// connection without ending the answer.
type writer struct {
	c          *conn
	req        *http.Request
	header     http.Header // reused: cleared after each request
	bw         *bufio.Writer
	status     int
	wrote      bool // a final status was given
	sent       bool // the header is written
	chunked    bool
	bodyOK     bool
	clen       int64 // declared Content-Length, -1: none
	written    int64
	closeAfter bool
	err        error
}

var writers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4<<10) }}

// serve runs the handler for req and reports whether the connection may
// carry another request.
func (w *writer) serve(req *http.Request) (keep bool) {
	if w.header == nil {
		w.header = make(http.Header)
	}
	*w = writer{c: w.c, req: req, header: w.header, clen: -1, closeAfter: req.Close}
	defer func() {
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler && w.c.s.Fallback.ErrorLog != nil {
				w.c.s.Fallback.ErrorLog.Printf("h1: panic serving %s: %v", w.c.remote, p)
			}
			if w.bw != nil {
				w.bw.Flush() // what was written goes; the answer is not ended
			}
			keep = false
		}
		clear(w.header)
		if w.bw != nil {
			w.bw.Reset(nil)
			writers.Put(w.bw)
		}
		w.bw, w.req = nil, nil
	}()
	w.c.s.Handler.ServeHTTP(w, req)
	w.finish()
	return !w.closeAfter && w.err == nil
}

func (w *writer) Header() http.Header { return w.header }

func (w *writer) WriteHeader(code int) {
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code)) // as net/http
	}
	if w.wrote || w.err != nil {
		return
	}
	if code < 200 && code != http.StatusSwitchingProtocols {
		w.extend()
		w.statusLine(code)
		w.fail(w.header.Write(w.bw))
		w.bw.WriteString("\r\n")
		w.fail(w.bw.Flush())
		return
	}
	w.status, w.wrote = code, true
	if v := w.header["Connection"]; len(v) > 0 && httpguts.HeaderValuesContainsToken(v, "close") {
		w.closeAfter = true
	}
}

func (w *writer) Write(p []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if !w.sent {
		w.sendHeader(p, false)
	}
	if w.err != nil {
		return 0, w.err
	}
	if !w.bodyOK {
		return 0, http.ErrBodyNotAllowed
	}
	if w.req.Method == http.MethodHead || len(p) == 0 {
		return len(p), nil
	}
	if w.clen >= 0 && w.written+int64(len(p)) > w.clen {
		return 0, http.ErrContentLength
	}
	w.extend()
	if w.chunked {
		var hex [16]byte
		w.bw.Write(strconv.AppendInt(hex[:0], int64(len(p)), 16))
		w.bw.WriteString("\r\n")
	}
	n, err := w.bw.Write(p)
	if w.chunked && err == nil {
		_, err = w.bw.WriteString("\r\n")
	}
	w.written += int64(n)
	w.fail(err)
	return n, w.err
}

// FlushError sends what is buffered (ResponseController and ReverseProxy
// find it, as on net/http's writer).
func (w *writer) FlushError() error {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if !w.sent {
		w.sendHeader(nil, false)
	}
	if w.err == nil {
		w.extend()
		w.fail(w.bw.Flush())
	}
	return w.err
}

func (w *writer) Flush() { w.FlushError() }

// finish ends the answer after the handler returned.
func (w *writer) finish() {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if !w.sent {
		w.sendHeader(nil, true)
	}
	if w.err != nil {
		return
	}
	if w.chunked {
		w.bw.WriteString("0\r\n")
		w.fail(w.trailers().Write(w.bw))
		w.bw.WriteString("\r\n")
	}
	if w.clen >= 0 && w.written != w.clen && w.bodyOK && w.req.Method != http.MethodHead {
		w.closeAfter = true // the client would wait for the rest, or read too much
	}
	w.extend()
	w.fail(w.bw.Flush())
}

// trailers are the values of the keys the handler declared in Trailer,
// and of keys with http.TrailerPrefix.
func (w *writer) trailers() http.Header {
	var t http.Header
	for _, decl := range w.header["Trailer"] {
		for _, k := range strings.Split(decl, ",") {
			k = http.CanonicalHeaderKey(strings.TrimSpace(k))
			if vv, ok := w.header[k]; ok && k != "" {
				if t == nil {
					t = make(http.Header)
				}
				t[k] = vv
			}
		}
	}
	for k, vv := range w.header {
		if name, ok := strings.CutPrefix(k, http.TrailerPrefix); ok {
			if t == nil {
				t = make(http.Header)
			}
			t[http.CanonicalHeaderKey(name)] = vv
		}
	}
	return t
}

// sendHeader writes the status line and header, deciding the framing:
// p is the first body bytes (nil: none yet); final: the handler is done.
func (w *writer) sendHeader(p []byte, final bool) {
	w.sent = true
	h := w.header
	w.bodyOK = bodyAllowed(w.status)
	if !w.bodyOK {
		delete(h, "Content-Length")
		delete(h, "Transfer-Encoding")
		if w.status == http.StatusNotModified {
			delete(h, "Content-Type")
		}
	} else if _, typed := h["Content-Type"]; !typed && len(p) > 0 && h.Get("Content-Encoding") == "" {
		h["Content-Type"] = []string{http.DetectContentType(p)}
	}
	if cl := h["Content-Length"]; len(cl) > 0 {
		if v, err := strconv.ParseInt(cl[0], 10, 64); err == nil && v >= 0 && len(cl) == 1 {
			w.clen = v
		} else {
			delete(h, "Content-Length") // as net/http: an invalid length is not sent
		}
	}
	_, trailers := h["Trailer"]
	if w.bodyOK && w.req.Method != http.MethodHead && (w.clen < 0 || trailers) {
		delete(h, "Transfer-Encoding")
		if final && !trailers {
			w.clen = 0
			h["Content-Length"] = zeroLength
		} else {
			delete(h, "Content-Length")
			w.clen = -1
			w.chunked = true
			h["Transfer-Encoding"] = chunkedTE
		}
	}
	if _, ok := h["Date"]; !ok {
		h["Date"] = date()
	}
	if w.closeAfter {
		h["Connection"] = connClose
	}
	w.extend()
	w.statusLine(w.status)
	w.fail(h.WriteSubset(w.bw, trailerKeys(h)))
	w.bw.WriteString("\r\n")
}

var (
	zeroLength = []string{"0"}
	chunkedTE  = []string{"chunked"}
	connClose  = []string{"close"}
)

// trailerKeys are the header keys that are trailer values, not sent in
// the header (nil: none, the common case).
func trailerKeys(h http.Header) map[string]bool {
	var ex map[string]bool
	for k := range h {
		if strings.HasPrefix(k, http.TrailerPrefix) {
			if ex == nil {
				ex = map[string]bool{}
			}
			ex[k] = true
		}
	}
	return ex
}

// statusLine starts an answer (1xx or final); the write buffer is taken
// here, not before: a request waiting on its member holds none.
func (w *writer) statusLine(code int) {
	if w.bw == nil {
		w.bw = writers.Get().(*bufio.Writer)
		w.bw.Reset(w.c.nc)
	}
	var b [64]byte
	line := append(b[:0], "HTTP/1.1 "...)
	line = strconv.AppendInt(line, int64(code), 10)
	line = append(line, ' ')
	if text := http.StatusText(code); text != "" {
		line = append(line, text...)
	} else {
		line = append(line, "status code "...)
		line = strconv.AppendInt(line, int64(code), 10)
	}
	line = append(line, "\r\n"...)
	w.bw.Write(line)
}

// extend pushes the write deadline WriteTimeout ahead, at most once per
// step: a client that stops reading is cut, a stream that moves is not.
func (w *writer) extend() {
	d := w.c.s.WriteTimeout
	if d <= 0 {
		return
	}
	now := time.Now()
	if now.Sub(w.c.pushedAt) >= min(time.Second, d/4) {
		w.c.nc.SetWriteDeadline(now.Add(d))
		w.c.pushedAt = now
	}
}

func (w *writer) fail(err error) {
	if err != nil && w.err == nil {
		w.err = err
		w.closeAfter = true
	}
}

func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// date is the Date header value, formatted once per second.
func date() []string {
	now := time.Now().Unix()
	if d := dateCache.Load(); d != nil && d.sec == now {
		return d.val
	}
	d := &dated{sec: now, val: []string{time.Unix(now, 0).UTC().Format(http.TimeFormat)}}
	dateCache.Store(d)
	return d.val
}

type dated struct {
	sec int64
	val []string
}

var dateCache atomic.Pointer[dated]
