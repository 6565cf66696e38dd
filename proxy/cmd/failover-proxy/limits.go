package main

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// trafficServer is an http.Server for the traffic listeners with the
// limits of cfg (docs/proxy.md, "Limits and security"). There is no
// whole-request ReadTimeout or WriteTimeout: both would cut honest long
// uploads, downloads and event streams. limitHandler bounds the body by rate
// and each write by time instead.
func trafficServer(l config.Limits, h http.Handler, errLog *log.Logger) *http.Server {
	return &http.Server{
		Handler:           limitHandler(l, h),
		ReadHeaderTimeout: l.HeaderTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    int(l.MaxHeaderBytes),
		ErrorLog:          errLog,
	}
}

// adminServer is an http.Server for the admin listener: its requests and
// answers are small, so whole-request deadlines fit.
func adminServer(l config.Limits, h http.Handler, errLog *log.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.AdminTimeout,
		ReadTimeout:       l.AdminTimeout,
		WriteTimeout:      l.AdminTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    int(l.MaxHeaderBytes),
		ErrorLog:          errLog,
	}
}

// limitHandler sets a write deadline that each write pushes forward, and a
// request-body deadline that grows with the bytes received.
func limitHandler(l config.Limits, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		dw := &deadlineWriter{ResponseWriter: w, rc: rc, d: l.WriteTimeout, step: min(time.Second, l.WriteTimeout/4)}
		dw.extend(time.Now())
		if l.BodyMinRate > 0 && r.Body != nil && r.Body != http.NoBody {
			ctx, cancel := context.WithCancel(r.Context())
			defer cancel()
			r = r.WithContext(ctx) // a copy: the server's request keeps its body
			body := newMinRateBody(r.Body, rc, l.BodyTimeout, int64(l.BodyMinRate), cancel)
			dw.tooSlow = &body.timedOut
			r.Body = body
		}
		next.ServeHTTP(dw, r)
		dw.at = time.Time{} // the server's own last writes (chunk end, flush) get a fresh deadline
		dw.extend(time.Now())
	})
}

// deadlineWriter bounds each write to the client by d: a client that stops
// reading is cut after d, a stream that keeps moving is never cut. The
// deadline is pushed at most once per step, not on every write.
type deadlineWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	d, step time.Duration
	at      time.Time    // when the deadline was last pushed
	tooSlow *atomic.Bool // the request body missed its rate: answer 408
	dropped bool         // the handler's own answer is dropped for the 408
}

func (w *deadlineWriter) extend(now time.Time) {
	if now.Sub(w.at) >= w.step {
		w.rc.SetWriteDeadline(now.Add(w.d))
		w.at = now
	}
}

func (w *deadlineWriter) WriteHeader(code int) {
	w.extend(time.Now())
	if w.tooSlow != nil && w.tooSlow.Load() && !w.dropped {
		// Whatever the proxy made of the cut body (a 502 for the broken
		// upload), the client's body was too slow: say so.
		w.dropped = true
		h := w.Header()
		clear(h)
		h.Set("X-Served-By", "proxy")
		h.Set("X-Proxy-Error", "bad-request")
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Connection", "close")
		w.ResponseWriter.WriteHeader(http.StatusRequestTimeout)
		io.WriteString(w.ResponseWriter, "request body too slow\n")
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *deadlineWriter) Write(p []byte) (int, error) {
	if w.dropped {
		return len(p), nil
	}
	w.extend(time.Now())
	return w.ResponseWriter.Write(p)
}

// FlushError lets ResponseController and ReverseProxy flush through.
func (w *deadlineWriter) FlushError() error {
	w.extend(time.Now())
	return w.rc.Flush()
}

// Unwrap gives ResponseController (Hijack for upgrades) the server's writer.
func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// minRateBody is mod_reqtimeout's "body=grace,MinRate=rate": the body must
// be complete by grace plus one second per rate bytes received. When it is
// not, the request's context is cancelled so the proxy knows the client,
// not the member, failed (no passive failure is counted).
type minRateBody struct {
	io.ReadCloser
	rc       *http.ResponseController
	deadline time.Time
	perByte  time.Duration
	cancel   context.CancelFunc
	done     bool
	timedOut atomic.Bool // read by the handler, set by whoever reads the body
}

func newMinRateBody(b io.ReadCloser, rc *http.ResponseController, grace time.Duration, rate int64, cancel context.CancelFunc) *minRateBody {
	m := &minRateBody{ReadCloser: b, rc: rc, deadline: time.Now().Add(grace),
		perByte: max(time.Nanosecond, time.Second/time.Duration(rate)), cancel: cancel}
	rc.SetReadDeadline(m.deadline)
	return m
}

func (b *minRateBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if b.done {
		return n, err
	}
	b.deadline = b.deadline.Add(time.Duration(n) * b.perByte)
	switch {
	case errors.Is(err, io.EOF):
		// The connection's background read (it notices a client going
		// away) starts now; it must run without a deadline.
		b.done = true
		b.rc.SetReadDeadline(time.Time{})
	case isTimeout(err):
		b.done = true
		b.timedOut.Store(true)
		b.cancel()
	case err == nil && n > 0:
		b.rc.SetReadDeadline(b.deadline)
	}
	return n, err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
