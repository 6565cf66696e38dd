package load

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// transport is the RoundTripper under vegeta's client. Per request it:
// bounds the whole exchange (headers and body) by the Spec's timeout and by
// the run's ctx; picks a keep-alive or a fresh connection; and remembers the
// Go error, keyed by vegeta's X-Vegeta-Seq, because vegeta's Result keeps
// only its text and the ledger needs its kind.
type transport struct {
	ctx     context.Context
	timeout time.Duration
	fresh   float64
	http2   bool            // an answer in another protocol is an error
	keep    *http.Transport // reuses connections
	once    *http.Transport // DisableKeepAlives: a new connection per request

	mu   sync.Mutex
	errs map[uint64]error
}

func newTransport(ctx context.Context, s Spec) *transport {
	dial := s.Reach.Dial(&net.Dialer{Timeout: s.Timeout})
	base := func(keepAlive bool) *http.Transport {
		return &http.Transport{
			Proxy:               nil, // never via an HTTP(S)_PROXY from the environment
			DialContext:         dial,
			DisableKeepAlives:   !keepAlive,
			DisableCompression:  true,
			MaxIdleConnsPerHost: s.MaxWorkers,
			IdleConnTimeout:     90 * time.Second,
			TLSClientConfig:     s.TLS,
			ForceAttemptHTTP2:   s.HTTP2, // a custom dialer turns HTTP/2 off otherwise
		}
	}
	return &transport{
		ctx: ctx, timeout: s.Timeout, fresh: s.FreshConns, http2: s.HTTP2,
		keep: base(true), once: base(false),
		errs: map[uint64]error{},
	}
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	seq, _ := strconv.ParseUint(req.Header.Get("X-Vegeta-Seq"), 10, 64)
	ctx, cancel := context.WithTimeout(t.ctx, t.timeout)
	rt := t.keep
	if freshConn(seq, t.fresh) {
		rt = t.once
	}
	resp, err := rt.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		t.setErr(seq, err)
		return nil, err
	}
	if t.http2 && resp.ProtoMajor != 2 {
		resp.Body.Close()
		cancel()
		err := fmt.Errorf("%w: got %s", ErrNotHTTP2, resp.Proto)
		t.setErr(seq, err)
		return nil, err
	}
	resp.Body = &body{ReadCloser: resp.Body, cancel: cancel, fail: func(err error) { t.setErr(seq, err) }}
	return resp, nil
}

// freshConn spreads a fraction f of the sequence evenly: request seq goes on
// a fresh connection when floor((seq+1)·f) passes an integer.
func freshConn(seq uint64, f float64) bool {
	return uint64(float64(seq+1)*f) > uint64(float64(seq)*f)
}

func (t *transport) setErr(seq uint64, err error) {
	t.mu.Lock()
	t.errs[seq] = err
	t.mu.Unlock()
}

// takeErr returns and forgets the error remembered for seq.
func (t *transport) takeErr(seq uint64) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	err := t.errs[seq]
	delete(t.errs, seq)
	return err
}

func (t *transport) close() {
	t.keep.CloseIdleConnections()
	t.once.CloseIdleConnections()
}

// body ends the request's timeout when the body is done and remembers a
// read error (a reset mid-body, a timeout while reading).
type body struct {
	io.ReadCloser
	cancel context.CancelFunc
	fail   func(error)
}

func (b *body) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		b.fail(err)
	}
	return n, err
}

func (b *body) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
