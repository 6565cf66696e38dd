package proxy

import (
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/pool"
)

// Hooks are told what the handler does (metrics); every field is optional.
type Hooks struct {
	// Attempt: one try on a member finished its headers (status 0: none;
	// class: "" or a Class such as dial, member-timeout).
	Attempt func(pool, member string, status int, class string, d time.Duration)
	// Retry: a failed attempt is sent again to another member.
	Retry func(pool, member string)
	// BudgetRefused: a retry was possible but the budget was spent.
	BudgetRefused func(pool string)
	// Done: a client request was answered (status as written).
	Done func(pool string, status int, d time.Duration)
}

// Handler routes requests to pools and forwards them with retries.
type Handler struct {
	Logger *slog.Logger // access log when SetAccessLog(true); nil: none
	Hooks  Hooks

	table     atomic.Pointer[table]
	accessLog atomic.Bool // one line per request at info level; reloads set it
}

type table struct {
	routes []route // longest prefix first
}

type route struct {
	prefix string
	pool   *pool.Pool
	rt     *retrier               // the rules: both engines' requests go through it
	rp     *httputil.ReverseProxy // net/http's engine: ServeHTTP
}

// copyBuf is one ReverseProxy copy buffer. The pool holds array pointers:
// Put converts the slice back to one without allocating (putting &slice
// would allocate a slice header on every request).
type copyBuf = [32 << 10]byte

var bufPool = sync.Pool{New: func() any { return new(copyBuf) }}

type bytePool struct{}

func (bytePool) Get() []byte { return bufPool.Get().(*copyBuf)[:] }
func (bytePool) Put(b []byte) {
	if len(b) == len(copyBuf{}) {
		bufPool.Put((*copyBuf)(b))
	}
}

// SetAccessLog turns the access log on or off, also while serving.
func (h *Handler) SetAccessLog(on bool) { h.accessLog.Store(on) }

// SetRoutes installs the routes atomically: in-flight requests finish on
// the pools they started with.
func (h *Handler) SetRoutes(routes []config.Route, pools map[string]*pool.Pool) {
	t := &table{}
	for _, r := range routes {
		p := pools[r.Pool]
		if p == nil {
			continue
		}
		rt := &retrier{pool: p, hooks: &h.Hooks}
		t.routes = append(t.routes, route{prefix: r.Path, pool: p, rt: rt, rp: h.reverseProxy(p, rt)})
	}
	sort.SliceStable(t.routes, func(i, j int) bool { return len(t.routes[i].prefix) > len(t.routes[j].prefix) })
	h.table.Store(t)
}

func (h *Handler) reverseProxy(p *pool.Pool, rt *retrier) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			setXForwarded(pr)
			pr.Out.Host = "" // the member's own host, as Apache's ProxyPreserveHost Off
		},
		Transport:    rt,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) { proxyError(w, r, p, err) },
		ErrorLog:     log.New(io.Discard, "", 0),
		BufferPool:   bytePool{},
	}
}

func (h *Handler) route(path string) *route {
	t := h.table.Load()
	if t == nil {
		return nil
	}
	for i := range t.routes {
		if strings.HasPrefix(path, t.routes[i].prefix) {
			return &t.routes[i]
		}
	}
	return nil
}

// ServeHTTP answers one client request (net/http's engine).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.serve(w, r, false) }

// serve answers one client request; fast: the fast engine's (Fast).
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, fast bool) {
	start := time.Now()
	accessLog := h.accessLog.Load()
	if accessLog || h.Hooks.Done != nil {
		sw := &statusWriter{ResponseWriter: w}
		w = sw
		defer func() { h.done(r, sw, start, accessLog) }()
	}
	if r.Method == http.MethodConnect || !strings.HasPrefix(r.URL.Path, "/") {
		generated(w, http.StatusBadRequest, ErrKindBadRequest, "bad request")
		return
	}
	clean, _, err := cleanPath(r.URL)
	if err != nil {
		generated(w, http.StatusBadRequest, ErrKindBadRequest, "bad request path")
		return
	}
	rt := h.route(clean)
	if rt == nil {
		generated(w, http.StatusNotFound, ErrKindNoRoute, "no route for this path")
		return
	}
	if sw, ok := w.(*statusWriter); ok {
		sw.pool = rt.pool.Name
	}
	rt.pool.Budget.Request()
	if !rt.pool.AnyUsable() {
		unavailable(w, rt.pool)
		return
	}
	if fast && forwardable(r) {
		h.forward(w, r, rt)
		return
	}
	rt.rp.ServeHTTP(w, r) // the retrier reads and buffers the body
}

func (h *Handler) done(r *http.Request, sw *statusWriter, start time.Time, accessLog bool) {
	d := time.Since(start)
	status := sw.status
	if status == 0 {
		status = http.StatusOK
	}
	if h.Hooks.Done != nil {
		h.Hooks.Done(sw.pool, status, d)
	}
	if accessLog && h.Logger != nil {
		h.Logger.Info("access", "method", r.Method, "path", r.URL.Path, "status", status,
			"pool", sw.pool, "served_by", sw.Header().Get("X-Served-By"), "duration", d, "remote", r.RemoteAddr)
	}
}
