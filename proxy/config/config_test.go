package config_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/proxy/config"
)

const example = `listen: ["127.0.0.1:8080"]
admin: {listen: "127.0.0.1:9901"}
routes:
  - {path: /, pool: web}
pools:
  web:
    policy: round_robin
    members:
      - {name: service,  url: "http://service:8080",  tier: primary, weight: 1}
      - {name: failover, url: "http://failover:8080", tier: standby}
    health:  {method: GET, path: /, interval: 5s, jitter: 0.1, down_interval: 1s, timeout: 2s,
              fails: 1, passes: 1, expect_status: ["200-399"], expect_body: ""}
    passive: {statuses: [500, 502, 503, 504], failures: 3, window: 10s, hold_down: 5s, stall_after: 1s}
    retry:   {attempts: 3, body_limit: 64KiB, budget_ratio: 0.2, budget_floor: 3}
    timeouts: {dial: 2s, response_header: 10s, idle: 90s}
    slow_start: 0s
    error_page: ""
`

func TestParseContractExample(t *testing.T) {
	cfg, err := config.Parse(strings.NewReader(example), "lab.yaml")
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	minimal, err := config.Parse(strings.NewReader(
		"pools:\n  web:\n    members:\n      - {name: service, url: \"http://service:8080\"}\n"+
			"      - {name: failover, url: \"http://failover:8080\", tier: standby}\n"), "min.yaml")
	if err != nil {
		t.Fatalf("parse minimal: %v", err)
	}
	if !reflect.DeepEqual(cfg, minimal) {
		t.Errorf("explicit defaults differ from absent keys:\n got %+v\nwant %+v", minimal.Pools["web"], cfg.Pools["web"])
	}
	web := cfg.Pools["web"]
	if got, want := web.Retry.BodyLimit, 64*config.KiB; got != want {
		t.Errorf("body_limit: got %v, want %v", got, want)
	}
	if got, want := web.Members[1].Tier, config.Standby; got != want {
		t.Errorf("tier: got %v, want %v", got, want)
	}
	if got, want := web.Health.Interval, 5*time.Second; got != want {
		t.Errorf("interval: got %v, want %v", got, want)
	}
}

func TestMarshalParseRoundTrip(t *testing.T) {
	pool := config.DefaultPool()
	pool.Members = []config.Member{
		{Name: "a", URL: "http://127.0.0.1:9001", Tier: config.Primary, Weight: 3},
		{Name: "b", URL: "http://127.0.0.1:9002", Tier: config.Standby, Weight: 1},
		{Name: "c", URL: "https://127.0.0.1:9003", Tier: 4, Weight: 1},
	}
	pool.Retry.BodyLimit = 1536
	pool.Health.Interval = 1500 * time.Millisecond
	pool.SlowStart = 90 * time.Second
	pool.Health.ExpectBody = "ok$"
	want := config.Default()
	want.Pools = map[string]*config.Pool{"web": &pool}
	want.Routes = []config.Route{{Path: "/", Pool: "web"}}
	want.Log.Access = true

	out, err := yaml.Marshal(want)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	for _, s := range []string{"interval: 1.5s", "body_limit: 1536B", "tier: standby", "tier: 4", "slow_start: 1m30s"} {
		if !strings.Contains(string(out), s) {
			t.Errorf("marshalled YAML lacks %q:\n%s", s, out)
		}
	}
	got, err := config.Parse(strings.NewReader(string(out)), "rt.yaml")
	if err != nil {
		t.Fatalf("parse marshalled: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip changed the config:\n got %+v\nwant %+v", got, want)
	}
}

func TestZeroValuesFromGoGetDefaults(t *testing.T) {
	cfg := &config.Config{Pools: map[string]*config.Pool{"web": {
		Members: []config.Member{{URL: "http://127.0.0.1:9001"}},
	}}}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	got, err := config.Parse(strings.NewReader(string(out)), "zero.yaml")
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, out)
	}
	p := got.Pools["web"]
	if p.Health.Interval != 5*time.Second || p.Members[0].Weight != 1 || p.Members[0].Name != "127.0.0.1:9001" {
		t.Errorf("defaults not applied: %+v", p)
	}
	if len(got.Routes) != 1 || got.Routes[0].Pool != "web" {
		t.Errorf("routes: got %+v, want the catch-all to web", got.Routes)
	}
}

func TestSize(t *testing.T) {
	tests := []struct {
		in   string
		want config.Size
	}{
		{"64KiB", 64 << 10}, {"1MiB", 1 << 20}, {"512", 512}, {"512B", 512}, {"10kB", 10000}, {"2GiB", 2 << 30},
	}
	for _, tt := range tests {
		got, err := config.ParseSize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSize(%q): got %v, %v, want %v", tt.in, got, err, tt.want)
		}
		back, err := config.ParseSize(got.String())
		if err != nil || back != got {
			t.Errorf("ParseSize(%q.String()=%q): got %v, %v", tt.in, got.String(), back, err)
		}
	}
}

