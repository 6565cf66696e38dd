package proxy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/failover-lab/failover-lab/proxy/pool"
	"github.com/failover-lab/failover-lab/proxy/upstream"
)

// attempt is one client request's retry state.
type attempt struct {
	retryable bool   // method and body allow re-sending
	body      []byte // buffered body, when retryable and non-empty
	rest      io.Reader
}

// errBadBody is a client request body that could not be read: a 400.
var errBadBody = errors.New("bad request body")

// newAttempt buffers the body (up to the pool's limit) when the request
// may be retried; a larger body streams and is not retried. The retrier
// calls it on the ReverseProxy's outbound copy (same method, headers and
// body as the client's), so no per-request context value is needed.
func newAttempt(r *http.Request, p *pool.Pool) (at attempt, err error) {
	at = attempt{retryable: upstream.Replayable(r)}
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
		return attempt{}, fmt.Errorf("%w: %w", errBadBody, err)
	}
	if int64(len(buf)) > limit {
		at.retryable = false
		at.rest = io.MultiReader(bytes.NewReader(buf), r.Body)
		return at, nil
	}
	at.body = buf
	return at, nil
}
