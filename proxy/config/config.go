package config

import "time"

// Config is the whole proxy configuration.
type Config struct {
	// Listen holds the traffic listener addresses. Default ["127.0.0.1:8080"].
	Listen []string `yaml:"listen"`
	// Listeners are traffic listeners with options: TLS, HTTP/2, a
	// redirect to HTTPS (tls.go). Default none. When a file gives only
	// these, the default plain listener is not added (in Go: set Listen to
	// nil).
	Listeners []Listener `yaml:"listeners,omitempty"`
	// Admin is the admin listener (status page, metrics, actions).
	Admin Admin `yaml:"admin"`
	// Routes map a path prefix to a pool; the longest prefix wins.
	// Default: when there is exactly one pool, every path goes to it.
	Routes []Route `yaml:"routes"`
	// Pools by name ([A-Za-z0-9_-]+). At least one is required.
	Pools map[string]*Pool `yaml:"pools"`
	// Log configures logging. Default: transitions as text, no access log.
	Log Log `yaml:"log"`
	// Limits hold slow and oversized clients off the listeners.
	Limits Limits `yaml:"limits"`
	// ShutdownTimeout bounds how long in-flight requests may finish on
	// SIGTERM/SIGINT. Default 10s.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
}

// Admin is the admin listener, separate from traffic.
type Admin struct {
	// Listen is the admin address; "off" disables it. Default "127.0.0.1:9901".
	// A non-loopback address requires Token.
	Listen string `yaml:"listen"`
	// Token, when set, must be sent on every request but GET /ready, as
	// "Authorization: Bearer TOKEN" (or Basic with TOKEN as password, for a
	// browser). A reload applies a new token at once. Default "" (none;
	// loopback only).
	Token string `yaml:"token,omitempty"`
}

// Route sends requests whose path starts with Path to Pool.
type Route struct {
	// Path is a path prefix starting with "/". Required.
	Path string `yaml:"path"`
	// Pool names a pool of Config.Pools. Required.
	Pool string `yaml:"pool"`
}

// Log configures log/slog output (stderr).
type Log struct {
	// Format is "text" or "json". Default "text".
	Format string `yaml:"format"`
	// Level is "debug", "info", "warn" or "error". Default "info".
	Level string `yaml:"level"`
	// Access logs one line per proxied request. Default false.
	Access bool `yaml:"access"`
}

// Pool is a set of members in tiers with shared health, passive, retry and
// timeout settings.
type Pool struct {
	// Policy selects among the usable members of the best tier:
	// "round_robin" (weighted) or "least_requests". Default "round_robin".
	Policy string `yaml:"policy"`
	// Members of the pool. At least one is required.
	Members []Member `yaml:"members"`
	// Health is the active check.
	Health Health `yaml:"health"`
	// Passive is detection from live traffic.
	Passive Passive `yaml:"passive"`
	// Retry governs re-sending a failed request to the next member.
	Retry Retry `yaml:"retry"`
	// Timeouts of the connections to members.
	Timeouts Timeouts `yaml:"timeouts"`
	// SlowStart ramps a readmitted member's weight from 10% to 100% over
	// this period. Default 0s (off).
	SlowStart time.Duration `yaml:"slow_start"`
	// ErrorPage is an HTML file served with 503 when no member is usable.
	// Default "" (a built-in page).
	ErrorPage string `yaml:"error_page"`
	// TLS is how https members are reached (tls.go). Default: the
	// system's roots, each member's host as server name, no client
	// certificate.
	TLS *UpstreamTLS `yaml:"tls,omitempty"`
}

// Member is one upstream server.
type Member struct {
	// Name identifies the member in logs, metrics and the admin API.
	// Default: the URL's host:port. Unique within the pool.
	Name string `yaml:"name"`
	// URL is the member's base URL, http or https. Required.
	URL string `yaml:"url"`
	// Tier is "primary" (0), "standby" (1) or a number ≥ 0; lower tiers
	// serve first. Default primary.
	Tier Tier `yaml:"tier"`
	// Weight for weighted round-robin, 1..1000. Default 1.
	Weight int `yaml:"weight"`
}

