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
//	                              keep-alive or fresh connection, Reach only,
//	                              remembers the Go error by X-Vegeta-Seq)
//	                     │
//	                     ▼
//	              vegeta.Result + remembered error ──▶ ledger.Row
//
// Load goes to 127.0.0.1, to the address of the Docker engine whose ports
// the run is published on, or to the run's own containers by name when it
// runs on the run's network (Reach, Spec.Reach): any other target is
// refused, and the dialer refuses any other address too.
package load

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// Recorder takes the rows of a load: a *ledger.Ledger, or a writer that
// streams them elsewhere (labs/load/agent).
type Recorder interface {
	Record(ledger.Row)
}

var _ Recorder = (*ledger.Ledger)(nil)

// Run sends the load s describes and records one row per request in l. It
// returns when s.Duration has passed and the last answer is in (or timed
// out), or soon after ctx is cancelled. Cancelling is a normal way to stop:
// Run then returns nil, and requests cut short by the cancellation are not
// recorded (they say nothing about the system under test). Run returns an
// error only for a Spec it refuses.
func Run(ctx context.Context, s Spec, l Recorder) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	s = s.withDefaults()
	if s.Malformed != "" {
		return runMalformed(ctx, s, l)
	}
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
func run(ctx context.Context, s Spec, p vegeta.Pacer, due func(time.Time, uint64) time.Time, l Recorder) error {
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
		row := toRow(res, goErr, began, due)
		row.Stream = s.Stream
		l.Record(row)
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
		if row.Err = ErrKind(goErr); row.Err == "" {
			row.Err = ledger.ErrOther // no answer and no error: never a silent blank row
		}
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
