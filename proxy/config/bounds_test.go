package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// TestHostileValuesRefused: each value once passed -check and broke the
// running proxy (a busy loop, a wrapped size, a lost tier, a member down
// for ever).
func TestHostileValuesRefused(t *testing.T) {
	for _, tc := range []struct{ name, pool, want string }{
		{"jitter NaN", "health: {jitter: .nan}", "x.yaml:1:62: pools.web.health.jitter: must be ≥ 0 and < 1 (got NaN)"},
		{"jitter Inf", "health: {jitter: .inf}", "pools.web.health.jitter: must be ≥ 0 and < 1 (got +Inf)"},
		{"budget NaN", "retry: {budget_ratio: .nan}", "pools.web.retry.budget_ratio: must be > 0 and ≤ 1 (got NaN)"},
		{"size overflow", "retry: {body_limit: 17179869185GiB}", `pools.web.retry.body_limit: size "17179869185GiB" is too large`},
		{"body limit huge", "retry: {body_limit: 9223372036854775807}", "pools.web.retry.body_limit: must be 0..1GiB"},
		{"tier past int32", "members: [{url: 'http://a', tier: 4294967296}]", "pools.web.members[0].tier: must be primary, standby or 0..1000 (got 4294967296)"},
		{"method not a token", `health: {method: "G(T"}`, `pools.web.health.method: not an HTTP method (got "G(T")`},
		{"method with space", `health: {method: "GET /"}`, `pools.web.health.method: not an HTTP method`},
		{"path fragment", `health: {path: "/h#x"}`, `pools.web.health.path: want a path and an optional query`},
		{"path scheme-relative", `health: {path: "//evil/h"}`, `pools.web.health.path: must start with a single /`},
		{"interval centuries", `health: {interval: 2000000h}`, `pools.web.health.interval: must be ≤ 24h0m0s (got 2000000h0m0s)`},
		{"slow start centuries", `slow_start: 2000000h`, `pools.web.slow_start: must be ≥ 0 and ≤ 24h0m0s`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			members := "members: [{url: 'http://a'}], "
			if strings.HasPrefix(tc.pool, "members:") {
				members = ""
			}
			y := "pools: {web: {" + members + tc.pool + "}}"
			_, err := config.Parse(strings.NewReader(y), "x.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if !errors.Is(err, config.ErrInvalid) {
				t.Errorf("got %v, want it to wrap ErrInvalid", err)
			}
		})
	}
}

func TestHealthPathWithQueryAccepted(t *testing.T) {
	cfg, err := config.Parse(strings.NewReader("pools: {web: {members: [{url: 'http://a'}], health: {path: '/health?deep=1', method: PROPFIND}}}"), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Pools["web"].Health.Path, "/health?deep=1"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestURLErrorsRedactPassword: errors end up on the status page and in
// logs; a member URL's password must not.
func TestURLErrorsRedactPassword(t *testing.T) {
	for _, u := range []string{"http://user:hunter2@[::1", "http://user:hunter2@/path"} {
		_, err := config.Parse(strings.NewReader("pools: {web: {members: [{url: '"+u+"'}]}}"), "x.yaml")
		if err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: got %v, want an error without the password", u, err)
		}
	}
}