// Health is a pool's active health check.
type Health struct {
	// Method of the check request. Default "GET".
	Method string `yaml:"method"`
	// Path of the check request, starting with "/". Default "/".
	Path string `yaml:"path"`
	// Interval between checks of a usable member. Default 5s.
	Interval time.Duration `yaml:"interval"`
	// Jitter spreads checks by ± this fraction of the interval, 0 ≤ j < 1.
	// Default 0.1.
	Jitter float64 `yaml:"jitter"`
	// DownInterval between checks of a member that is out (down by check or
	// in passive error state after its hold-down). Default 1s.
	DownInterval time.Duration `yaml:"down_interval"`
	// Timeout of one check. Default 2s.
	Timeout time.Duration `yaml:"timeout"`
	// Fails is how many consecutive failed checks take a member down. Default 1.
	Fails int `yaml:"fails"`
	// Passes is how many consecutive passing checks bring it back. Default 1.
	Passes int `yaml:"passes"`
	// ExpectStatus lists accepted statuses or ranges ("200", "200-399").
	// Default ["200-399"].
	ExpectStatus []string `yaml:"expect_status"`
	// ExpectBody is a regular expression the body must match. Default "" (any).
	ExpectBody string `yaml:"expect_body"`
}

// Passive is failure detection from live traffic. A failure the member
// caused (a listed status, its refused or reset connection, its timeout)
// makes it suspect and probes it at once; a failing probe ejects it.
type Passive struct {
	// Statuses that count as a failure. Default [500, 502, 503, 504].
	Statuses []int `yaml:"statuses"`
	// Failures in a row (no good answer between them) within Window that
	// eject the member whatever the probe says: health endpoints can lie.
	// Default 3.
	Failures int `yaml:"failures"`
	// Window over which failures are counted. Default 10s.
	Window time.Duration `yaml:"window"`
	// HoldDown is how long the error state lasts before a synthetic probe
	// (the health check) may readmit the member. Default 5s.
	HoldDown time.Duration `yaml:"hold_down"`
	// StallAfter: a request waiting this long for a member's response
	// headers makes the member suspect (a probe at once); when the member
	// is then ejected, the requests still waiting on it are re-sent.
	// Default 1s.
	StallAfter time.Duration `yaml:"stall_after"`
	// EjectLast lets passive detection eject the last usable member of the
	// pool; failed probes and checks always can. Default false.
	EjectLast bool `yaml:"eject_last"`
	// BlamePoison counts a failure against a member even when the same
	// request had already failed on another member (a poison request).
	// Default false.
	BlamePoison bool `yaml:"blame_poison"`
}

// Retry governs re-sending a failed request to the next usable member.
type Retry struct {
	// Attempts is the total number of tries per request, 1 disables retry.
	// Default 3.
	Attempts int `yaml:"attempts"`
	// BodyLimit is the largest request body buffered for a retry; larger
	// bodies are streamed and not retried. Default 64KiB.
	BodyLimit Size `yaml:"body_limit"`
	// BudgetRatio caps retries at this fraction of requests over a sliding
	// second, 0 < r ≤ 1. Default 0.2.
	BudgetRatio float64 `yaml:"budget_ratio"`
	// BudgetFloor is the number of retries per second always allowed.
	// Default 3.
	BudgetFloor int `yaml:"budget_floor"`
}

// Timeouts of the connections to members.
type Timeouts struct {
	// Dial timeout. Default 2s.
	Dial time.Duration `yaml:"dial"`
	// ResponseHeader is how long to wait for a member's response headers;
	// passing it is a passive failure (504 when not retried). Default 10s.
	ResponseHeader time.Duration `yaml:"response_header"`
	// Idle keep-alive connections are closed after this. Default 90s.
	Idle time.Duration `yaml:"idle"`
}
