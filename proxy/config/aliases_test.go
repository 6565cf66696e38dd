package config_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// bomb is a "billion laughs" document: each level lists the previous one
// ten times, so levels+1 lines expand to 10^levels nodes.
func bomb(levels int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= levels; i++ {
		p := fmt.Sprintf("*a%d", i-1)
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(p+", ", 10), ", "))
	}
	b.WriteString("pools: {web: {members: [{url: 'http://a'}]}}\n")
	return b.String()
}

// wide is a valid-looking config whose pools all alias one pool whose
// members all alias one member: n+m lines expand to n·m members, which the
// walker, the decoder and Validate each visited.
func wide(pools, members int) string {
	var b strings.Builder
	b.WriteString("routes: [{path: /, pool: p0}]\npools:\n  p0: &p\n    members: [&m {url: 'http://a'}")
	b.WriteString(strings.Repeat(", *m", members-1))
	b.WriteString("]\n")
	for i := 1; i < pools; i++ {
		fmt.Fprintf(&b, "  p%d: *p\n", i)
	}
	return b.String()
}

func TestAliasBombRefusedBeforeDecoding(t *testing.T) {
	for name, doc := range map[string]string{"deep": bomb(9), "wide": wide(300, 400)} {
		_, err := config.Parse(strings.NewReader(doc), "bomb.yaml")
		want := "bomb.yaml:1:1: aliases expand to more than 100000 nodes"
		if err == nil || err.Error() != want || !errors.Is(err, config.ErrInvalid) {
			t.Errorf("%s (%d bytes): got %v, want %q", name, len(doc), err, want)
		}
	}
}

func TestAliasesWithinBoundStillWork(t *testing.T) {
	y := "pools:\n  web:\n    health: &h {interval: 2s}\n    members: [{url: 'http://a'}]\n  api:\n    health: *h\n    members: [{url: 'http://b'}]\nroutes: [{path: /, pool: web}]\n"
	cfg, err := config.Parse(strings.NewReader(y), "ok.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Pools["api"].Health.Interval.String(); got != "2s" {
		t.Errorf("got %s, want 2s", got)
	}
}
