package load

import (
	"crypto/tls"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// Errors Run returns for a Spec it will not run; test with errors.Is.
var (
	ErrInvalidSpec = errors.New("invalid load spec")
	ErrNotLoopback = errors.New("only http://127.0.0.1, the Docker engine's address or the run's own network are allowed targets (the lab never sends load elsewhere)")
	// ErrNotHTTP2 is a request's error when Spec.HTTP2 is set and the
	// answer came in another protocol.
	ErrNotHTTP2 = errors.New("answer not in HTTP/2")
)

// IdempotencyKeyHeader is the header Spec.IdempotencyKey fills.
const IdempotencyKeyHeader = "Idempotency-Key"

// Spec describes one stream of load. The zero value of every optional field
// has the default stated on it.
type Spec struct {
	// Target is the base URL, http://127.0.0.1:PORT[/path] (or a host
	// Reach allows), or https:// with TLS. Required.
	Target string
	// Reach is where the load may go besides 127.0.0.1: the Docker
	// engine's address, the run's own network. Default: loopback only.
	Reach Reach
	// TLS is how an https Target is trusted (the run's CA). Default nil:
	// http only. It does not cross to a load run elsewhere (labs/load/agent).
	TLS *tls.Config `json:"-"`
	// HTTP2 speaks HTTP/2 (over TLS, chosen by ALPN) and counts an answer
	// in another protocol as an error, so a run cannot pass on HTTP/1.1
	// unnoticed. Needs TLS. Default false (HTTP/1.1).
	HTTP2 bool
	// Path is resolved against Target (it may carry a query). Default: Target's own path.
	Path string
	// Method. Default GET.
	Method string
	// Header is sent with every request. Default none.
	Header http.Header
	// Body is sent with every request. Default none.
	Body []byte
	// IdempotencyKey sends a fresh random Idempotency-Key on every request.
	// Default false.
	IdempotencyKey bool

	// Rate is requests per second. Required, > 0.
	Rate int
	// Duration of the load; 0 runs until ctx is cancelled.
	Duration time.Duration
	// Timeout per request, from send to the end of the body. Default 5s.
	Timeout time.Duration
	// MaxWorkers caps requests in flight. Default: enough to keep the rate
	// when every request runs into the timeout (Rate×Timeout + 1).
	MaxWorkers int
	// Stream tags every row this load records (Row.Stream). Default "".
	Stream string
	// Malformed sends every request with a broken body, one of
	// MalformedKinds (malformed.go). Default "" (well-formed).
	Malformed string
	// FreshConns is the fraction of requests, in [0, 1], sent on a new TCP
	// connection that is closed afterwards; the rest reuse keep-alive
	// connections. Spread evenly over the sequence. Default 0.
	FreshConns float64
}

// withDefaults returns s with the documented defaults filled in.
func (s Spec) withDefaults() Spec {
	if s.Method == "" {
		s.Method = http.MethodGet
	}
	if s.Timeout == 0 {
		s.Timeout = 5 * time.Second
	}
	if s.MaxWorkers == 0 && s.Rate > 0 {
		s.MaxWorkers = int(math.Ceil(float64(s.Rate)*s.Timeout.Seconds())) + 1
	}
	return s
}

// Validate reports the first problem of s (after defaults), naming the field.
func (s Spec) Validate() error {
	s = s.withDefaults()
	if _, err := s.url(); err != nil {
		return err
	}
	switch {
	case s.Rate <= 0:
		return fmt.Errorf("%w: rate: must be > 0 (got %d)", ErrInvalidSpec, s.Rate)
	case s.Duration < 0:
		return fmt.Errorf("%w: duration: must be >= 0 (got %s)", ErrInvalidSpec, s.Duration)
	case s.Timeout < 0:
		return fmt.Errorf("%w: timeout: must be > 0 (got %s)", ErrInvalidSpec, s.Timeout)
	case s.MaxWorkers < 0:
		return fmt.Errorf("%w: max_workers: must be > 0 (got %d)", ErrInvalidSpec, s.MaxWorkers)
	case s.FreshConns < 0 || s.FreshConns > 1 || math.IsNaN(s.FreshConns):
		return fmt.Errorf("%w: fresh_conns: must be in [0, 1] (got %v)", ErrInvalidSpec, s.FreshConns)
	case s.HTTP2 && s.TLS == nil:
		return fmt.Errorf("%w: http2: needs an https target and its tls config", ErrInvalidSpec)
	case s.Malformed != "" && !slices.Contains(MalformedKinds, s.Malformed):
		return fmt.Errorf("%w: malformed: must be one of %v (got %q)", ErrInvalidSpec, MalformedKinds, s.Malformed)
	}
	return nil
}

// url is Target with Path resolved, checked to be http on 127.0.0.1, or
// https with TLS set.
func (s Spec) url() (*url.URL, error) {
	base, err := url.Parse(s.Target)
	if err != nil {
		return nil, fmt.Errorf("%w: target: %w", ErrInvalidSpec, err)
	}
	u := base
	if s.Path != "" {
		ref, err := url.Parse(s.Path)
		if err != nil {
			return nil, fmt.Errorf("%w: path: %w", ErrInvalidSpec, err)
		}
		if ref.Scheme != "" || ref.Host != "" {
			return nil, fmt.Errorf("%w: path: must be a path, not a URL (got %q)", ErrInvalidSpec, s.Path)
		}
		u = base.ResolveReference(ref)
	}
	check := *u
	if u.Scheme == "https" && s.TLS != nil {
		check.Scheme = "http" // the same loopback rule; TLS says how to trust it
	}
	if err := s.Reach.Check(&check); err != nil {
		return nil, err
	}
	return u, nil
}
