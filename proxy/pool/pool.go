package pool

import (
	"cmp"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/member"
	"github.com/failover-lab/failover-lab/proxy/upstream"
)

// Pool is the live form of a config.Pool.
type Pool struct {
	Name      string
	Config    config.Pool
	Members   []*member.Member // sorted by tier, config order within a tier
	Selector  Selector
	Budget    *Budget
	Transport http.RoundTripper // an *upstream.Client unless replaced (tests)
	ErrorPage []byte            // nil: the built-in page

	passiveMu  sync.Mutex // one passive ejection decision at a time (passive.go)
	failStatus [600]bool
	expect     [][2]int
	expectBody *regexp.Regexp
}

// Reuse returns the existing member with this name and URL, or nil, so a
// reload keeps health state.
type Reuse func(name, rawURL string) *member.Member

// New builds a pool from a validated config.
func New(name string, cfg config.Pool, reuse Reuse) (*Pool, error) {
	p := &Pool{Name: name, Config: cfg, Budget: NewBudget(cfg.Retry.BudgetRatio, cfg.Retry.BudgetFloor)}
	type entry struct {
		m    *member.Member
		tier config.Tier
	}
	var entries []entry
	for _, mc := range cfg.Members {
		u, err := url.Parse(mc.URL)
		if err != nil {
			return nil, fmt.Errorf("pool %s: member %s: %w", name, mc.Name, err)
		}
		var m *member.Member
		if reuse != nil {
			m = reuse(mc.Name, mc.URL) // its tier and weight change in ApplySpecs
		}
		if m == nil {
			m = member.New(mc.Name, u, int(mc.Tier), mc.Weight)
		}
		entries = append(entries, entry{m, mc.Tier})
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return cmp.Compare(a.tier, b.tier) })
	for _, e := range entries {
		p.Members = append(p.Members, e.m)
	}
	switch cfg.Policy {
	case config.PolicyLeastRequests:
		p.Selector = &LeastRequests{SlowStart: cfg.SlowStart}
	default:
		p.Selector = &RoundRobin{SlowStart: cfg.SlowStart}
	}
	for _, s := range cfg.Passive.Statuses {
		p.failStatus[s] = true
	}
	for _, s := range cfg.Health.ExpectStatus {
		lo, hi, err := config.ParseStatusRange(s)
		if err != nil {
			return nil, fmt.Errorf("pool %s: %w", name, err)
		}
		p.expect = append(p.expect, [2]int{lo, hi})
	}
	if cfg.Health.ExpectBody != "" {
		re, err := regexp.Compile(cfg.Health.ExpectBody)
		if err != nil {
			return nil, fmt.Errorf("pool %s: %w", name, err)
		}
		p.expectBody = re
	}
	t := NewTransport(cfg.Timeouts)
	if err := useTLS(t, cfg.TLS); err != nil {
		return nil, fmt.Errorf("pool %s: tls: %w", name, err)
	}
	p.Transport = upstream.New(t, maxIdlePerMember)
	return p, nil
}

// maxIdlePerMember bounds the idle connections kept to one member.
const maxIdlePerMember = 4096

// NewTransport is a keep-alive connection pool with the pool's timeouts;
// the pool's upstream.Client reads its settings and sends it what it does
// not write itself.
func NewTransport(t config.Timeouts) *http.Transport {
	return &http.Transport{
		Proxy:                 nil, // members are reached directly, never via $HTTP_PROXY
		DialContext:           (&net.Dialer{Timeout: t.Dial, KeepAlive: 30 * time.Second}).DialContext,
		ResponseHeaderTimeout: t.ResponseHeader,
		IdleConnTimeout:       t.Idle,
		// Idle connections kept: at least the concurrency the proxy
		// serves, or every request past the pool's size dials a connection
		// and closes it after its answer (churn: a dial, a TIME_WAIT and
		// two transport goroutines per request). The idle timeout trims
		// what a burst left behind.
		MaxIdleConns:          0, // no limit across members
		MaxIdleConnsPerHost:   maxIdlePerMember,
		TLSHandshakeTimeout:   t.Dial,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     false,
		// Pass Content-Encoding through as the member sent it: without
		// this the Transport asks for gzip on requests that did not, and
		// the proxy would spend CPU gunzipping answers for the client.
		DisableCompression: true,
	}
}

