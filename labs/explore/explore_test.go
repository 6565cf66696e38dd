package explore

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/report"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

const seedLike = `name: seed-like
about: the seed's topology, for explore's tests
proxy:
  health: {interval: 5s, down_interval: 1s}
nodes:
  service:  {fixture: app, role: primary}
  failover: {fixture: errorpage, role: standby, args: [-status, "200"]}   # error.html with 200
load: {rate: 20/s}
timeline:
  - {at: 10s, end: true}
expect:
  - client_errors: 0
`

func base(t *testing.T, src string) *Base {
	t.Helper()
	s, err := scenario.Parse("seed-like.yaml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewBase(s, ".", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// leaky is a synthetic run of a proxy like the seed's Apache: while the
// primary is broken the standby answers, except for the first 300ms of
// each outage, whose requests the client sees fail (the 500 that tripped
// failonstatus).
func leaky(_ context.Context, s *scenario.Scenario) report.Run {
	type span struct{ from, to time.Duration }
	var down []span
	var marks []ledger.Mark
	open := map[string]int{}
	for _, e := range s.Timeline {
		switch e.Kind() {
		case scenario.EventFault:
			marks = append(marks, expect.At(e.At, e.Name, ledger.MarkApply))
			reg, _ := e.Fault.Kind()
			if n, _ := s.Node(e.Fault.Node); reg.Space.Breaks && !n.IsStandby() {
				open[e.Name] = len(down)
				down = append(down, span{e.At, s.EndAt()})
			}
		case scenario.EventClear:
			marks = append(marks, expect.At(e.At, e.Clear, ledger.MarkClear))
			if i, ok := open[e.Clear]; ok {
				down[i].to = e.At
			}
		default:
			marks = append(marks, expect.At(e.At, e.Name, ledger.MarkEvent))
		}
	}
	l := expect.Synthetic(time.Unix(1e9, 0), int(s.Load.Rate), s.EndAt(), marks, func(at time.Duration) ledger.Row {
		for _, d := range down {
			switch {
			case at >= d.from && at < d.from+300*time.Millisecond:
				return ledger.Row{Status: 500, ServedBy: "service"}
			case at >= d.from && at < d.to:
				return ledger.Row{Status: 200, ServedBy: "failover"}
			}
		}
		return ledger.Row{Status: 200, ServedBy: "service"}
	})
	return report.Run{Scenario: s, Ledger: l, Results: expect.Evaluate(s, l), Driver: "synthetic"}
}

// The search finds the leak, shrinks it to one event, and writes a
// scenario that lab check accepts and that fails again when run.
func TestExploreFindsAndShrinks(t *testing.T) {
	src := seedLike + `explore:
  kinds: [http.status, http.latency, container.kill, network.latency]
  events: {min: 2, max: 5}
`
	out := t.TempDir()
	x := &Explorer{Base: base(t, src), Seed: 7, Runs: 6, Parallel: 2, Run: leaky, Out: out}
	sum, err := x.Explore(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(sum.Violations, func(v Violation) bool { return v.Invariant == ClientErrors })
	if i < 0 {
		t.Fatalf("no client_errors violation in %+v", sum.Violations)
	}
	v := sum.Violations[i]
	if !v.Reproduced || len(v.Minimal.Steps) != 1 {
		t.Fatalf("got %d events (reproduced %t), want one:\n%s", len(v.Minimal.Steps), v.Reproduced, v.Minimal)
	}
	if st := v.Minimal.Steps[0]; st.Node != "service" {
		t.Errorf("the event breaks %s, want service", st.Node)
	}
	data, err := os.ReadFile(filepath.Join(out, v.File))
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Parse(v.File, bytes.NewReader(data))
	if err != nil {
		t.Fatalf("lab check refuses the minimal scenario: %v\n%s", err, data)
	}
	t.Logf("%s", data)
	if r := leaky(t.Context(), s); r.Pass() {
		t.Errorf("the minimal scenario passes when run:\n%s", data)
	}
	for _, e := range s.Expect {
		if InvariantOf(e) != ClientErrors {
			t.Errorf("expectation %s: want only the violated invariant", e)
		}
	}
	if !strings.Contains(string(data), "seed 7, run ") || !strings.Contains(string(data), "the original timeline:") {
		t.Errorf("the file does not say its seed and original timeline:\n%s", data)
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil || !strings.Contains(string(page), v.File) || !strings.Contains(string(page), "runs/") {
		t.Errorf("index.html does not link the minimal scenario and the runs (%v)", err)
	}
}

// The same seed gives the same plans; another seed, others.
func TestSameSeedSamePlans(t *testing.T) {
	sr := SearchOf(base(t, seedLike).Scenario)
	for n := 1; n <= 5; n++ {
		a, b := PlanOf(sr, 42, n), PlanOf(sr, 42, n)
		if a.String() != b.String() {
			t.Fatalf("run %d: two plans of seed 42:\n%s\n%s", n, a, b)
		}
		if !sr.Valid(a) {
			t.Errorf("run %d: the generator broke its own rules:\n%s", n, a)
		}
	}
	if PlanOf(sr, 42, 1).String() == PlanOf(sr, 43, 1).String() {
		t.Error("seeds 42 and 43 drew the same plan")
	}
}

// Plans overlap faults on several nodes, and clear them.
func TestPlansOverlapAndClear(t *testing.T) {
	sr := SearchOf(base(t, seedLike).Scenario)
	overlapping, cleared := 0, 0
	for n := 1; n <= 40; n++ {
		p := PlanOf(sr, 1, n)
		for i, a := range p.Steps {
			if a.Lasting() {
				cleared++
			}
			for _, b := range p.Steps[i+1:] {
				if a.Node != b.Node && a.Node != "" && b.Node != "" && overlap(a, b, p.Length) {
					overlapping++
				}
			}
		}
		b := base(t, seedLike)
		data, err := b.File("x", "x", p, Compile(b.Scenario, p), nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Parse("x", data); err != nil {
			t.Fatalf("plan %d does not make a valid scenario: %v\n%s", n, err, data)
		}
	}
	if overlapping == 0 || cleared == 0 {
		t.Errorf("40 plans: %d overlapping pairs on different nodes, %d cleared faults; want some of each", overlapping, cleared)
	}
}

// A kind added as one file (newkind_test.go) is in the coverage table, and
// counted once drawn.
func TestNewKindIsExplored(t *testing.T) {
	x := &Explorer{Base: base(t, seedLike), Seed: 1, Runs: 3, Run: leaky, NoShrink: true}
	sum, err := x.Explore(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(sum.Coverage.Kinds, "container.test-freeze") {
		t.Fatalf("coverage rows %v: no container.test-freeze", sum.Coverage.Kinds)
	}
	x = &Explorer{Base: base(t, seedLike+"explore: {kinds: [container.test-freeze]}\n"), Seed: 1, Runs: 3, Run: leaky, NoShrink: true}
	if sum, err = x.Explore(t.Context()); err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	sum.Coverage.Text(&text)
	drawn := 0
	for _, n := range sum.Coverage.Counts["container.test-freeze"] {
		drawn += n
	}
	if drawn == 0 || !strings.Contains(text.String(), "container.test-freeze") {
		t.Errorf("test-freeze drawn %d times; table:\n%s", drawn, text.String())
	}
	// Its drawn settings reach its own struct through the scenario's YAML.
	for _, o := range sum.Outcomes {
		for _, st := range o.Plan.Steps {
			f, err := st.Fault()
			if err != nil {
				t.Fatalf("%s: %v", st, err)
			}
			v, _ := st.Value("grace")
			if got, ok := f.Settings.(testFreeze); !ok || got.Grace != time.Duration(v.N)*time.Millisecond || got.Grace == 0 {
				t.Errorf("%s: settings %#v, want testFreeze{Grace: %dms}", st, f.Settings, v.N)
			}
		}
	}
}

// No plan holds an http fault on a node while a container fault is in
// force there: the process that keeps it is gone.
func TestNoHTTPFaultOnADeadNode(t *testing.T) {
	sr := SearchOf(base(t, seedLike).Scenario)
	for n := 1; n <= 200; n++ {
		p := PlanOf(sr, 5, n)
		for i, a := range p.Steps {
			for _, b := range p.Steps[i+1:] {
				if a.Node == b.Node && family(a) != family(b) && clash(family(a), family(b)) && overlap(a, b, p.Length) {
					t.Fatalf("plan %d: %s and %s at once on %s:\n%s", n, a.Kind, b.Kind, a.Node, p)
				}
			}
		}
	}
	if !clash("container", "http") || !clash("http", "container") || clash("network", "http") {
		t.Error("clash: container and http must clash, network and http not")
	}
}

// Two clashing faults on one node are a second apart at least: seed 5 run
// 4 drew a pause at the very moment a kill of the same node was cleared.
func TestClashingFaultsKeepApart(t *testing.T) {
	kill := Step{ID: 1, At: 4400 * time.Millisecond, For: 7900 * time.Millisecond, Node: "service", Kind: "container.kill"}
	pause := Step{ID: 2, At: 12300 * time.Millisecond, For: 3700 * time.Millisecond, Node: "service", Kind: "container.pause"}
	sr := SearchOf(base(t, seedLike).Scenario)
	if sr.Valid(Plan{Length: 20 * time.Second, Steps: []Step{kill, pause}}) {
		t.Error("a pause at the moment a kill of its node is cleared passed as valid")
	}
	pause.At += time.Second
	if !sr.Valid(Plan{Length: 20 * time.Second, Steps: []Step{kill, pause}}) {
		t.Error("a pause a second after the kill's clear was refused")
	}
}
