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
// client only when release is called, for the attempt whose response is
// the client's; after end, none do.
//
// It is also the attempt's context: it answers the transport's trace
// lookup with its own trace instead of the ReverseProxy's
// (httptrace.WithClientTrace would chain to the parent's hooks, and cost
// a context and a trace more per attempt). The trace's hook is made when
// a transport first asks for it: the member client asks only when a 1xx
// arrives, so the common attempt allocates no closure for it.
type informational struct {
	context.Context
	trace httptrace.ClientTrace // its hook set by Value, under mu
	hold  bool                  // false: forward at once (the fast engine's single attempt)
	// Where 1xx answers go: the ReverseProxy's trace hook (forward), or
	// the fast engine's client writer (w).
	forward func(int, textproto.MIMEHeader) error
	w       http.ResponseWriter
	mu      sync.Mutex // Got1xxResponse runs on the transport's read loop
	held    []hint
	done    bool
}

type hint struct {
	code   int
	header textproto.MIMEHeader
}

// holdInformational returns ctx with the ReverseProxy's trace replaced by
// one that holds 1xx answers, when hold and the ReverseProxy wants them;
// otherwise ctx unchanged and nil (1xx pass through at once).
func holdInformational(in *informational, ctx context.Context, hold bool) (context.Context, *informational) {
	if !hold {
		return ctx, nil
	}
	parent := httptrace.ContextClientTrace(ctx)
	if parent == nil || parent.Got1xxResponse == nil {
		return ctx, nil
	}
	*in = informational{Context: ctx, hold: true, forward: parent.Got1xxResponse}
	return in, in
}

// hintsTo makes in the attempt's context for the fast engine, whose 1xx
// go to w: held when hold, else written at once.
func hintsTo(in *informational, ctx context.Context, hold bool, w http.ResponseWriter) (context.Context, *informational) {
	*in = informational{Context: ctx, hold: hold, w: w}
	return in, in
}

// traceKey is the context key httptrace keeps a ClientTrace under (its
// type is unexported): learnt once, by asking a context that records the
// key it is asked for.
var traceKey = func() any {
	spy := &keySpy{Context: context.Background()}
	httptrace.ContextClientTrace(spy)
	return spy.key
}()

type keySpy struct {
	context.Context
	key any
}

func (k *keySpy) Value(key any) any { k.key = key; return nil }

// Value answers the trace lookup with the holding trace.
func (in *informational) Value(key any) any {
	if key == traceKey {
		in.mu.Lock()
		if in.trace.Got1xxResponse == nil {
			in.trace.Got1xxResponse = in.got
		}
		in.mu.Unlock()
		return &in.trace
	}
	return in.Context.Value(key)
}

func (in *informational) got(code int, h textproto.MIMEHeader) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	switch {
	case in.done:
	case in.hold:
		in.held = append(in.held, hint{code, textproto.MIMEHeader(http.Header(h).Clone())})
	default:
		in.send(code, h)
	}
	return nil
}

// send forwards one 1xx answer, under mu.
func (in *informational) send(code int, h textproto.MIMEHeader) {
	if in.w == nil {
		in.forward(code, h)
		return
	}
	wh := in.w.Header()
	for k, vv := range h {
		wh[k] = append(wh[k], vv...)
	}
	in.w.WriteHeader(code)
	clear(wh)
}

// release forwards the held answers, then ends; nil holds nothing.
func (in *informational) release() {
	if in == nil {
		return
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if !in.done {
		for _, h := range in.held {
			in.send(h.code, h.header)
		}
	}
	in.held, in.done = nil, true
}

// end drops what is held and forwards nothing more: the attempt's answer
// is not the client's, or the final answer is in; nil holds nothing.
func (in *informational) end() {
	if in == nil {
		return
	}
	in.mu.Lock()
	in.held, in.done = nil, true
	in.mu.Unlock()
}
