package pool_test

import (
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/member"
	"github.com/failover-lab/failover-lab/proxy/pool"
)

func newPool(t *testing.T, policy string, members ...config.Member) *pool.Pool {
	t.Helper()
	pc := config.DefaultPool()
	pc.Policy = policy
	pc.Members = members
	p, err := pool.New("web", pc, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func m(name string, tier config.Tier, weight int) config.Member {
	return config.Member{Name: name, URL: "http://" + name, Tier: tier, Weight: weight}
}

func counts(p *pool.Pool, n int) map[string]int {
	got := map[string]int{}
	r := httptest.NewRequest("GET", "/", nil)
	for range n {
		if x := p.Pick(r, nil); x != nil {
			got[x.Name]++
		} else {
			got["<nil>"]++
		}
	}
	return got
}

func TestTiersAndWeights(t *testing.T) {
	tests := []struct {
		name string
		out  []string // members taken out (passive error)
		want map[string]int
	}{
		{"primaries by weight", nil, map[string]int{"p1": 300, "p2": 100}},
		{"one primary out", []string{"p1"}, map[string]int{"p2": 400}},
		{"standbys balanced when no primary", []string{"p1", "p2"}, map[string]int{"s1": 200, "s2": 200}},
		{"tier 2 last", []string{"p1", "p2", "s1", "s2"}, map[string]int{"t2": 400}},
		{"nothing usable", []string{"p1", "p2", "s1", "s2", "t2"}, map[string]int{"<nil>": 400}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPool(t, config.PolicyRoundRobin, m("t2", 2, 1), m("s1", config.Standby, 1),
				m("p1", config.Primary, 3), m("s2", config.Standby, 1), m("p2", config.Primary, 1))
			for _, name := range tt.out {
				p.Member(name).PassiveFailure("500 on GET /", member.Rule{Failures: 1, Window: time.Second, HoldDown: time.Minute, MayEject: true})
			}
			got := counts(p, 400)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestPickSkipsTriedAndDrained(t *testing.T) {
	p := newPool(t, config.PolicyRoundRobin, m("a", 0, 1), m("b", 0, 1), m("s", 1, 1))
	r := httptest.NewRequest("GET", "/", nil)
	a, b := p.Member("a"), p.Member("b")
	if got := p.Pick(r, []*member.Member{a, b}); got == nil || got.Name != "s" {
		t.Errorf("both primaries tried: got %v, want s", got)
	}
	a.SetAdmin(member.Draining, "admin: drain")
	b.SetAdmin(member.Disabled, "admin: disable")
	if got := p.Pick(r, nil); got == nil || got.Name != "s" {
		t.Errorf("primaries drained/disabled: got %v, want s", got)
	}
}

func TestLeastRequests(t *testing.T) {
	p := newPool(t, config.PolicyLeastRequests, m("a", 0, 1), m("b", 0, 1))
	r := httptest.NewRequest("GET", "/", nil)
	a := p.Member("a")
	a.Start()
	for range 10 {
		if got := p.Pick(r, nil); got.Name != "b" {
			t.Fatalf("a has one in flight: got %s, want b", got.Name)
		}
	}
	a.Finish(200)
	got := counts(p, 100)
	if got["a"] != 50 || got["b"] != 50 {
		t.Errorf("idle members: got %v, want 50/50 (ties rotate)", got)
	}
}

func TestSlowStartRamps(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPool(t, config.PolicyRoundRobin, m("a", 0, 1), m("b", 0, 1))
		p.Selector = &pool.RoundRobin{SlowStart: 10 * time.Second}
		a := p.Member("a")
		a.PassiveFailure("500 on GET /", member.Rule{Failures: 1, Window: time.Second, HoldDown: time.Second, MayEject: true})
		time.Sleep(time.Second) // the hold-down ends; the probe passes
		a.CheckDone(member.Check{At: time.Now(), Pass: true, Reason: "status 200"}, 1, 1)
		if got := counts(p, 110)["a"]; got < 8 || got > 12 {
			t.Errorf("just readmitted: a got %d of 110, want about 10 (10%% weight)", got)
		}
		time.Sleep(10 * time.Second)
		if got := counts(p, 100)["a"]; got != 50 {
			t.Errorf("after slow start: a got %d of 100, want 50", got)
		}
	})
}

func TestTransitionRecordedOnce(t *testing.T) {
	p := newPool(t, config.PolicyRoundRobin, m("a", 0, 1))
	a := p.Member("a")
	var mu sync.Mutex
	var seen []member.Transition
	a.SetObserver(func(_ *member.Member, tr member.Transition) { mu.Lock(); seen = append(seen, tr); mu.Unlock() })
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			a.PassiveFailure("500 on GET /", member.Rule{Failures: 1, Window: time.Second, HoldDown: time.Minute, MayEject: true})
		})
	}
	wg.Wait()
	if len(seen) != 1 || len(a.Transitions()) != 1 {
		t.Errorf("50 concurrent failures: observed %d, recorded %d transitions, want 1 and 1", len(seen), len(a.Transitions()))
	}
}

func TestBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := pool.NewBudget(0.2, 3)
		for range 1000 {
			b.Request()
		}
		n := 0
		for b.TryRetry() {
			n++
		}
		if n != 200 {
			t.Errorf("1000 requests at 20%%: got %d retries, want 200", n)
		}
		time.Sleep(10100 * time.Millisecond) // the 10 s window slides past
		n = 0
		for b.TryRetry() {
			n++
		}
		if n != 30 {
			t.Errorf("no recent requests: got %d retries, want the floor 3/s × 10 s", n)
		}
	})
}
