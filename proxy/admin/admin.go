package admin

import (
	"net/http"
	"sync/atomic"

	"github.com/failover-lab/failover-lab/proxy"
)

// Options configure the admin handler.
type Options struct {
	// Token returns the token required on every request but GET /ready;
	// "" or a nil func: none. Read per request, so a reload changes it.
	Token func() string
	// Hosts are names, besides IP literals and localhost, that the admin
	// answers to in the Host header (its configured listen name).
	Hosts []string
	// Reload re-reads the config (POST /reload); nil answers 501.
	Reload func() error
	// Metrics serves GET /metrics; nil answers 404.
	Metrics http.Handler
}

// Admin serves the admin API of one proxy server.
type Admin struct {
	srv   *proxy.Server
	opts  Options
	ready atomic.Bool
	mux   *http.ServeMux
	h     http.Handler
}

// New returns the admin handler; call SetReady once traffic is served.
func New(srv *proxy.Server, opts Options) *Admin {
	a := &Admin{srv: srv, opts: opts, mux: http.NewServeMux()}
	a.mux.HandleFunc("GET /{$}", a.page)
	a.mux.HandleFunc("GET /status", a.status)
	a.mux.HandleFunc("GET /ready", a.readyz)
	a.mux.HandleFunc("GET /admin.js", script)
	a.mux.HandleFunc("POST /pools/{pool}/members/{member}/{action}", a.action)
	a.mux.HandleFunc("POST /reload", a.reload)
	if opts.Metrics != nil {
		a.mux.Handle("GET /metrics", opts.Metrics)
	}
	a.h = a.protect(a.mux)
	return a
}

// SetReady marks the proxy as serving (GET /ready answers 200).
func (a *Admin) SetReady(v bool) { a.ready.Store(v) }

func (a *Admin) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.h.ServeHTTP(w, r) }

func (a *Admin) readyz(w http.ResponseWriter, _ *http.Request) {
	if !a.ready.Load() {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}
