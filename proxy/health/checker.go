package health

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/failover-lab/failover-lab/proxy/member"
	"github.com/failover-lab/failover-lab/proxy/pool"
)

// maxBody bounds how much of a check's body is read for expect_body.
const maxBody = 64 << 10

// Checker runs the active checks of one pool.
type Checker struct {
	Pool *pool.Pool
	// Client sends the checks; default: one using the pool's transport.
	Client *http.Client
	// OnCheck, when set, is told every result (metrics).
	OnCheck func(p *pool.Pool, m *member.Member, c member.Check)
	Logger  *slog.Logger

	// fresh sends the checks of a member that is not up: on connections
	// of their own, never a pooled one (see clientFor).
	fresh *http.Client

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Start launches one loop per member; Stop ends them.
func (c *Checker) Start(ctx context.Context) {
	c.clients()
	ctx, c.cancel = context.WithCancel(ctx)
	for _, m := range c.Pool.Members {
		c.wg.Go(func() { c.loop(ctx, m) })
	}
}

// Stop cancels the loops and waits for them.
func (c *Checker) Stop() {
	if c.cancel != nil {
		c.cancel()
	}
	c.wg.Wait()
}

func (c *Checker) loop(ctx context.Context, m *member.Member) {
	// First check at once, so a dead member is found early, except for a
	// member already out (a reload): it keeps its schedule and hold-down.
	next := time.Now()
	if m.Health() != member.Up {
		next = next.Add(c.Delay(m, next))
	}
	m.Reprobe()
	for {
		m.SetNextCheck(next)
		t := time.NewTimer(time.Until(next))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-m.Wake():
			t.Stop()
			next = time.Now().Add(c.Delay(m, time.Now()))
			continue
		case <-m.ProbeRequests():
			t.Stop()
			c.ConfirmOnce(ctx, m)
		case <-t.C:
			c.CheckOnce(ctx, m)
		}
		next = time.Now().Add(c.Delay(m, time.Now()))
	}
}

// Delay is how long until m's next check, from its state.
func (c *Checker) Delay(m *member.Member, now time.Time) time.Duration {
	h := c.Pool.Config.Health
	switch m.Health() {
	case member.Error:
		if until := m.HoldDownUntil(); now.Before(until) {
			return until.Sub(now)
		}
		return jitter(h.DownInterval, h.Jitter)
	case member.Down:
		return jitter(h.DownInterval, h.Jitter)
	}
	return jitter(h.Interval, h.Jitter)
}

func jitter(d time.Duration, j float64) time.Duration {
	if j <= 0 {
		return d
	}
	return time.Duration(float64(d) * (1 + j*(2*rand.Float64()-1)))
}

// CheckOnce probes m once and applies the result. A probe cut short
// because ctx ended (reload, shutdown) says nothing about the member: it
// is returned with Reason "canceled" and never applied.
func (c *Checker) CheckOnce(ctx context.Context, m *member.Member) member.Check {
	before := m.Health()
	res, ok := c.run(ctx, m)
	if !ok {
		return res
	}
	h := c.Pool.Config.Health
	m.CheckDone(res, h.Fails, h.Passes)
	c.report(m, res, before)
	return res
}

// ConfirmOnce is the out-of-schedule probe of a suspect member: failing,
// it ejects the member for the passive hold-down; passing, it clears the
// suspicion (and counts as a check).
func (c *Checker) ConfirmOnce(ctx context.Context, m *member.Member) member.Check {
	before := m.Health()
	res, ok := c.run(ctx, m)
	if !ok {
		return res // the suspicion stays; the next checker (after a reload) probes it
	}
	if !m.ConfirmDone(res, c.Pool.Config.Passive.HoldDown) && res.Pass {
		h := c.Pool.Config.Health
		m.CheckDone(res, h.Fails, h.Passes)
	}
	c.report(m, res, before)
	return res
}

