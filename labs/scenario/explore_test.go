package scenario

import (
	"strings"
	"testing"
	"time"
)

const exploring = good + `explore:
  kinds: [container.kill, http.status, reload]
  nodes: [service]
  events: {min: 1, max: 3}
  length: 15s
  invariants:
    failover: {within: 500ms}
    flaps: {off: true}
    expect:
      - {after: fault, within: 2s, until: clear, client_errors: 0}
`

func TestParseExplore(t *testing.T) {
	s, err := Parse("scenarios/primary-answers-500.yaml", strings.NewReader(exploring))
	if err != nil {
		t.Fatal(err)
	}
	x := s.Explore
	if x == nil || len(x.Kinds) != 3 || x.Length != 15*time.Second || *x.Events.Max != 3 ||
		x.Invariants.Failover.Within != 500*time.Millisecond || !x.Invariants.Flaps.Off || len(x.Invariants.Expect) != 1 {
		t.Fatalf("got %+v", x)
	}
}

func TestParseExploreBroken(t *testing.T) {
	tests := []struct{ change, want string }{
		{"container.kil", `explore.kinds[0]: no fault kind "container.kil" (did you mean "container.kill"?)`},
		{"nodes: [servce]", `explore.nodes[0]: no node named "servce"`},
		{"events: {min: 3, max: 1}", "explore.events: min 3 is more than max 1"},
		{"after: fault, within", `after: fault, within`},
	}
	for _, tt := range tests {
		t.Run(tt.change, func(t *testing.T) {
			src := exploring
			switch {
			case strings.HasPrefix(tt.change, "container"):
				src = strings.Replace(src, "container.kill", tt.change, 1)
			case strings.HasPrefix(tt.change, "nodes"):
				src = strings.Replace(src, "nodes: [service]", tt.change, 1)
			case strings.HasPrefix(tt.change, "events"):
				src = strings.Replace(src, "events: {min: 1, max: 3}", tt.change, 1)
			default:
				src = strings.Replace(src, "after: fault", "after: broken", 1)
				tt.want = `explore.invariants.expect[0].after: a generated run's events are named fault`
			}
			_, err := Parse("scenarios/primary-answers-500.yaml", strings.NewReader(src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}
