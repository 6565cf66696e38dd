package proxy

import (
	"bytes"
	"io"
	"net/http"

	"github.com/failover-lab/failover-lab/proxy/pool"
)

// idempotent methods, RFC 9110 §9.2.2.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace,
		http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// attemptKey carries the *attempt from ServeHTTP to the retrier.
type attemptKey struct{}

// attempt is one client request's retry state.
type attempt struct {
	retryable bool   // method and body allow re-sending
	body      []byte // buffered body, when retryable and non-empty
	rest      io.Reader
}

// newAttempt buffers the body (up to the pool's limit) when the request
// may be retried; a larger body streams and is not retried.
func newAttempt(r *http.Request, p *pool.Pool) (*attempt, error) {
	at := &attempt{retryable: idempotent(r.Method) || r.Header.Get("Idempotency-Key") != ""}
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return at, nil
	}
	limit := int64(p.Config.Retry.BodyLimit)
	if !at.retryable || r.ContentLength > limit {
		at.retryable = false
		return at, nil
	}
	buf, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(buf)) > limit {
		at.retryable = false
		at.rest = io.MultiReader(bytes.NewReader(buf), r.Body)
		return at, nil
	}
	at.body = buf
	return at, nil
}