// run probes m; ok is false when ctx ended during the probe.
func (c *Checker) run(ctx context.Context, m *member.Member) (res member.Check, ok bool) {
	c.clients()
	res = c.probe(ctx, m, c.clientFor(m))
	if ctx.Err() != nil {
		res.Pass, res.Reason = false, "canceled"
		return res, false
	}
	return res, true
}

// clients sets the default Client and its fresh-connection twin.
func (c *Checker) clients() {
	if c.Client == nil {
		c.Client = &http.Client{Transport: c.Pool.Transport, CheckRedirect: noRedirect}
	}
	if c.fresh == nil {
		c.fresh = c.Client
		switch t := c.Client.Transport.(type) {
		case interface{ Fresh() http.RoundTripper }: // the pool's upstream.Client
			c.fresh = &http.Client{Transport: t.Fresh(), CheckRedirect: c.Client.CheckRedirect}
		case *http.Transport:
			own := t.Clone()
			own.DisableKeepAlives = true
			c.fresh = &http.Client{Transport: own, CheckRedirect: c.Client.CheckRedirect}
		}
	}
}

// clientFor picks the client of m's check. A member that is out or
// suspect is checked on a new connection: the question is whether it
// accepts one now, and a pooled connection from before it failed may be
// dead without having been told (a killed container, a cut link), so a
// check on it waits out the whole timeout and delays the member's return
// by as much.
func (c *Checker) clientFor(m *member.Member) *http.Client {
	if m.Health() == member.Up && !m.IsSuspect() {
		return c.Client
	}
	return c.fresh
}

func (c *Checker) report(m *member.Member, res member.Check, before member.Health) {
	if c.OnCheck != nil {
		c.OnCheck(c.Pool, m, res)
	}
	if c.Logger != nil && !res.Pass && before == member.Up {
		c.Logger.Debug("check failed", "pool", c.Pool.Name, "member", m.Name, "reason", res.Reason)
	}
}

func (c *Checker) probe(ctx context.Context, m *member.Member, client *http.Client) member.Check {
	h := c.Pool.Config.Health
	start := time.Now()
	res := member.Check{At: start}
	ctx, cancel := context.WithTimeout(ctx, h.Timeout)
	defer cancel()
	u := *m.URL
	path, query, _ := strings.Cut(h.Path, "?") // a query is sent as one
	u.Path, u.RawQuery = strings.TrimSuffix(u.Path, "/")+path, query
	req, err := http.NewRequestWithContext(ctx, h.Method, u.String(), nil)
	if err != nil {
		res.Reason = "bad check request: " + err.Error()
		return res
	}
	req.Header.Set("User-Agent", "failover-proxy-health")
	resp, err := client.Do(req)
	if err != nil {
		res.Latency = time.Since(start)
		res.Reason = describe(err, h.Timeout)
		return res
	}
	defer resp.Body.Close()
	var body []byte
	if c.Pool.ExpectBody() != nil {
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	} else {
		_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	}
	res.Latency = time.Since(start)
	switch {
	case err != nil:
		res.Reason = "reading body: " + describe(err, h.Timeout)
	case !c.Pool.Expected(resp.StatusCode):
		res.Reason = fmt.Sprintf("status %d", resp.StatusCode)
	case c.Pool.ExpectBody() != nil && !c.Pool.ExpectBody().Match(body):
		res.Reason = fmt.Sprintf("status %d, body does not match %q", resp.StatusCode, h.ExpectBody)
	default:
		res.Pass = true
		res.Reason = fmt.Sprintf("status %d", resp.StatusCode)
	}
	return res
}

// describe names a check failure the way the why-timeline shows it.
func describe(err error, timeout time.Duration) string {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return fmt.Sprintf("timeout after %s", timeout)
	}
	if why := pool.TLSCause(err); why != "" {
		return why
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return "connect: " + oe.Err.Error()
	}
	return err.Error()
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
