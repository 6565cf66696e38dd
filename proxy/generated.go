package proxy

import (
	_ "embed"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/failover-lab/failover-lab/proxy/member"
	"github.com/failover-lab/failover-lab/proxy/pool"
)

// X-Proxy-Error values (docs/contracts.md).
const (
	ErrKindConnect    = "connect"
	ErrKindTimeout    = "timeout"
	ErrKindNoMember   = "no-usable-member"
	ErrKindNoRoute    = "no-route"
	ErrKindBadRequest = "bad-request"
	ErrKindClientGone = "client-gone"
)

//go:embed errorpage.html
var builtinErrorPage []byte

// generated writes an answer of the proxy's own, marked as such.
func generated(w http.ResponseWriter, status int, kind, msg string) {
	h := w.Header()
	h.Set("X-Served-By", "proxy")
	h.Set("X-Proxy-Error", kind)
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintln(w, msg)
}

// unavailable is the 503 when no member is usable: the error page and a
// Retry-After from the pool's next scheduled check.
func unavailable(w http.ResponseWriter, p *pool.Pool) {
	h := w.Header()
	h.Set("X-Served-By", "proxy")
	h.Set("X-Proxy-Error", ErrKindNoMember)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if operatorHeld(p) {
		h.Del("Retry-After") // nothing returns until an operator acts: no promise
	} else {
		h.Set("Retry-After", strconv.Itoa(retryAfter(p, time.Now())))
	}
	w.WriteHeader(http.StatusServiceUnavailable)
	page := p.ErrorPage
	if page == nil {
		page = builtinErrorPage
	}
	w.Write(page)
}

// retryAfter is the whole seconds until the next scheduled check, at
// least 1 (RFC 9110 §10.2.3 allows only whole seconds).
func retryAfter(p *pool.Pool, now time.Time) int {
	next := p.NextCheck()
	d := p.Config.Health.DownInterval
	if !next.IsZero() && next.After(now) {
		d = next.Sub(now)
	}
	return max(1, int(math.Ceil(d.Seconds())))
}

// operatorHeld reports whether every member is drained or disabled by the
// admin: no check brings any of them back.
func operatorHeld(p *pool.Pool) bool {
	for _, m := range p.Members {
		if m.AdminState() == member.Active {
			return false
		}
	}
	return true
}
