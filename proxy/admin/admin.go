package admin

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/failover-lab/failover-lab/proxy"
)

// Options configure the admin handler.
type Options struct {
	// Token, when set, is required on every POST.
	Token string
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
}

// New returns the admin handler; call SetReady once traffic is served.
func New(srv *proxy.Server, opts Options) *Admin {
	a := &Admin{srv: srv, opts: opts, mux: http.NewServeMux()}
	a.mux.HandleFunc("GET /{$}", a.page)
	a.mux.HandleFunc("GET /status", a.status)
	a.mux.HandleFunc("GET /ready", a.readyz)
	a.mux.HandleFunc("POST /pools/{pool}/members/{member}/{action}", a.guard(a.action))
	a.mux.HandleFunc("POST /reload", a.guard(a.reload))
	if opts.Metrics != nil {
		a.mux.Handle("GET /metrics", opts.Metrics)
	}
	return a
}

// SetReady marks the proxy as serving (GET /ready answers 200).
func (a *Admin) SetReady(v bool) { a.ready.Store(v) }

func (a *Admin) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

func (a *Admin) readyz(w http.ResponseWriter, _ *http.Request) {
	if !a.ready.Load() {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

// guard requires the token, when one is set, on changing requests.
func (a *Admin) guard(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a.opts.Token != "" {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(a.opts.Token)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="failover-proxy admin"`)
				http.Error(w, "missing or wrong token", http.StatusUnauthorized)
				return
			}
		}
		next(w, r)
	}
}
