package config

import (
	"net/url"
	"time"
)

// Default values, one place for the docs, the flags and the parser.
const (
	DefaultListen          = "127.0.0.1:8080"
	DefaultAdminListen     = "127.0.0.1:9901"
	DefaultShutdownTimeout = 10 * time.Second
	PolicyRoundRobin       = "round_robin"
	PolicyLeastRequests    = "least_requests"
)

// Default returns a Config with every top-level default set and no pools.
func Default() *Config {
	return &Config{
		Listen:          []string{DefaultListen},
		Admin:           Admin{Listen: DefaultAdminListen},
		Log:             Log{Format: "text", Level: "info"},
		ShutdownTimeout: DefaultShutdownTimeout,
		Limits:          DefaultLimits(),
	}
}

// DefaultPool returns a Pool with every default set and no members.
func DefaultPool() Pool {
	return Pool{
		Policy: PolicyRoundRobin,
		Health: Health{
			Method:       "GET",
			Path:         "/",
			Interval:     5 * time.Second,
			Jitter:       0.1,
			DownInterval: time.Second,
			Timeout:      2 * time.Second,
			Fails:        1,
			Passes:       1,
			ExpectStatus: []string{"200-399"},
		},
		Passive: Passive{
			Statuses:   []int{500, 502, 503, 504},
			Failures:   3,
			Window:     10 * time.Second,
			HoldDown:   5 * time.Second,
			StallAfter: time.Second,
		},
		Retry: Retry{Attempts: 3, BodyLimit: 64 * KiB, BudgetRatio: 0.2, BudgetFloor: 3},
		Timeouts: Timeouts{
			Dial:           2 * time.Second,
			ResponseHeader: 10 * time.Second,
			Idle:           90 * time.Second,
		},
	}
}

// UnmarshalYAML pre-fills the defaults so that absent keys keep them; the
// decoder stays the caller's (strict) one.
func (p *Pool) UnmarshalYAML(unmarshal func(any) error) error {
	*p = DefaultPool()
	type plain Pool
	return unmarshal((*plain)(p))
}

// UnmarshalYAML pre-fills the member defaults (weight 1).
func (m *Member) UnmarshalYAML(unmarshal func(any) error) error {
	*m = Member{Weight: 1}
	type plain Member
	return unmarshal((*plain)(m))
}

// ApplyDefaults fills zero values that have no meaning of their own with
// their defaults, so a Config built in Go from zero values is usable. It also
// adds the catch-all route when there is exactly one pool and no route.
func (c *Config) ApplyDefaults() {
	d := Default()
	if len(c.Listen) == 0 && len(c.Listeners) == 0 {
		c.Listen = d.Listen
	}
	if c.Admin.Listen == "" {
		c.Admin.Listen = d.Admin.Listen
	}
	setString(&c.Log.Format, d.Log.Format)
	setString(&c.Log.Level, d.Log.Level)
	setDuration(&c.ShutdownTimeout, d.ShutdownTimeout)
	c.Limits.applyDefaults()
	for name, p := range c.Pools {
		if p == nil {
			p = &Pool{}
			c.Pools[name] = p
		}
		p.applyDefaults()
	}
	if len(c.Routes) == 0 && len(c.Pools) == 1 {
		for name := range c.Pools {
			c.Routes = []Route{{Path: "/", Pool: name}}
		}
	}
}

func (p *Pool) applyDefaults() {
	d := DefaultPool()
	setString(&p.Policy, d.Policy)
	h, dh := &p.Health, d.Health
	setString(&h.Method, dh.Method)
	setString(&h.Path, dh.Path)
	setDuration(&h.Interval, dh.Interval)
	setDuration(&h.DownInterval, dh.DownInterval)
	setDuration(&h.Timeout, dh.Timeout)
	setInt(&h.Fails, dh.Fails)
	setInt(&h.Passes, dh.Passes)
	if len(h.ExpectStatus) == 0 {
		h.ExpectStatus = dh.ExpectStatus
	}
	ps, dp := &p.Passive, d.Passive
	if len(ps.Statuses) == 0 {
		ps.Statuses = dp.Statuses
	}
	setInt(&ps.Failures, dp.Failures)
	setDuration(&ps.Window, dp.Window)
	setDuration(&ps.HoldDown, dp.HoldDown)
	setDuration(&ps.StallAfter, dp.StallAfter)
	r, dr := &p.Retry, d.Retry
	setInt(&r.Attempts, dr.Attempts)
	if r.BodyLimit == 0 {
		r.BodyLimit = dr.BodyLimit
	}
	if r.BudgetRatio == 0 {
		r.BudgetRatio = dr.BudgetRatio
	}
	setInt(&r.BudgetFloor, dr.BudgetFloor)
	t, dt := &p.Timeouts, d.Timeouts
	setDuration(&t.Dial, dt.Dial)
	setDuration(&t.ResponseHeader, dt.ResponseHeader)
	setDuration(&t.Idle, dt.Idle)
	for i := range p.Members {
		m := &p.Members[i]
		setInt(&m.Weight, 1)
		if m.Name == "" {
			if u, err := url.Parse(m.URL); err == nil && u.Host != "" {
				m.Name = u.Host
			}
		}
	}
}

func setString(v *string, d string) {
	if *v == "" {
		*v = d
	}
}

func setInt(v *int, d int) {
	if *v == 0 {
		*v = d
	}
}

func setDuration(v *time.Duration, d time.Duration) {
	if *v == 0 {
		*v = d
	}
}
