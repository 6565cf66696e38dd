package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

var poolName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Validate checks every field and returns all problems joined (each a
// *FieldError), or nil. It does not apply defaults; Parse does.
func (c *Config) Validate() error {
	var p problems
	if len(c.Listen) == 0 && len(c.Listeners) == 0 {
		p.add(ErrRequired, "listen", "at least one address is required")
	}
	for i, a := range c.Listen {
		if err := checkAddr(a); err != nil {
			p.add(ErrInvalid, fmt.Sprintf("listen[%d]", i), "%v", err)
		}
	}
	c.validateListeners(&p)
	c.validateAdmin(&p)
	c.validateLog(&p)
	c.Limits.validate(&p)
	if c.ShutdownTimeout < 0 || c.ShutdownTimeout > MaxDuration {
		p.add(ErrInvalid, "shutdown_timeout", "must be ≥ 0 and ≤ %s (got %s)", MaxDuration, c.ShutdownTimeout)
	}
	if len(c.Pools) == 0 {
		p.add(ErrRequired, "pools", "at least one pool is required")
	}
	for _, name := range c.PoolNames() {
		c.Pools[name].validate(&p, "pools."+name, name)
	}
	if len(c.Routes) == 0 && len(c.Pools) > 1 {
		p.add(ErrRequired, "routes", "required when there is more than one pool")
	}
	for i, r := range c.Routes {
		path := fmt.Sprintf("routes[%d]", i)
		if !strings.HasPrefix(r.Path, "/") {
			p.add(ErrInvalid, path+".path", "must start with / (got %q)", r.Path)
		}
		if _, ok := c.Pools[r.Pool]; !ok {
			p.add(ErrInvalid, path+".pool", "no pool named %q", r.Pool)
		}
	}
	return p.err()
}

// PoolNames returns the pool names sorted, for stable output.
func (c *Config) PoolNames() []string {
	names := make([]string, 0, len(c.Pools))
	for n := range c.Pools {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (c *Config) validateAdmin(p *problems) {
	a := c.Admin.Listen
	if a == "" || a == "off" {
		return
	}
	if err := checkAddr(a); err != nil {
		p.add(ErrInvalid, "admin.listen", "%v", err)
		return
	}
	if !IsLoopback(a) && c.Admin.Token == "" {
		p.add(ErrInvalid, "admin.listen", "%s is not a loopback address: set admin.token", a)
	}
}

func (c *Config) validateLog(p *problems) {
	switch c.Log.Format {
	case "", "text", "json":
	default:
		p.add(ErrInvalid, "log.format", "must be text or json (got %q)", c.Log.Format)
	}
	switch c.Log.Level {
	case "", "debug", "info", "warn", "error":
	default:
		p.add(ErrInvalid, "log.level", "must be debug, info, warn or error (got %q)", c.Log.Level)
	}
}

// IsLoopback reports whether a listen address binds only to loopback.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func checkAddr(a string) error {
	_, port, err := net.SplitHostPort(a)
	if err != nil {
		return fmt.Errorf("want host:port (got %q)", a)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("bad port %q", port)
	}
	return nil
}

func (pl *Pool) validate(p *problems, path, name string) {
	if !poolName.MatchString(name) {
		p.add(ErrInvalid, path, "pool name must match [A-Za-z0-9_-]+")
	}
	switch pl.Policy {
	case PolicyRoundRobin, PolicyLeastRequests:
	default:
		p.add(ErrInvalid, path+".policy", "must be round_robin or least_requests (got %q)", pl.Policy)
	}
	if len(pl.Members) == 0 {
		p.add(ErrRequired, path+".members", "at least one member is required")
	}
	seen := map[string]int{}
	for i, m := range pl.Members {
		mp := fmt.Sprintf("%s.members[%d]", path, i)
		m.validate(p, mp)
		if j, dup := seen[m.Name]; dup && m.Name != "" {
			p.add(ErrInvalid, mp+".name", "%q already names members[%d]", m.Name, j)
		}
		seen[m.Name] = i
	}
	pl.Health.validate(p, path+".health")
	pl.Passive.validate(p, path+".passive")
	pl.Retry.validate(p, path+".retry")
	pl.TLS.validate(p, path+".tls")
	positive(p, path+".timeouts.dial", pl.Timeouts.Dial)
	positive(p, path+".timeouts.response_header", pl.Timeouts.ResponseHeader)
	positive(p, path+".timeouts.idle", pl.Timeouts.Idle)
	if pl.SlowStart < 0 || pl.SlowStart > MaxDuration {
		p.add(ErrInvalid, path+".slow_start", "must be ≥ 0 and ≤ %s (got %s)", MaxDuration, pl.SlowStart)
	}
}

func (m Member) validate(p *problems, path string) {
	if m.URL == "" {
		p.add(ErrRequired, path+".url", "required")
	} else if u, err := url.Parse(m.URL); err != nil {
		p.add(ErrInvalid, path+".url", "not a URL: %v", errors.Unwrap(err)) // url.Error repeats the URL, password and all
	} else if u.Scheme != "http" && u.Scheme != "https" {
		p.add(ErrInvalid, path+".url", "scheme must be http or https")
	} else if u.Host == "" {
		shown := m.URL
		if u.User != nil {
			shown = u.Redacted()
		}
		p.add(ErrInvalid, path+".url", "host is missing (got %q)", shown)
	}
	if m.Tier < 0 || m.Tier > MaxTier {
		p.add(ErrInvalid, path+".tier", "must be primary, standby or 0..%d (got %d)", MaxTier, int(m.Tier))
	}
	if m.Weight < 1 || m.Weight > 1000 {
		p.add(ErrInvalid, path+".weight", "must be 1..1000 (got %d)", m.Weight)
	}
}

func (h Health) validate(p *problems, path string) {
	if !isToken(h.Method) {
		p.add(ErrInvalid, path+".method", "not an HTTP method (got %q)", h.Method)
	}
	if err := checkHealthPath(h.Path); err != nil {
		p.add(ErrInvalid, path+".path", "%v", err)
	}
	positive(p, path+".interval", h.Interval)
	positive(p, path+".down_interval", h.DownInterval)
	positive(p, path+".timeout", h.Timeout)
	if !finite(h.Jitter) || h.Jitter < 0 || h.Jitter >= 1 {
		p.add(ErrInvalid, path+".jitter", "must be ≥ 0 and < 1 (got %g)", h.Jitter)
	}
	atLeastOne(p, path+".fails", h.Fails)
	atLeastOne(p, path+".passes", h.Passes)
	for i, s := range h.ExpectStatus {
		if _, _, err := ParseStatusRange(s); err != nil {
			p.add(ErrInvalid, fmt.Sprintf("%s.expect_status[%d]", path, i), "%v", err)
		}
	}
	if _, err := regexp.Compile(h.ExpectBody); err != nil {
		p.add(ErrInvalid, path+".expect_body", "bad regular expression: %v", err)
	}
}

func (ps Passive) validate(p *problems, path string) {
	for i, s := range ps.Statuses {
		if s < 100 || s > 599 {
			p.add(ErrInvalid, fmt.Sprintf("%s.statuses[%d]", path, i), "must be 100..599 (got %d)", s)
		}
	}
	atLeastOne(p, path+".failures", ps.Failures)
	positive(p, path+".window", ps.Window)
	positive(p, path+".hold_down", ps.HoldDown)
	positive(p, path+".stall_after", ps.StallAfter)
}

func (r Retry) validate(p *problems, path string) {
	atLeastOne(p, path+".attempts", r.Attempts)
	if r.BodyLimit < 0 || r.BodyLimit > MaxBodyLimit {
		p.add(ErrInvalid, path+".body_limit", "must be 0..%s (got %s)", MaxBodyLimit, r.BodyLimit)
	}
	if !finite(r.BudgetRatio) || r.BudgetRatio <= 0 || r.BudgetRatio > 1 {
		p.add(ErrInvalid, path+".budget_ratio", "must be > 0 and ≤ 1 (got %g)", r.BudgetRatio)
	}
	if r.BudgetFloor < 0 {
		p.add(ErrInvalid, path+".budget_floor", "must be ≥ 0 (got %d)", r.BudgetFloor)
	}
}

// ParseStatusRange reads "200" or "200-399".
func ParseStatusRange(s string) (lo, hi int, err error) {
	a, b, isRange := strings.Cut(strings.TrimSpace(s), "-")
	lo, err1 := strconv.Atoi(strings.TrimSpace(a))
	hi, err2 := lo, error(nil)
	if isRange {
		hi, err2 = strconv.Atoi(strings.TrimSpace(b))
	}
	if err1 != nil || err2 != nil || lo < 100 || hi > 599 || lo > hi {
		return 0, 0, fmt.Errorf(`want a status or range within 100-599 like "200-399" (got %q)`, s)
	}
	return lo, hi, nil
}

func positive(p *problems, path string, d time.Duration) { inDuration(p, path, d) }

func atLeastOne(p *problems, path string, n int) {
	if n < 1 {
		p.add(ErrInvalid, path, "must be ≥ 1 (got %d)", n)
	}
}
