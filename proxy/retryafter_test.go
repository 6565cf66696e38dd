package proxy_test

import (
	"testing"

	"github.com/failover-lab/failover-lab/proxy/member"
)

// TestNoRetryAfterWhenOperatorHoldsEveryMember: with every member drained
// or disabled, the 503 once promised "Retry-After: 1".
func TestNoRetryAfterWhenOperatorHoldsEveryMember(t *testing.T) {
	a, b := newBackend(t, "a"), newBackend(t, "b")
	s, front := newServer(t, testPool(primary(a), standby(b)), false)
	web := s.Pools()["web"]
	web.Member("a").SetAdmin(member.Disabled, "admin: disable")
	web.Member("b").SetAdmin(member.Draining, "admin: drain")
	got := do(t, "GET", front.URL+"/", "")
	if got.status != 503 || got.header.Values("Retry-After") != nil {
		t.Errorf("all held by the operator: got %d Retry-After %q, want 503 without Retry-After", got.status, got.header.Values("Retry-After"))
	}
}
