package explore

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/faults"
)

var latencyParam = faults.Param{Key: "latency", Type: faults.Duration, Min: 10, Max: 3000, Step: 10}

// twelve is a plan of 12 steps on three nodes at untidy times, each with
// a drawn latency well above 300ms.
func twelve() Plan {
	r := rand.New(rand.NewPCG(1, 2))
	p := Plan{Length: 60 * time.Second}
	for id := 1; id <= 12; id++ {
		p.Steps = append(p.Steps, Step{
			ID: id, At: time.Duration(id)*4*time.Second + 137*time.Millisecond, For: 2700 * time.Millisecond,
			Node: []string{"a", "b", "c"}[id%3], Kind: "network.latency",
			Values: []faults.Value{{Param: latencyParam, N: 1000 + 10*r.Int64N(200)}},
		})
	}
	return p
}

// needs3and7 fails when steps 3 and 7 are both there and step 7's latency
// is at least threshold, as a proxy that mishandles two overlapping
// outages once one is slow enough would.
func needs3and7(threshold int64) Oracle {
	return func(p Plan) bool {
		i3 := slices.IndexFunc(p.Steps, func(s Step) bool { return s.ID == 3 })
		i7 := slices.IndexFunc(p.Steps, func(s Step) bool { return s.ID == 7 })
		if i3 < 0 || i7 < 0 {
			return false
		}
		v, _ := p.Steps[i7].Value("latency")
		return v.N >= threshold
	}
}

// The done-when test of the shrinker: no Docker, no processes, a
// synthetic oracle.
func TestShrinkToTwoEventsAndThreshold(t *testing.T) {
	p := twelve()
	s := &Shrinker{Fails: needs3and7(300)}
	got := s.Shrink(p)
	ids := []int{}
	for _, st := range got.Steps {
		ids = append(ids, st.ID)
	}
	if !slices.Equal(ids, []int{3, 7}) {
		t.Fatalf("got steps %v, want [3 7]\n%s", ids, got)
	}
	if v, _ := got.Steps[1].Value("latency"); v.N != 300 {
		t.Errorf("step 7's latency: got %dms, want 300ms (the threshold)", v.N)
	}
	if v, _ := got.Steps[0].Value("latency"); v.N != latencyParam.Min {
		t.Errorf("step 3's latency, which the failure does not need: got %dms, want the least, %dms", v.N, latencyParam.Min)
	}
	for _, st := range got.Steps {
		if st.For != time.Second || st.At%time.Second != 0 {
			t.Errorf("step %d: got at %s for %s, want a whole second for the shortest fault (1s)", st.ID, st.At, st.For)
		}
	}
	if got.Steps[0].At != 2*time.Second {
		t.Errorf("first step at %s, want 2s (the lead) after shifting", got.Steps[0].At)
	}
	if got.Steps[0].Node != got.Steps[1].Node {
		t.Errorf("nodes %s and %s: want one node (the failure does not care)", got.Steps[0].Node, got.Steps[1].Node)
	}
	if last := got.Steps[1]; got.Length != (last.At + last.For + 3*time.Second).Round(time.Second) {
		t.Errorf("length %s, want 3s after the last clear (%s)", got.Length, last.At+last.For)
	}
	if !needs3and7(300)(got) {
		t.Error("the shrunk plan no longer fails")
	}
	t.Logf("%d candidates judged:\n%s", s.Tries, got)
}

// A failure that needs no event at all shrinks to none.
func TestShrinkToNothing(t *testing.T) {
	got := (&Shrinker{Fails: func(Plan) bool { return true }}).Shrink(twelve())
	if len(got.Steps) != 0 {
		t.Errorf("got %d steps, want none", len(got.Steps))
	}
}

// Choices shrink towards the first one that still fails.
func TestShrinkChoice(t *testing.T) {
	sig := faults.Param{Key: "status", Type: faults.Choice, Choices: []string{"500", "502", "503", "504"}}
	p := Plan{Length: 20 * time.Second, Steps: []Step{{ID: 1, At: 5 * time.Second, For: 5 * time.Second, Node: "a", Kind: "http.status",
		Values: []faults.Value{{Param: sig, S: "504"}}}}}
	fails := func(p Plan) bool {
		if len(p.Steps) != 1 {
			return false
		}
		v, ok := p.Steps[0].Value("status")
		return ok && v.S >= "502"
	}
	got := (&Shrinker{Fails: fails}).Shrink(p)
	if v, _ := got.Steps[0].Value("status"); v.S != "502" {
		t.Errorf("got status %s, want 502", v.S)
	}
}

// Candidates the generator's rules refuse are never run.
func TestShrinkSkipsInvalid(t *testing.T) {
	ran := 0
	s := &Shrinker{
		Fails: func(p Plan) bool { ran++; return needs3and7(300)(p) },
		Valid: func(p Plan) bool { return len(p.Steps) >= 2 },
	}
	got := s.Shrink(twelve())
	if len(got.Steps) != 2 || ran != s.Tries {
		t.Errorf("got %d steps, %d runs for %d tries; want 2 steps and a run per valid try", len(got.Steps), ran, s.Tries)
	}
}

func TestRepeat(t *testing.T) {
	tests := []struct {
		name    string
		results []bool
		want    bool
		runs    int
	}{
		{"fails every time: two runs", []bool{true, true, true}, true, 2},
		{"passes every time: two runs", []bool{false, false, false}, false, 2},
		{"one noise failure", []bool{true, false, false}, false, 3},
		{"two of three", []bool{false, true, true}, true, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := 0
			got := Repeat(func(Plan) bool { i++; return tt.results[i-1] }, 2, 3)(Plan{})
			if got != tt.want || i != tt.runs {
				t.Errorf("got %t after %d runs, want %t after %d", got, i, tt.want, tt.runs)
			}
		})
	}
}