func TestBadConfigs(t *testing.T) {
	const members = "    members:\n      - {url: \"http://a:1\"}\n"
	tests := []struct {
		name     string
		yaml     string
		want     string
		sentinel error
	}{
		{"bad scheme", "pools:\n  web:\n    members:\n      - {url: \"http://a:1\"}\n      - {url: \"ftp://b:2\"}\n",
			"lab.yaml:5:15: pools.web.members[1].url: scheme must be http or https", config.ErrInvalid},
		{"unknown key", "pools:\n  web:\n" + members + "    helth: {}\n",
			"lab.yaml:5:5: pools.web.helth: unknown field (did you mean \"health\"?)", config.ErrUnknownField},
		{"unknown top key", "pool: {}\n",
			"lab.yaml:1:1: pool: unknown field (did you mean \"pools\"?)", config.ErrUnknownField},
		{"no pools", "listen: [\"127.0.0.1:8080\"]\n", "lab.yaml:1:1: pools: at least one pool is required", config.ErrRequired},
		{"duration as int", "pools:\n  web:\n" + members + "    health: {interval: 5}\n",
			`lab.yaml:5:24: pools.web.health.interval: must be a duration like "3s" or "1500ms" (got "5")`, config.ErrInvalid},
		{"bad duration", "pools:\n  web:\n" + members + "    health:\n      timeout: soon\n",
			`lab.yaml:6:16: pools.web.health.timeout: must be a duration like "3s" or "1500ms" (got "soon")`, config.ErrInvalid},
		{"negative interval", "pools:\n  web:\n" + members + "    health: {interval: -1s}\n",
			"lab.yaml:5:24: pools.web.health.interval: must be > 0 (got -1s)", config.ErrInvalid},
		{"bad tier", "pools:\n  web:\n    members:\n      - {url: \"http://a:1\", tier: backup}\n",
			`lab.yaml:4:35: pools.web.members[0].tier: want "primary", "standby" or a number ≥ 0 (got "backup")`, config.ErrInvalid},
		{"bad size", "pools:\n  web:\n" + members + "    retry: {body_limit: lots}\n",
			`lab.yaml:5:25: pools.web.retry.body_limit: want a size like "64KiB" or a byte count (got "lots")`, config.ErrInvalid},
		{"bad policy", "pools:\n  web:\n    policy: random\n" + members,
			`lab.yaml:3:13: pools.web.policy: must be round_robin or least_requests (got "random")`, config.ErrInvalid},
		{"no members", "pools:\n  web:\n    policy: round_robin\n",
			"lab.yaml:2:3: pools.web.members: at least one member is required", config.ErrRequired},
		{"missing url", "pools:\n  web:\n    members:\n      - {name: a}\n",
			"lab.yaml:4:9: pools.web.members[0].url: required", config.ErrRequired},
		{"no host", "pools:\n  web:\n    members:\n      - {url: \"http://\"}\n",
			`lab.yaml:4:15: pools.web.members[0].url: host is missing (got "http://")`, config.ErrInvalid},
		{"duplicate name", "pools:\n  web:\n    members:\n      - {name: a, url: \"http://a:1\"}\n      - {name: a, url: \"http://b:1\"}\n",
			`lab.yaml:5:16: pools.web.members[1].name: "a" already names members[0]`, config.ErrInvalid},
		{"route to nowhere", "routes: [{path: /, pool: api}]\npools:\n  web:\n" + members,
			`lab.yaml:1:26: routes[0].pool: no pool named "api"`, config.ErrInvalid},
		{"route path", "routes:\n  - {path: api, pool: web}\npools:\n  web:\n" + members,
			`lab.yaml:2:12: routes[0].path: must start with / (got "api")`, config.ErrInvalid},
		{"bad expect status", "pools:\n  web:\n" + members + "    health:\n      expect_status: [\"200-99\"]\n",
			`lab.yaml:6:23: pools.web.health.expect_status[0]: want a status or range within 100-599 like "200-399" (got "200-99")`, config.ErrInvalid},
		{"bad regex", "pools:\n  web:\n" + members + "    health: {expect_body: \"(\"}\n",
			"lab.yaml:5:27: pools.web.health.expect_body: bad regular expression: error parsing regexp: missing closing ): `(`", config.ErrInvalid},
		{"passive status", "pools:\n  web:\n" + members + "    passive: {statuses: [500, 600]}\n",
			"lab.yaml:5:31: pools.web.passive.statuses[1]: must be 100..599 (got 600)", config.ErrInvalid},
		{"jitter", "pools:\n  web:\n" + members + "    health: {jitter: 1.5}\n",
			"lab.yaml:5:22: pools.web.health.jitter: must be ≥ 0 and < 1 (got 1.5)", config.ErrInvalid},
		{"budget ratio", "pools:\n  web:\n" + members + "    retry: {budget_ratio: 2}\n",
			"lab.yaml:5:27: pools.web.retry.budget_ratio: must be > 0 and ≤ 1 (got 2)", config.ErrInvalid},
		{"weight", "pools:\n  web:\n    members:\n      - {url: \"http://a:1\", weight: -2}\n",
			"lab.yaml:4:37: pools.web.members[0].weight: must be 1..1000 (got -2)", config.ErrInvalid},
		{"admin public without token", "admin: {listen: \"0.0.0.0:9901\"}\npools:\n  web:\n" + members,
			"lab.yaml:1:17: admin.listen: 0.0.0.0:9901 is not a loopback address: set admin.token", config.ErrInvalid},
		{"listen", "listen: [\"8080\"]\npools:\n  web:\n" + members,
			`lab.yaml:1:10: listen[0]: want host:port (got "8080")`, config.ErrInvalid},
		{"members not a list", "pools:\n  web:\n    members: {url: x}\n",
			"lab.yaml:3:14: pools.web.members: must be a list (got a mapping)", config.ErrInvalid},
		{"two pools no routes", "pools:\n  web:\n" + members + "  api:\n" + members,
			"lab.yaml:1:1: routes: required when there is more than one pool", config.ErrRequired},
		{"syntax", "pools:\n  web: [\n", "lab.yaml:2:1: did not find expected node content", config.ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse(strings.NewReader(tt.yaml), "lab.yaml")
			if err == nil {
				t.Fatalf("got no error, want %q", tt.want)
			}
			if got := strings.Split(err.Error(), "\n")[0]; got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.sentinel)
			}
		})
	}
}
