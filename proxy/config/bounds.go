package config

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"
)

// Upper bounds of numeric fields. A value past them is a typo or an
// attack on the parser, never a setting: beyond them arithmetic on the
// value (jittered intervals, limit+1, int32 tiers) overflows.
const (
	// MaxTier is the highest tier number.
	MaxTier Tier = 1000
	// MaxBodyLimit is the largest retry body_limit: the body is held in
	// memory for every request in flight.
	MaxBodyLimit = GiB
	// MaxDuration bounds every duration field.
	MaxDuration = 24 * time.Hour
)

// isToken reports whether s is an RFC 9110 §5.6.2 token, as an HTTP method
// must be.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// checkHealthPath accepts an origin-form target: an absolute path and an
// optional query ("/health?deep=1"), sent as they are written.
func checkHealthPath(s string) error {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return fmt.Errorf("must start with a single / (got %q)", s)
	}
	if strings.ContainsAny(s, "# \t\r\n") {
		return fmt.Errorf("want a path and an optional query, no fragment or spaces (got %q)", s)
	}
	if _, err := url.ParseRequestURI(s); err != nil {
		return fmt.Errorf("not a request path (got %q)", s)
	}
	return nil
}

// finite reports whether f is a real number (YAML accepts .nan and .inf;
// every comparison with NaN is false, so range checks alone let it pass).
func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// inDuration checks 0 < d ≤ MaxDuration.
func inDuration(p *problems, path string, d time.Duration) {
	switch {
	case d <= 0:
		p.add(ErrInvalid, path, "must be > 0 (got %s)", d)
	case d > MaxDuration:
		p.add(ErrInvalid, path, "must be ≤ %s (got %s)", MaxDuration, d)
	}
}
