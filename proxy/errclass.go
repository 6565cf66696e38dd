package proxy

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/failover-lab/failover-lab/proxy/member"
)

// Class names why an attempt got no response. It is decided once, here,
// from what the proxy knows (whose context ended, whose read failed), not
// guessed from the shape of a net.OpError at each use.
type Class string

const (
	ClassDial          Class = "dial"           // the member refused or did not accept the connection
	ClassMemberReset   Class = "member-reset"   // the member closed or reset the connection before its headers
	ClassMemberTimeout Class = "member-timeout" // no response headers within timeouts.response_header
	ClassClientBody    Class = "client-body"    // reading the client's request body failed
	ClassClientGone    Class = "client-gone"    // the client went away (its request context ended)
	ClassCanceled      Class = "canceled"       // the proxy cancelled the attempt (its member was ejected)
)

// Classes lists every class by name, for series created at zero.
func Classes() []string {
	return []string{string(ClassDial), string(ClassMemberReset), string(ClassMemberTimeout),
		string(ClassClientBody), string(ClassClientGone), string(ClassCanceled)}
}

// Blames reports whether a failure of this class counts against the
// member: only what the member itself caused.
func (c Class) Blames() bool {
	switch c {
	case ClassDial, ClassMemberReset, ClassMemberTimeout:
		return true
	}
	return false
}

// proxyErrorKind is the X-Proxy-Error value and status the client gets
// when the attempt's error is the final answer (docs/contracts.md).
func (c Class) answer() (status int, kind, msg string) {
	switch c {
	case ClassMemberTimeout:
		return 504, ErrKindTimeout, "member timed out"
	case ClassCanceled:
		return 504, ErrKindTimeout, "member ejected while the request waited for it"
	case ClassClientBody:
		return 400, ErrKindBadRequest, "bad request body"
	case ClassClientGone:
		return 499, ErrKindClientGone, "client closed the request"
	}
	return 502, ErrKindConnect, "member unreachable"
}

// clientBodyError marks an error returned by the client's request body,
// so the transport's error can be told from the member's.
type clientBodyError struct{ err error }

func (e *clientBodyError) Error() string { return "client body: " + e.err.Error() }
func (e *clientBodyError) Unwrap() error { return e.err }

// clientBody wraps a request body the transport streams, tagging its
// read errors (io.EOF passes untouched).
type clientBody struct{ io.ReadCloser }

func (b clientBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = &clientBodyError{err}
	}
	return n, err
}

// classify names the failure of an attempt: err is the transport's error,
// client the client request's context, attempt the attempt's own context
// (a child of client that the proxy cancels with member.ErrRescued when
// the member is ejected).
func classify(err error, client, attempt context.Context) Class {
	var cbe *clientBodyError
	switch {
	case errors.As(err, &cbe) || errors.Is(err, errBadBody):
		return ClassClientBody
	case client.Err() != nil:
		return ClassClientGone
	case errors.Is(context.Cause(attempt), member.ErrRescued):
		return ClassCanceled
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return ClassDial
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return ClassMemberTimeout
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return ClassDial
	}
	// Whatever else ends a connection before the headers (reset, EOF,
	// a malformed answer) is the member's doing.
	return ClassMemberReset
}
