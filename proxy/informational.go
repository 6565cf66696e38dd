package proxy

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"sync"
)

// informational holds the 1xx answers (103 Early Hints, ...) of an attempt
// that may still be retried: hints sent for an answer the client never
// gets would tell it to preload or expect the wrong things. They reach the
// client (through the ReverseProxy's own trace) only when release is
// called, for the attempt whose response is the client's.
//
// It is also the attempt's context: one allocation that answers the
// transport's trace lookup with its own trace instead of the
// ReverseProxy's (httptrace.WithClientTrace would chain to the parent's
// hooks, and cost a context and a trace more per attempt).
type informational struct {
	context.Context
	trace   httptrace.ClientTrace
	forward func(int, textproto.MIMEHeader) error
	mu      sync.Mutex // Got1xxResponse runs on the transport's read loop
	held    []hint
}

type hint struct {
	code   int
	header textproto.MIMEHeader
}

// holdInformational returns ctx with the ReverseProxy's trace replaced by
// one that holds 1xx answers, when hold and the ReverseProxy wants them;
// otherwise ctx unchanged and nil (1xx pass through at once).
func holdInformational(ctx context.Context, hold bool) (context.Context, *informational) {
	if !hold {
		return ctx, nil
	}
	parent := httptrace.ContextClientTrace(ctx)
	if parent == nil || parent.Got1xxResponse == nil {
		return ctx, nil
	}
	in := &informational{Context: ctx, forward: parent.Got1xxResponse}
	in.trace.Got1xxResponse = in.hold
	return in, in
}

// Value answers the trace lookup (its key is unexported: it is known by
// the type of its value) with the holding trace.
func (in *informational) Value(key any) any {
	v := in.Context.Value(key)
	if _, ok := v.(*httptrace.ClientTrace); ok {
		return &in.trace
	}
	return v
}

func (in *informational) hold(code int, h textproto.MIMEHeader) error {
	in.mu.Lock()
	in.held = append(in.held, hint{code, textproto.MIMEHeader(http.Header(h).Clone())})
	in.mu.Unlock()
	return nil
}

// release forwards the held answers; nil holds nothing.
func (in *informational) release() {
	if in == nil {
		return
	}
	in.mu.Lock()
	held := in.held
	in.held = nil
	in.mu.Unlock()
	for _, h := range held {
		in.forward(h.code, h.header)
	}
}
