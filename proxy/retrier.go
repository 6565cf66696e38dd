package proxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/failover-lab/failover-lab/proxy/member"
	"github.com/failover-lab/failover-lab/proxy/pool"
)

// errNoUsableMember maps to the 503 error page with Retry-After.
var errNoUsableMember = errors.New("no usable member")

// upstreamError is a failed attempt without a response.
type upstreamError struct {
	class  Class
	member string
	err    error
}

func (e *upstreamError) Error() string {
	return fmt.Sprintf("member %s: %s: %v", e.member, e.class, e.err)
}
func (e *upstreamError) Unwrap() error { return e.err }

// retrier is the ReverseProxy's Transport: it sends the request to a
// member, and on a passive failure re-sends it to the next usable member
// when that is allowed. Nothing reaches the client before it returns.
type retrier struct {
	pool  *pool.Pool
	hooks *Hooks
}

// outcome is what one attempt did.
type outcome struct {
	resp   *http.Response
	err    error
	retry  bool // failed in a way another member may not: try the next one
	byReq  bool // the failure may be the request's doing (not a refused connection)
	poison bool // failed after failing elsewhere: the request is the likely cause
	hints  *informational
}

func (t *retrier) RoundTrip(out *http.Request) (*http.Response, error) { return t.roundTrip(out, nil) }

