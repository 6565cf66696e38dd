package main

import (
	"context"
	"io"
	"log"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/h1"
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

// fastServer serves a plain listener (listen:) with the fast HTTP/1.1
// engine: it answers body-less HTTP/1.1 requests itself and hands every
// other connection, bytes read so far included, to trafficServer, so
// bodies, upgrades, Expect and every error answer keep net/http's limits
// and behaviour (docs/proxy.md, "Engines").
func fastServer(l config.Limits, h *proxy.Handler, errLog *log.Logger) *h1.Server {
	return &h1.Server{
		Handler:        h.Fast(),
		Fallback:       trafficServer(l, h, errLog),
		HeaderTimeout:  l.HeaderTimeout,
		IdleTimeout:    l.IdleTimeout,
		WriteTimeout:   l.WriteTimeout,
		MaxHeaderBytes: int(l.MaxHeaderBytes),
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

// limitHandler sets a write deadline that each write pushes forward, and
// watches the request body (clientBody): a deadline that grows with the
// bytes received, and the client's own failures kept apart from members'.
func limitHandler(l config.Limits, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dw := &deadlineWriter{ResponseWriter: w, rc: *http.NewResponseController(w), d: l.WriteTimeout, step: min(time.Second, l.WriteTimeout/4)}
		rc := &dw.rc // in dw's allocation, not one of its own
		dw.extend(time.Now())
		if r.Body != nil && r.Body != http.NoBody {
			ctx, cancel := context.WithCancel(r.Context())
			defer cancel()
			r = r.WithContext(ctx) // a copy: the server's request keeps its body
			body := newClientBody(r.Body, rc, l.BodyTimeout, int64(l.BodyMinRate), cancel)
			dw.bodyFailed = &body.failed
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
	rc         http.ResponseController
	d, step    time.Duration
	at         time.Time     // when the deadline was last pushed
	bodyFailed *atomic.Int32 // the status the client's body failure calls for, or 0
	dropped    bool          // the handler's own answer is dropped for that one
	wrote      bool          // a final status was written
}

func (w *deadlineWriter) extend(now time.Time) {
	if now.Sub(w.at) >= w.step {
		w.rc.SetWriteDeadline(now.Add(w.d))
		w.at = now
	}
}

func (w *deadlineWriter) WriteHeader(code int) {
	w.extend(time.Now())
	if code >= 200 {
		if w.wrote {
			return
		}
		w.wrote = true
	}
	if status := w.failedBody(); status != 0 && code >= 200 {
		// Whatever the proxy made of the broken body (a 502 for the cut
		// upload), the client's body failed: say so.
		w.dropped = true
		h := w.Header()
		clear(h)
		h.Set("X-Served-By", "proxy")
		h.Set("X-Proxy-Error", proxy.ErrKindBadRequest)
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Connection", "close")
		w.ResponseWriter.WriteHeader(int(status))
		io.WriteString(w.ResponseWriter, http.StatusText(int(status))+": request body\n")
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *deadlineWriter) Write(p []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if w.dropped {
		return len(p), nil
	}
	w.extend(time.Now())
	return w.ResponseWriter.Write(p)
}

func (w *deadlineWriter) failedBody() int32 {
	if w.bodyFailed == nil {
		return 0
	}
	return w.bodyFailed.Load()
}

// FlushError lets ResponseController and ReverseProxy flush through.
func (w *deadlineWriter) FlushError() error {
	w.extend(time.Now())
	return w.rc.Flush()
}

// Unwrap gives ResponseController (Hijack for upgrades) the server's writer.
func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
