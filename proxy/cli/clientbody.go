package cli

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"
)

// clientBody is the request body as the proxy reads it. It enforces
// mod_reqtimeout's "body=grace,MinRate=rate": the body must be complete by
// grace plus one second per rate bytes received (rate 0: no deadline). And
// when the body fails — too slow, bad chunking, cut short — it cancels the
// request's context before returning the error, so the proxy sees the
// client, not the member, fail: no passive failure is counted against the
// member the body was streaming to. failed then holds the answer's status
// (408 too slow, 400 otherwise).
type clientBody struct {
	io.ReadCloser
	rc       *http.ResponseController
	deadline time.Time
	perByte  time.Duration // 0: no deadline
	cancel   context.CancelFunc
	done     bool
	failed   atomic.Int32 // read by the handler, set by whoever reads the body
}

func newClientBody(b io.ReadCloser, rc *http.ResponseController, grace time.Duration, rate int64, cancel context.CancelFunc) *clientBody {
	c := &clientBody{ReadCloser: b, rc: rc, cancel: cancel}
	if rate > 0 {
		c.perByte = max(time.Nanosecond, time.Second/time.Duration(rate))
		c.deadline = time.Now().Add(grace)
		rc.SetReadDeadline(c.deadline)
	}
	return c
}

func (b *clientBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if b.done {
		return n, err
	}
	switch {
	case err == nil:
		if b.perByte > 0 && n > 0 {
			b.deadline = b.deadline.Add(time.Duration(n) * b.perByte)
			b.rc.SetReadDeadline(b.deadline)
		}
	case errors.Is(err, io.EOF):
		// The connection's background read (it notices a client going
		// away) starts now; it must run without a deadline.
		b.done = true
		if b.perByte > 0 {
			b.rc.SetReadDeadline(time.Time{})
		}
	default:
		b.done = true
		status := int32(http.StatusBadRequest)
		if isTimeout(err) {
			status = http.StatusRequestTimeout
		}
		b.failed.Store(status)
		b.cancel()
	}
	return n, err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