// roundTrip is RoundTrip; hints, when not nil, is the client's writer
// the 1xx answers go to (the fast engine, which puts no trace of its own
// on the request), else they go to the trace of out (the ReverseProxy's).
func (t *retrier) roundTrip(out *http.Request, hints http.ResponseWriter) (*http.Response, error) {
	p := t.pool
	at, err := newAttempt(out, p)
	if err != nil {
		return nil, err
	}
	var triedBuf [4]*member.Member // attempts are few: no allocation for the list
	tried := triedBuf[:0]
	m := p.Pick(out, nil)
	if m == nil {
		return nil, errNoUsableMember
	}
	failedBefore := false
	for try := 1; ; try++ {
		o := t.send(out, &at, m, try, failedBefore, hints)
		tried = append(tried, m)
		var next *member.Member
		if o.retry && !o.poison { // a poison request is not sent on to a third member
			next = t.nextMember(out, &at, try, tried)
		}
		if next == nil {
			if o.resp != nil {
				o.hints.release() // the answer the client gets: its 1xx go first
			}
			o.hints.end()
			return o.resp, o.err // the member's answer, or a 502/504 by proxyError
		}
		o.hints.end()
		m.Retried()
		if t.hooks.Retry != nil {
			t.hooks.Retry(p.Name, m.Name)
		}
		if o.resp != nil {
			discard(o.resp)
		}
		failedBefore = failedBefore || o.byReq
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

// send makes one attempt on m. While it waits for headers the attempt is
// registered with m, so m's ejection cancels it (a rescue), and a wait
// past passive.stall_after makes m suspect. A failure m caused is counted
// against it, unless the request already failed on another member
// (failedBefore): then it is poison.
func (t *retrier) send(out *http.Request, at *attempt, m *member.Member, try int, failedBefore bool, hints http.ResponseWriter) outcome {
	p := t.pool
	var o outcome
	c := new(call)
	ctx, cancel := context.WithCancelCause(out.Context())
	hold := at.retryable && p.Config.Retry.Attempts > 1
	if hints != nil {
		ctx, o.hints = hintsTo(&c.in, ctx, hold, hints)
	} else {
		ctx, o.hints = holdInformational(&c.in, ctx, hold)
	}
	req := attemptRequest(out, ctx, at, m, try, &c.url)
	c.fin = finish{pool: p, m: m, out: out, cancel: cancel}
	m.Start()
	id := m.Waiting(cancel)
	stall := time.AfterFunc(p.Config.Passive.StallAfter, c.stalled)
	start := time.Now()
	resp, err := p.Transport.RoundTrip(req)
	d := time.Since(start)
	stall.Stop()
	m.DoneWaiting(id)
	if err == nil && errors.Is(context.Cause(ctx), member.ErrRescued) {
		discard(resp) // ejected as the headers came: the body would be cut
		resp, err = nil, context.Cause(ctx)
	}
	var failure string
	var class Class
	switch {
	case err != nil:
		class = classify(err, out.Context(), ctx)
		cancel(nil)
		m.Finish(0)
		o.err = &upstreamError{class: class, member: m.Name, err: err}
		o.retry = class.Blames() || class == ClassCanceled
		o.byReq = class == ClassMemberReset || class == ClassMemberTimeout
		if class.Blames() {
			failure = fmt.Sprintf("%s on %s", class, on(out))
			if class == ClassMemberTimeout {
				failure = fmt.Sprintf("timeout after %s on %s", p.Config.Timeouts.ResponseHeader, on(out))
			} else if why := pool.TLSCause(err); why != "" {
				failure = why + " on " + on(out)
			}
		}
	case p.IsFailure(resp.StatusCode):
		o.retry, o.byReq = true, true
		failure = fmt.Sprintf("%d on %s", resp.StatusCode, on(out))
	default:
		m.Succeeded()
	}
	if t.hooks.Attempt != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.hooks.Attempt(p.Name, m.Name, status, string(class), d)
	}
	if failure != "" {
		if failedBefore && !p.Config.Passive.BlamePoison {
			o.poison = true
			m.Poisoned(failure)
		} else {
			p.PassiveFailure(m, failure)
		}
	}
	if resp != nil {
		c.fin.status = resp.StatusCode
		resp.Body = wrapBody(&c.fin.hook, resp.Body, &c.fin)
	}
	o.resp = resp
	return o
}

// on names the request in a failure cause ("GET /cart"); it is built only
// when there is a failure to describe.
func on(out *http.Request) string { return out.Method + " " + out.URL.Path }

// call is one attempt's own state, in one allocation: its context (which
// holds its 1xx answers), the URL pointed at the member, and the finish
// of its answer.
type call struct {
	in  informational
	url url.URL
	fin finish
}

// stalled is the stall timer's callback: the member took longer than
// passive.stall_after for the headers.
func (c *call) stalled() {
	f := &c.fin
	f.m.Stalled(fmt.Sprintf("stall: %s waited %s for headers", on(f.out), f.pool.Config.Passive.StallAfter))
}

// finish ends an attempt when its response body is closed: the member's
// in-flight count and recent codes, and a passive failure when the member
// cut the body short.
type finish struct {
	hook   closeHook // the body's wrapper, in the same allocation
	pool   *pool.Pool
	m      *member.Member
	out    *http.Request
	status int
	cancel context.CancelCauseFunc
}

func (f *finish) bodyClosed(readErr error) {
	f.m.Finish(f.status)
	f.cancel(nil)
	if readErr != nil && f.out.Context().Err() == nil && f.status != http.StatusSwitchingProtocols {
		// Headers were already forwarded: too late to retry, not to count.
		f.pool.PassiveFailure(f.m, "body cut short on "+on(f.out))
	}
}

// attemptRequest points the outbound request at m with a fresh body. The
// first attempt is a shallow copy; a retry is a fresh clone.
// u is where the member's URL is kept (the attempt's own).
func attemptRequest(out *http.Request, ctx context.Context, at *attempt, m *member.Member, try int, u *url.URL) *http.Request {
	var req *http.Request
	if try == 1 {
		req = out.WithContext(ctx)
	} else {
		req = out.Clone(ctx)
	}
	*u = *out.URL
	u.Scheme, u.Host = m.URL.Scheme, m.URL.Host
	u.Path, u.RawPath = joinPath(m.URL, out.URL)
	req.URL = u
	req.Host = ""
	switch {
	case at.body != nil:
		body := at.body // the closure keeps the bytes, not the attempt
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	case at.rest != nil:
		req.Body = clientBody{io.NopCloser(at.rest)}
	case req.Body != nil && req.Body != http.NoBody:
		req.Body = clientBody{req.Body} // streamed: its read errors are the client's
	}
	return req
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
	case errors.As(err, &ue):
		status, kind, msg := ue.class.answer()
		generated(w, status, kind, msg)
	case errors.Is(err, errBadBody):
		generated(w, http.StatusBadRequest, ErrKindBadRequest, "bad request body")
	default:
		generated(w, http.StatusBadGateway, ErrKindConnect, "member unreachable")
	}
}
