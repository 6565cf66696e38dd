// Package load sends open-loop HTTP load at a fixed rate and writes one
// ledger.Row per request.
//
// Open loop means the schedule does not wait for answers: request k is due
// at start + (k+1)/Rate whatever happened to request k-1, and its latency is
// counted from that due time (Row.Scheduled), not from when a worker got
// round to sending it (Row.Sent). A stalled backend therefore shows up as
// growing latency instead of silently lowering the rate — no coordinated
// omission.
//
// The attacker is vegeta's (github.com/tsenart/vegeta/v12/lib): it paces the
// ticks and grows a worker pool up to Spec.MaxWorkers. This package adds what
// the lab needs around it:
//
//	vegeta ticks ──▶ worker ──▶ transport (per-request timeout, run ctx,
//	                              keep-alive or fresh connection, loopback only,
//	                              remembers the Go error by X-Vegeta-Seq)
//	                     │
//	                     ▼
//	              vegeta.Result + remembered error ──▶ ledger.Row
//
// Load goes to 127.0.0.1 only: any other target is refused, and the dialer
// refuses any other address too.
package load

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// Errors Run returns for a Spec it will not run; test with errors.Is.
var (
	ErrInvalidSpec = errors.New("invalid load spec")
	ErrNotLoopback = errors.New("only http://127.0.0.1 targets are allowed (the lab never sends load elsewhere)")
)

// IdempotencyKeyHeader is the header Spec.IdempotencyKey fills.
const IdempotencyKeyHeader = "Idempotency-Key"

// Spec describes one stream of load. The zero value of every optional field
// has the default stated on it.
type Spec struct {
	// Target is the base URL, http://127.0.0.1:PORT[/path]. Required.
	Target string
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
	}
	return nil
}

// url is Target with Path resolved, checked to be http on 127.0.0.1.
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
	if err := CheckLoopback(u); err != nil {
		return nil, err
	}
	return u, nil
}

// CheckLoopback refuses any URL that is not http://127.0.0.1:PORT/...
func CheckLoopback(u *url.URL) error {
	if u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Port() == "" || u.User != nil {
		return fmt.Errorf("target %q: %w", u.Redacted(), ErrNotLoopback)
	}
	return nil
}

// Run sends the load s describes and records one row per request in l. It
// returns when s.Duration has passed and the last answer is in (or timed
// out), or soon after ctx is cancelled. Cancelling is a normal way to stop:
// Run then returns nil, and requests cut short by the cancellation are not
// recorded (they say nothing about the system under test). Run returns an
// error only for a Spec it refuses.
func Run(ctx context.Context, s Spec, l *ledger.Ledger) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	s = s.withDefaults()
	pacer := vegeta.ConstantPacer{Freq: s.Rate, Per: time.Second}
	interval := time.Duration(time.Second.Nanoseconds() / int64(s.Rate))
	// vegeta's ConstantPacer sends hit k at began + (k+1)×interval.
	due := func(began time.Time, seq uint64) time.Time {
		return began.Add(time.Duration(seq+1) * interval)
	}
	return run(ctx, s, pacer, due, l)
}

// run drives one vegeta attack; due maps a sequence number to its scheduled
// time (nil: the send time is the schedule).
func run(ctx context.Context, s Spec, p vegeta.Pacer, due func(time.Time, uint64) time.Time, l *ledger.Ledger) error {
	u, err := s.url()
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	tr := newTransport(ctx, s)
	defer tr.close()

	atk := vegeta.NewAttacker(
		vegeta.Client(&http.Client{Transport: tr}),
		vegeta.Workers(uint64(min(s.MaxWorkers, 10))),
		vegeta.MaxWorkers(uint64(s.MaxWorkers)),
		vegeta.Redirects(vegeta.NoFollow), // record the 3xx itself
		vegeta.MaxBody(0),                 // drain bodies, keep none
	)
	stopped := make(chan struct{})
	defer close(stopped)
	go func() {
		select {
		case <-ctx.Done():
			atk.Stop()
		case <-stopped:
		}
	}()

	began := time.Now() // a hair before vegeta's own start: latencies err long, never short
	for res := range atk.Attack(targeter(u.String(), s), p, s.Duration, "") {
		goErr := tr.takeErr(res.Seq)
		if res.Code == 0 && ctx.Err() != nil && errors.Is(goErr, context.Canceled) {
			continue // cut short by our own cancellation
		}
		l.Record(toRow(res, goErr, began, due))
	}
	return nil
}

// toRow turns one vegeta result into a ledger row.
func toRow(res *vegeta.Result, goErr error, began time.Time, due func(time.Time, uint64) time.Time) ledger.Row {
	sent := res.Timestamp
	scheduled := sent
	if due != nil {
		// Clamp: a hit can be picked up a few µs before its computed due
		// time when seq order and tick order differ between workers.
		scheduled = due(began, res.Seq)
		if scheduled.After(sent) {
			scheduled = sent
		}
	}
	row := ledger.Row{
		Seq:       int(res.Seq),
		Scheduled: scheduled,
		Sent:      sent,
		Latency:   sent.Add(res.Latency).Sub(scheduled),
		Status:    int(res.Code),
	}
	if row.Status == 0 {
		if goErr == nil && res.Error != "" {
			goErr = errors.New(res.Error)
		}
		row.Err = ErrKind(goErr)
		return row
	}
	row.ServedBy = res.Headers.Get("X-Served-By")
	if row.ServedBy == "" {
		row.ServedBy = ledger.ServedByProxy
	}
	return row
}

// targeter builds every request of s; safe for concurrent use.
func targeter(u string, s Spec) vegeta.Targeter {
	return func(t *vegeta.Target) error {
		t.Method, t.URL, t.Body, t.Header = s.Method, u, s.Body, s.Header
		if s.IdempotencyKey {
			t.Header = s.Header.Clone()
			if t.Header == nil {
				t.Header = http.Header{}
			}
			t.Header.Set(IdempotencyKeyHeader, crand.Text())
		}
		return nil
	}
}
