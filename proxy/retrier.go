package proxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/failover-lab/failover-lab/proxy/member"
	"github.com/failover-lab/failover-lab/proxy/pool"
)

// errNoUsableMember maps to the 503 error page with Retry-After.
var errNoUsableMember = errors.New("no usable member")

// upstreamError is a failed attempt without a response; kind is connect or
// timeout (X-Proxy-Error).
type upstreamError struct {
	kind   string
	member string
	err    error
}

func (e *upstreamError) Error() string {
	return fmt.Sprintf("member %s: %s: %v", e.member, e.kind, e.err)
}
func (e *upstreamError) Unwrap() error { return e.err }

// retrier is the ReverseProxy's Transport: it sends the request to a
// member, and on a passive failure re-sends it to the next usable member
// when that is allowed. Nothing reaches the client before it returns.
type retrier struct {
	pool  *pool.Pool
	hooks *Hooks
}

func (t *retrier) RoundTrip(out *http.Request) (*http.Response, error) {
	p := t.pool
	st, err := newAttempt(out, p)
	if err != nil {
		return nil, err
	}
	at := &st
	var tried []*member.Member
	m := p.Pick(out, nil)
	if m == nil {
		return nil, errNoUsableMember
	}
	for try := 1; ; try++ {
		resp, failure, err := t.send(out, at, m, try)
		if failure == "" {
			return resp, err
		}
		tried = append(tried, m)
		next := t.nextMember(out, at, try, tried)
		if next == nil {
			return resp, err // the member's answer, or a 502/504 by proxyError
		}
		m.Retried()
		if t.hooks.Retry != nil {
			t.hooks.Retry(p.Name, m.Name)
		}
		if resp != nil {
			discard(resp)
		}
		m = next
	}
}

// nextMember returns where to retry, or nil when the rules say no.
func (t *retrier) nextMember(out *http.Request, at *attempt, try int, tried []*member.Member) *member.Member {
	p := t.pool
	if !at.retryable || try >= p.Config.Retry.Attempts || out.Context().Err() != nil {
		return nil
	}
	next := p.Pick(out, tried)
	if next == nil {
		return nil
	}
	if !p.Budget.TryRetry() {
		if t.hooks.BudgetRefused != nil {
			t.hooks.BudgetRefused(p.Name)
		}
		return nil
	}
	return next
}

// send makes one attempt on m. failure is non-empty ("500 on GET /cart")
// when the attempt counts against the member; the member is then told.
func (t *retrier) send(out *http.Request, at *attempt, m *member.Member, try int) (*http.Response, string, error) {
	p := t.pool
	req := attemptRequest(out, at, m, try)
	m.Start()
	start := time.Now()
	resp, err := p.Transport.RoundTrip(req)
	d := time.Since(start)
	var failure, kind string
	switch {
	case err != nil && out.Context().Err() != nil:
		m.Finish(0) // the client went away: not the member's fault
		return nil, "", err
	case err != nil:
		kind = errKind(err)
		failure = kind + " error on " + on(out)
		if kind == ErrKindTimeout {
			failure = fmt.Sprintf("timeout after %s on %s", p.Config.Timeouts.ResponseHeader, on(out))
		} else if why := pool.TLSCause(err); why != "" {
			failure = why + " on " + on(out)
		}
		err = &upstreamError{kind: kind, member: m.Name, err: err}
		m.Finish(0)
	case p.IsFailure(resp.StatusCode):
		failure = fmt.Sprintf("%d on %s", resp.StatusCode, on(out))
	}
	if t.hooks.Attempt != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.hooks.Attempt(p.Name, m.Name, status, kind, d)
	}
	if failure != "" {
		pc := p.Config.Passive
		m.PassiveFailure(failure, pc.Failures, pc.Window, pc.HoldDown)
	}
	if resp != nil {
		resp.Body = wrapBody(resp.Body, &finish{pool: p, m: m, out: out, status: resp.StatusCode})
	}
	return resp, failure, err
}

// on names the request in a failure cause ("GET /cart"); it is built only
// when there is a failure to describe.
func on(out *http.Request) string { return out.Method + " " + out.URL.Path }

// finish ends an attempt when its response body is closed: the member's
// in-flight count and recent codes, and a passive failure when the member
// cut the body short.
type finish struct {
	pool   *pool.Pool
	m      *member.Member
	out    *http.Request
	status int
}

func (f *finish) bodyClosed(readErr error) {
	f.m.Finish(f.status)
	if readErr != nil && f.out.Context().Err() == nil && f.status != http.StatusSwitchingProtocols {
		// Headers were already forwarded: too late to retry, not to count.
		pc := f.pool.Config.Passive
		f.m.PassiveFailure("body cut short on "+on(f.out), pc.Failures, pc.Window, pc.HoldDown)
	}
}

// attemptRequest points the outbound request at m with a fresh body. The
// first attempt is a shallow copy; a retry is a fresh clone.
func attemptRequest(out *http.Request, at *attempt, m *member.Member, try int) *http.Request {
	var req *http.Request
	if try == 1 {
		req = out.WithContext(out.Context())
	} else {
		req = out.Clone(out.Context())
	}
	u := *out.URL
	u.Scheme, u.Host = m.URL.Scheme, m.URL.Host
	u.Path, u.RawPath = joinPath(m.URL, out.URL)
	req.URL = &u
	req.Host = ""
	switch {
	case at.body != nil:
		req.Body = io.NopCloser(bytes.NewReader(at.body))
		req.ContentLength = int64(len(at.body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(at.body)), nil }
	case at.rest != nil:
		req.Body = io.NopCloser(at.rest)
	}
	return req
}

// errKind tells a connection failure from a timeout awaiting headers.
func errKind(err error) string {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return ErrKindConnect
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return ErrKindTimeout
	}
	return ErrKindConnect
}

// discard drops a failed response that will not be sent to the client,
// reading a little so the connection can be reused.
func discard(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	resp.Body.Close()
}

// proxyError answers when no member response can be forwarded.
func proxyError(w http.ResponseWriter, r *http.Request, p *pool.Pool, err error) {
	var ue *upstreamError
	switch {
	case errors.Is(err, errNoUsableMember):
		unavailable(w, p)
	case errors.Is(err, errBadBody):
		generated(w, http.StatusBadRequest, ErrKindBadRequest, "bad request body")
	case errors.As(err, &ue) && ue.kind == ErrKindTimeout:
		generated(w, http.StatusGatewayTimeout, ErrKindTimeout, "member timed out")
	default:
		generated(w, http.StatusBadGateway, ErrKindConnect, "member unreachable")
	}
}
