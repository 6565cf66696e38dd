package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
)

func TestLimitsDefaultsAndOverrides(t *testing.T) {
	cfg, err := config.Parse(strings.NewReader("limits: {header_timeout: 5s, body_min_rate: 1KiB}\npools: {web: {members: [{url: 'http://a'}]}}"), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := config.DefaultLimits()
	want.HeaderTimeout, want.BodyMinRate = 5*time.Second, config.KiB
	if cfg.Limits != want {
		t.Errorf("got %+v, want %+v", cfg.Limits, want)
	}
}

func TestLimitsRefused(t *testing.T) {
	for limits, want := range map[string]string{
		"{max_header_bytes: 100}":     "x.yaml:1:28: limits.max_header_bytes: must be 4KiB..16MiB (got 100B)",
		"{write_timeout: -1s}":        "limits.write_timeout: must be > 0 (got -1s)",
		"{body_timeout: 48h}":         "limits.body_timeout: must be ≤ 24h0m0s (got 48h0m0s)",
		"{body_min_rate: 2GiB}":       "limits.body_min_rate: must be 0..1GiB per second (got 2GiB)",
		"{max_header_bytes: .nan}":    "limits.max_header_bytes: want a size",
		"{idle_timeout: 9999999999h}": "limits.idle_timeout: must be a duration",
	} {
		_, err := config.Parse(strings.NewReader("limits: "+limits+"\npools: {web: {members: [{url: 'http://a'}]}}"), "x.yaml")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", limits, err, want)
		}
	}
}