// ApplySpecs sets every member's tier and weight from the config; a reload
// calls it once all pools are built, so a failed reload changes nothing.
func (p *Pool) ApplySpecs() {
	for _, mc := range p.Config.Members {
		if m := p.Member(mc.Name); m != nil {
			m.SetSpec(int(mc.Tier), mc.Weight)
		}
	}
}

// CloseIdle closes the idle connections of the pool's transport.
func (p *Pool) CloseIdle() {
	if t, ok := p.Transport.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

// IsFailure reports whether a member's status counts as a passive failure.
func (p *Pool) IsFailure(status int) bool {
	return status >= 0 && status < len(p.failStatus) && p.failStatus[status]
}

// Expected reports whether a check status is in expect_status.
func (p *Pool) Expected(status int) bool {
	for _, r := range p.expect {
		if status >= r[0] && status <= r[1] {
			return true
		}
	}
	return false
}

// ExpectBody is the compiled body regex, or nil.
func (p *Pool) ExpectBody() *regexp.Regexp { return p.expectBody }

// Pick returns a usable member of the best tier that has one, skipping
// tried, or nil when there is none. A stalled member (a request waited
// past passive.stall_after for its headers; a probe is checking it) is
// picked only when no other is usable, so requests stop piling onto a
// member that may be hung. The common case,
// one usable member in the best tier, returns it without building a
// candidate list.
func (p *Pool) Pick(r *http.Request, tried []*member.Member) *member.Member {
	if m := p.pick(r, tried, false); m != nil {
		return m
	}
	return p.pick(r, tried, true)
}

func (p *Pool) pick(r *http.Request, tried []*member.Member, stalled bool) *member.Member {
	var only *member.Member
	n, tier := 0, -1
	for _, m := range p.Members {
		if tier >= 0 && m.Tier() != tier {
			break // members are sorted: the best tier with candidates wins
		}
		if !candidate(m, tried, stalled) {
			continue
		}
		tier, only = m.Tier(), m
		n++
	}
	if n <= 1 {
		return only
	}
	return p.selectIn(r, tried, tier, n, stalled)
}

func candidate(m *member.Member, tried []*member.Member, stalled bool) bool {
	return m.Usable() && (stalled || !m.IsStalled()) && !slices.Contains(tried, m)
}

// selectIn asks the selector among the usable members of tier.
func (p *Pool) selectIn(r *http.Request, tried []*member.Member, tier, n int, stalled bool) *member.Member {
	c := make([]*member.Member, 0, n)
	for _, m := range p.Members {
		if m.Tier() == tier && candidate(m, tried, stalled) {
			c = append(c, m)
		}
	}
	if len(c) == 0 { // all went out since the first look
		return nil
	}
	return p.Selector.Select(c, r)
}

// AnyUsable reports whether some member may take a request.
func (p *Pool) AnyUsable() bool {
	for _, m := range p.Members {
		if m.Usable() {
			return true
		}
	}
	return false
}

// NextCheck is the earliest scheduled check of a member that is out, or
// the zero time when none is scheduled; it drives Retry-After.
func (p *Pool) NextCheck() time.Time {
	var next time.Time
	for _, m := range p.Members {
		if m.AdminState() != member.Active {
			continue
		}
		if t := m.NextCheck(); !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	return next
}

// Member returns the member called name, or nil.
func (p *Pool) Member(name string) *member.Member {
	for _, m := range p.Members {
		if m.Name == name {
			return m
		}
	}
	return nil
}
